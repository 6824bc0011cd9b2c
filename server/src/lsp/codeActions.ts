// Quick fixes over LSP: for the diagnostics in the requested range, the fixes of features/fixes.ts, each with
// the diagnostic it removes.
import { CodeActionKind, type CodeAction, type ServerCapabilities } from 'vscode-languageserver/node';
import { quickFixes } from '../features/fixes.ts';
import { codeFixes } from '../features/codeFixes.ts';
import { diskHost } from '../node/diskHost.ts';
import { toLspDiagnostics, toLspRange } from './convert.ts';
import { analysesOf } from './analyses.ts';
import type { Feature } from './context.ts';
import { isCodeSource } from './sources.ts';

export const codeActionsFeature: Feature = (ctx): ServerCapabilities => {
  const analyses = analysesOf(ctx);
  ctx.connection.onCodeAction(async ({ textDocument, range, context }): Promise<CodeAction[]> => {
    if (context?.only && !context.only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(k + '.') || k === '')) return [];
    const code = isCodeSource(textDocument.uri);
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
    if (code) {
      // In code only the fixes written for it: the format's YAML edits would not be correct there.
      const exists = (u: string) => ctx.documents.get(u) !== undefined || diskHost.read(u) !== undefined;
      return codeFixes({ uri: a.uri, text: a.text, graphs: a.graphs.map((g) => g.graph), worstCase: a.worstCase, exists }, here).map((f) => ({
        title: f.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: toLspDiagnostics(a.uri, a.lines, [f.diagnostic], () => undefined),
        ...(f.preferred ? { isPreferred: true } : {}),
        edit: f.create
          ? { documentChanges: [{ kind: 'create' as const, uri: f.create.uri, options: { ignoreIfExists: true } }, { textDocument: { uri: f.create.uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: f.create.text }] }] }
          : { changes: { [a.uri]: f.edits.map((e) => ({ range: toLspRange(a.lines, e.range), newText: e.newText })) } },
      }));
    }
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
