// Reads `# agentgraph-disable-next-line AG101 -- reason` and `# agentgraph-disable-file AG301 -- reason` (`//`
// in JS/TS: the comment prefix is the caller's). Without codes a directive covers every code. The reason after
// `--` is kept and shown with what it hides.
import type { Suppression } from '../core/ir.ts';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const PATTERNS = new Map<string, { directive: RegExp; commentOnly: RegExp }>();

function patterns(prefix: string): { directive: RegExp; commentOnly: RegExp } {
  let p = PATTERNS.get(prefix);
  if (!p) {
    const e = escape(prefix);
    p = { directive: new RegExp(`(?:^|\\s)${e}\\s*agentgraph-disable-(next-line|file)\\b([^\\n\\r]*)`), commentOnly: new RegExp(`^\\s*(${e}.*)?$`) };
    PATTERNS.set(prefix, p);
  }
  return p;
}

/** The directives of a text whose line comments start with `prefix` (`#` in YAML and Python, `//` in JS/TS). */
export function scanSuppressions(text: string, prefix = '#'): Suppression[] {
  if (!text.includes('agentgraph-disable-')) return [];
  const { directive: DIRECTIVE, commentOnly } = patterns(prefix);
  const out: Suppression[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const m = DIRECTIVE.exec(line);
    if (m) {
      const [codesPart, ...reasonParts] = m[2].split('--');
      const tokens = codesPart.split(/[\s,]+/).filter((c) => c.length > 0);
      // A directive without codes covers every rule; one whose codes are all misspelt covers none, rather
      // than silently hiding everything.
      const codes = tokens.length === 0 ? [] : tokens.filter((c) => /^AG\d{3}$/.test(c));
      if (tokens.length > 0 && codes.length === 0) {
        offset += line.length + (text[offset + line.length] === '\r' && text[offset + line.length + 1] === '\n' ? 2 : 1);
        continue;
      }
      const reason = reasonParts.join('--').trim();
      const range = { start: offset + m.index + (m[0].startsWith(prefix) ? 0 : 1), end: offset + line.length };
      if (m[1] === 'file') out.push({ codes, reason, range });
      else {
        // The directive covers the next line that holds more than a comment.
        let target = i + 1;
        while (target < lines.length && commentOnly.test(lines[target])) target++;
        out.push({ codes, line: target, reason, range });
      }
    }
    offset += line.length + (text[offset + line.length] === '\r' && text[offset + line.length + 1] === '\n' ? 2 : 1);
  }
  return out;
}
