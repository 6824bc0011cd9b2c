// Output formats of `agentgraph check`: text for people, JSON for scripts, SARIF 2.1.0 for code scanning.
import type { Analysis } from '../analysis/workspace.ts';
import type { AgDiagnostic } from '../core/diagnostic.ts';
import { ruleDocText } from '../node/ruleDocs.ts';
import { RULES } from '../rules/index.ts';

export interface FileReport {
  /** The path shown to the user (relative to the working folder when inside it). */
  readonly file: string;
  readonly analysis: Analysis;
}

export interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  code: string;
  severity: string;
  message: string;
  suppressed?: { reason: string };
}

export function toJsonDiagnostics(reports: readonly FileReport[], includeSuppressed: boolean): JsonDiagnostic[] {
  const out: JsonDiagnostic[] = [];
  for (const { file, analysis } of reports) {
    for (const d of analysis.diagnostics) {
      if (d.suppressed && !includeSuppressed) continue;
      const s = analysis.lines.position(d.range.start);
      const e = analysis.lines.position(d.range.end);
      out.push({
        file, line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1,
        code: d.code, severity: d.severity, message: d.message,
        ...(d.suppressed ? { suppressed: d.suppressed } : {}),
      });
    }
  }
  return out;
}

/** `file:line:col: severity message [AGxxx]`, then the source line and a caret under the range. */
export function formatText(reports: readonly FileReport[], opts: { color: boolean; source: boolean }): string {
  const c = (code: string, s: string) => (opts.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const sevColor: Record<string, string> = { error: '31', warning: '33', info: '36', hint: '2' };
  const lines: string[] = [];
  for (const { file, analysis } of reports) {
    for (const d of analysis.diagnostics) {
      const s = analysis.lines.position(d.range.start);
      const head = `${file}:${s.line + 1}:${s.character + 1}: ${c(sevColor[d.severity], d.severity)} ${d.message} ${c('2', `[${d.code}]`)}`;
      lines.push(d.suppressed ? `${head} ${c('2', `(suppressed${d.suppressed.reason ? `: ${d.suppressed.reason}` : ''})`)}` : head);
      if (opts.source) {
        const text = analysis.lines.lineText(s.line);
        if (text.length > 0 && text.length <= 300) {
          const e = analysis.lines.position(d.range.end);
          const width = Math.max(1, (e.line === s.line ? e.character : text.length) - s.character);
          lines.push(`  ${text}`, `  ${' '.repeat(s.character)}${c(sevColor[d.severity], '^'.repeat(width))}`);
        }
      }
    }
  }
  return lines.join('\n');
}

export function summarize(reports: readonly FileReport[]): { error: number; warning: number; info: number; hint: number; suppressed: number; files: number } {
  const counts = { error: 0, warning: 0, info: 0, hint: 0, suppressed: 0, files: reports.length };
  for (const { analysis } of reports) for (const d of analysis.diagnostics) d.suppressed ? counts.suppressed++ : counts[d.severity]++;
  return counts;
}

const SARIF_LEVEL: Record<AgDiagnostic['severity'], string> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** SARIF 2.1.0 as GitHub code scanning accepts it: one run, the rule catalog as the driver's rules. */
export function toSarif(reports: readonly FileReport[], version: string): object {
  const ruleIndex = new Map(RULES.map((r, i) => [r.code, i]));
  const results = [];
  const found = new Set<string>();
  for (const { file, analysis } of reports) {
    for (const d of analysis.diagnostics) found.add(d.code);
    for (const d of analysis.diagnostics) {
      const s = analysis.lines.position(d.range.start);
      const e = analysis.lines.position(Math.max(d.range.end, d.range.start + 1));
      results.push({
        ruleId: d.code,
        ...(ruleIndex.has(d.code) ? { ruleIndex: ruleIndex.get(d.code) } : {}),
        level: SARIF_LEVEL[d.severity],
        message: { text: d.message },
        locations: [{
          physicalLocation: {
            artifactLocation: { uri: file.split('\\').join('/'), uriBaseId: '%SRCROOT%' },
            region: { startLine: s.line + 1, startColumn: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 },
          },
        }],
        ...(d.related?.length
          ? {
              relatedLocations: d.related.filter((r) => !r.uri).map((r, i) => {
                const rs = analysis.lines.position(r.range.start);
                const re = analysis.lines.position(Math.max(r.range.end, r.range.start + 1));
                return {
                  id: i + 1,
                  message: { text: r.message },
                  physicalLocation: { artifactLocation: { uri: file.split('\\').join('/'), uriBaseId: '%SRCROOT%' }, region: { startLine: rs.line + 1, startColumn: rs.character + 1, endLine: re.line + 1, endColumn: re.character + 1 } },
                };
              }),
            }
          : {}),
        ...(d.suppressed ? { suppressions: [{ kind: 'inSource', justification: d.suppressed.reason || 'suppressed in source' }] } : {}),
      });
    }
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'AgentGraph',
          version,
          informationUri: 'https://github.com/agentgraph/agentgraph',
          // No helpUri: SARIF wants an absolute URI there, and the rule pages have no published address. The
          // page itself goes in `help` (GitHub code scanning shows its Markdown), for the rules with results.
          rules: RULES.map((r) => {
            const page = found.has(r.code) ? ruleDocText(r.code) : undefined;
            return {
              id: r.code,
              name: r.code,
              shortDescription: { text: r.title },
              help: { text: `${r.title}. The rule's page: docs/rules/${r.code}.md in AgentGraph.`, ...(page ? { markdown: page } : {}) },
              defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
            };
          }),
        },
      },
      originalUriBaseIds: { '%SRCROOT%': { uri: 'file://' + process.cwd().split('\\').join('/') + '/' } },
      results,
    }],
  };
}
