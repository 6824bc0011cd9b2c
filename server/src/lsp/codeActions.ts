// Quick fixes over LSP: for the diagnostics in the requested range, the fixes of features/fixes.ts, each with
// the diagnostic it removes.
import { CodeActionKind, type CodeAction, type ServerCapabilities } from 'vscode-languageserver/node';
import { quickFixes } from '../features/fixes.ts';
import { toLspDiagnostics, toLspRange } from './convert.ts';
import { analysesOf } from './analyses.ts';
import type { Feature } from './context.ts';
import { isCodeSource } from './sources.ts';

export const codeActionsFeature: Feature = (ctx): ServerCapabilities => {
  const analyses = analysesOf(ctx);
  ctx.connection.onCodeAction(async ({ textDocument, range, context }): Promise<CodeAction[]> => {
    if (context?.only && !context.only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(k + '.') || k === '')) return [];
    // The fixes write the format's YAML and JSON: none is offered in code, where they would not be correct.
    if (isCodeSource(textDocument.uri)) return [];
    const a = await analyses.settled(textDocument.uri);
    if (!a.graph) return [];
    const start = a.lines.offset(range.start);
    const end = a.lines.offset(range.end);
    // The diagnostics of this text under the range; when the editor names some, only those.
    const named = new Set((context?.diagnostics ?? []).map((d) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character}`));
    const here = a.diagnostics.filter((d) => {
      if (d.suppressed || d.range.end < start || d.range.start > end) return false;
      if (named.size === 0) return true;
      const p = a.lines.position(d.range.start);
      return named.has(`${d.code}@${p.line}:${p.character}`);
    });
    const fixes = quickFixes({ uri: a.uri, text: a.text, graph: a.graph, queries: a.queries, worstCase: a.worstCase }, here);
    return fixes.map((f) => ({
      title: f.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: toLspDiagnostics(a.uri, a.lines, [f.diagnostic], () => undefined),
      ...(f.preferred ? { isPreferred: true } : {}),
      edit: { changes: { [a.uri]: f.edits.map((e) => ({ range: toLspRange(a.lines, e.range), newText: e.newText })) } },
    }));
  });
  return { codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix], resolveProvider: false } };
};
