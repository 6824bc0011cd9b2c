// AgDiagnostic -> LSP Diagnostic. With the entry file, the only module that knows LSP types.
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation, type Range as LspRange } from 'vscode-languageserver';
import type { AgDiagnostic, Severity } from '../core/diagnostic.ts';
import { ruleDocUri } from '../node/ruleDocs.ts';
import type { Range } from '../core/ir.ts';
import type { LineIndex } from '../core/lineIndex.ts';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toLspRange(lines: LineIndex, r: Range): LspRange {
  return { start: lines.position(r.start), end: lines.position(r.end) };
}

/** Converts the unsuppressed findings of one file. `linesOf` gives the line index of another file, for related places there. */
export function toLspDiagnostics(uri: string, lines: LineIndex, ds: readonly AgDiagnostic[], linesOf: (uri: string) => LineIndex | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const d of ds) {
    if (d.suppressed) continue;
    const related: DiagnosticRelatedInformation[] = (d.related ?? []).map((r) => {
      const li = r.uri ? linesOf(r.uri) : lines;
      return {
        location: { uri: r.uri ?? uri, range: li ? toLspRange(li, r.range) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } },
        message: r.message,
      };
    });
    out.push({
      range: toLspRange(lines, d.range),
      severity: SEVERITY[d.severity],
      code: d.code,
      // The rule's page shipped with the extension (a file: URI the editor opens), readable offline.
      ...(ruleDocUri(d.code) ? { codeDescription: { href: ruleDocUri(d.code)! } } : {}),
      source: 'agentgraph',
      message: d.message,
      ...(related.length > 0 ? { relatedInformation: related } : {}),
      ...(d.data ? { data: d.data } : {}),
    });
  }
  return out;
}
