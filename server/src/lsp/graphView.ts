// The graph visualizer's server side: answers `agentgraph/graphView` with the view model of a file, tells the
// client when a file's analysis changed (the open panel re-requests its view), and adds the "Open graph" lens.
import type { ServerCapabilities } from 'vscode-languageserver/node';
import { AnalysisChangedNotification, GraphViewRequest } from '../../../common/protocol.ts';
import { isGraphSource } from '../frontends/index.ts';
import { buildGraphView } from '../view/graphView.ts';
import { registerCodeLensSource } from './codeLens.ts';
import type { Feature } from './context.ts';

export const OPEN_GRAPH_COMMAND = 'agentgraph.openGraph';

export const graphViewFeature: Feature = (ctx): ServerCapabilities | void => {
  ctx.connection.onRequest(GraphViewRequest.method, (raw: unknown): GraphViewRequest.Result => {
    const params = GraphViewRequest.params.safeParse(raw);
    // A graph file or code that may hold a graph, and any open document the user chose to read as a graph file.
    if (!params.success || !(isGraphSource(params.data.uri) || ctx.documents.get(params.data.uri))) return null;
    try {
      return buildGraphView(ctx.analysis(params.data.uri));
    } catch (e) {
      ctx.connection.console.error(`the graph view of ${params.data.uri} failed: ${(e as Error)?.stack ?? String(e)}`);
      return null;
    }
  });

  ctx.onAnalysis((analysis) => {
    void ctx.connection.sendNotification(AnalysisChangedNotification.method, { uri: analysis.uri } satisfies AnalysisChangedNotification.Params);
  });

  registerCodeLensSource((analysis) => {
    const graph = analysis.graph;
    if (!graph) return [];
    const at = graph.keys.get('name') ?? graph.keys.get('agentgraph') ?? graph.root;
    return [{ range: at, title: '$(type-hierarchy) Open graph', command: OPEN_GRAPH_COMMAND, arguments: [analysis.uri], tooltip: 'Show this agent graph as a picture beside the text (AgentGraph: Open Graph)' }];
  });
};
