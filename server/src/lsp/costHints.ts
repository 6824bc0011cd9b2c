// The worst-case cost in the editor: a lens per graph (through the shared CodeLens registry) and an inlay hint
// per llm and agent node, switchable with the `agentgraph.inlayHints.cost` setting (default on).
import type { InlayHint, ServerCapabilities } from 'vscode-languageserver/node';
import { costInlayHints, costLens } from '../features/costHints.ts';
import { registerCodeLensSource } from './codeLens.ts';
import { analysesOf } from './analyses.ts';
import type { Feature } from './context.ts';

export const costHintsFeature: Feature = (ctx): ServerCapabilities => {
  const analyses = analysesOf(ctx);
  registerCodeLensSource((analysis) => {
    const lens = costLens(analysis.graph, analysis.worstCase);
    return lens ? [{ range: { start: lens.offset, end: lens.offset }, title: lens.title, tooltip: lens.tooltip }] : [];
  });

  // The setting is read on each request (the editor answers from memory); a change shows once the editor asks
  // again, which a re-analysis after a settings change prompts through a refresh.
  let enabled = true;
  const readSetting = async (): Promise<boolean> => {
    try {
      const v = (await ctx.connection.workspace.getConfiguration('agentgraph')) as { inlayHints?: { cost?: unknown } } | null;
      return typeof v?.inlayHints?.cost === 'boolean' ? v.inlayHints.cost : true;
    } catch {
      return true; // A client that cannot answer keeps the default.
    }
  };
  let pending: NodeJS.Timeout | undefined;
  ctx.onAnalysis(() => {
    if (pending) return;
    pending = setTimeout(async () => {
      pending = undefined;
      const now = await readSetting();
      if (now !== enabled) {
        enabled = now;
        ctx.connection.languages.inlayHint.refresh().catch(() => undefined);
      }
    }, 300);
  });

  ctx.connection.languages.inlayHint.on(async ({ textDocument, range }): Promise<InlayHint[]> => {
    enabled = await readSetting();
    if (!enabled) return [];
    const a = await analyses.settled(textDocument.uri);
    const hints = costInlayHints(a.graph, a.worstCase, a.text, range ? { start: a.lines.offset(range.start), end: a.lines.offset(range.end) } : undefined);
    return hints.map((h) => ({ position: a.lines.position(h.offset), label: h.label, tooltip: h.tooltip, paddingLeft: true }));
  });
  return { inlayHintProvider: true };
};
