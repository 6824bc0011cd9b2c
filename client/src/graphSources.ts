// Which documents hold an agent graph, as far as the client can tell cheaply: agent graph files by name or
// language, and Python modules that mention `StateGraph` (the server's own pre-check; it reads the graph).
// Two context keys follow them for the menus: `agentgraph.activeEditorHasGraph` (the active editor is a Python
// module with a graph) and `agentgraph.graphSources` (the paths of the open Python modules with a graph, for
// `resourcePath in agentgraph.graphSources` in the editor title and the explorer). Paths, not URIs: in a remote
// window (code-server, SSH) the workbench names a file `vscode-remote://...` where the extension sees `file:`.
import * as vscode from 'vscode';
import type { ClientFeature } from './context.ts';

export const GRAPH_FILE = /\.agentgraph\.(ya?ml|json)$/i;
const PYTHON_FILE = /\.py$/i;

/** Whether a document is an agent graph file (YAML/JSON format). */
export function isGraphFile(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'agentgraph-yaml' || doc.languageId === 'agentgraph-json' || GRAPH_FILE.test(doc.uri.path);
}

/** Whether a document is a Python module the server reads (a `.py` file on disk). */
export function isPythonSource(doc: vscode.TextDocument): boolean {
  return doc.uri.scheme === 'file' && doc.languageId === 'python' && PYTHON_FILE.test(doc.uri.path);
}

/** Whether a document is a Python module that builds a LangGraph graph (the text pre-check only). */
export function isPythonGraph(doc: vscode.TextDocument): boolean {
  return isPythonSource(doc) && doc.getText().includes('StateGraph');
}

/** Whether a document holds a graph the panel and the readiness check can show. */
export function holdsGraph(doc: vscode.TextDocument): boolean {
  return isGraphFile(doc) || isPythonGraph(doc);
}

export const graphSourcesFeature: ClientFeature = (context) => {
  /** The paths of the open Python modules with a graph, as the workbench's `resourcePath` spells them. */
  const sources = new Set<string>();
  const keyOf = (uri: vscode.Uri) => (uri.scheme === 'file' ? uri.fsPath : uri.path);
  let published = '';
  let activeHasGraph: boolean | undefined;
  const publish = () => {
    const list = [...sources].sort();
    const key = list.join('\n');
    if (key !== published) {
      published = key;
      void vscode.commands.executeCommand('setContext', 'agentgraph.graphSources', list);
    }
    const doc = vscode.window.activeTextEditor?.document;
    const has = !!doc && sources.has(keyOf(doc.uri));
    if (has !== activeHasGraph) {
      activeHasGraph = has;
      void vscode.commands.executeCommand('setContext', 'agentgraph.activeEditorHasGraph', has);
    }
  };
  /** Re-reads one document; only Python modules are looked at, and only their text's pre-check. */
  const update = (doc: vscode.TextDocument) => {
    if (!isPythonSource(doc)) return false;
    const uri = keyOf(doc.uri);
    const had = sources.has(uri);
    const has = isPythonGraph(doc);
    if (has === had) return false;
    if (has) sources.add(uri);
    else sources.delete(uri);
    return true;
  };
  for (const doc of vscode.workspace.textDocuments) update(doc);
  publish();
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((doc) => update(doc) && publish()),
    vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length > 0 && update(e.document) && publish()),
    vscode.workspace.onDidCloseTextDocument((doc) => sources.delete(keyOf(doc.uri)) && publish()),
    vscode.window.onDidChangeActiveTextEditor(() => publish()),
  );
};
