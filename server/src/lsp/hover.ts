// Hover over LSP: a node, model, tool or state key gets what the analysis knows of it (features/describe.ts);
// a key or a value of the format gets its documentation from the schema.
import type { Hover, ServerCapabilities } from 'vscode-languageserver/node';
import { hoverAt } from '../features/hover.ts';
import { toLspRange } from './convert.ts';
import { analysesOf } from './analyses.ts';
import type { Feature } from './context.ts';
import { isCodeSource } from './sources.ts';

export const hoverFeature: Feature = (ctx): ServerCapabilities => {
  const analyses = analysesOf(ctx);
  ctx.connection.onHover(async (params): Promise<Hover | null> => {
    const a = await analyses.settled(params.textDocument.uri);
    const offset = a.lines.offset(params.position);
    // In code only the graph's symbols: the format's documentation is about YAML keys.
    const h = hoverAt({ text: a.text, graph: a.graph, queries: a.queries, worstCase: a.worstCase, index: analyses.index(a), formatDocs: !isCodeSource(a.uri) }, offset);
    if (!h) return null;
    return { contents: { kind: 'markdown', value: h.markdown }, range: toLspRange(a.lines, h.range) };
  });
  return { hoverProvider: true };
};
