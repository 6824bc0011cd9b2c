// Which documents hold an agent graph, as far as the client can tell cheaply: agent graph files by name or
// language, and LangGraph modules (Python, TypeScript, JavaScript) that mention `StateGraph` (the server's own
// pre-check; it reads the graph). Two context keys follow them for the menus: `agentgraph.activeEditorHasGraph`
// (the active editor is a code module with a graph) and `agentgraph.graphSources` (the paths of the open code
// modules with a graph, for `resourcePath in agentgraph.graphSources` in the editor title and the explorer).
// Paths, not URIs: in a remote window (code-server, SSH) the workbench names a file `vscode-remote://...` where
// the extension sees `file:`.
//
// The check runs on every edit of every open Python, TypeScript and JavaScript file, most of which hold no
// graph: for those an edit only looks at the few characters around it (a `StateGraph` that appears must overlap
// what was typed), never at the whole text.
import * as vscode from 'vscode';
import type { ClientFeature } from './context.ts';

export const GRAPH_FILE = /\.agentgraph\.(ya?ml|json)$/i;
/**
 * The code files the server's frontends read: `.py` (langgraph-python) and `.ts .tsx .js .jsx .mjs .cjs .mts
 * .cts` but not a `.d.ts` (langgraph-js). The same names as `frontends/*\/index.ts`, spelled here so that the
 * client bundle does not carry the parsers.
 */
export const CODE_FILE = /\.(py|ts|tsx|js|jsx|mjs|cjs|mts|cts)$/i;
const DECLARATION_FILE = /\.d\.[mc]?ts$/i;
/** A library's code (the server leaves it alone too). */
const LIBRARY_CODE = /\/(node_modules|site-packages)\//;
const CODE_LANGUAGES = new Set(['python', 'typescript', 'typescriptreact', 'javascript', 'javascriptreact']);
const MARK = 'StateGraph';

/** Whether a document is an agent graph file (YAML/JSON format). */
export function isGraphFile(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'agentgraph-yaml' || doc.languageId === 'agentgraph-json' || GRAPH_FILE.test(doc.uri.path);
}

/** Whether a file of this name is read by a code frontend (a LangGraph module, not a declaration file). */
export function isCodeFileName(path: string): boolean {
  return CODE_FILE.test(path) && !DECLARATION_FILE.test(path);
}

/** Whether a document is a code module the server reads: a `.py`, `.ts`, `.js`... file on disk, not a library's. */
export function isCodeSource(doc: vscode.TextDocument): boolean {
  return doc.uri.scheme === 'file' && CODE_LANGUAGES.has(doc.languageId) && isCodeFileName(doc.uri.path) && !LIBRARY_CODE.test(doc.uri.path);
}

/** What is known of the open code modules: whether the text of this version mentions StateGraph. */
const known = new Map<string, { version: number; has: boolean }>();

/** Whether a document is a code module that builds a LangGraph graph (the text pre-check only). */
export function isCodeGraph(doc: vscode.TextDocument): boolean {
  if (!isCodeSource(doc)) return false;
  const key = doc.uri.toString();
  const k = known.get(key);
  if (k && k.version === doc.version) return k.has;
  const has = doc.getText().includes(MARK);
  known.set(key, { version: doc.version, has });
  return has;
}

/**
 * The pre-check after an edit, from what was known before it: a module without a graph gains one only where the
 * edit wrote (a new `StateGraph` overlaps the inserted text, or joins the text on both sides of a deletion), so
 * only that window is read; a module with a graph is read again whole (the server analyses it anyway).
 */
function recheck(e: vscode.TextDocumentChangeEvent): boolean {
  const doc = e.document;
  const key = doc.uri.toString();
  const before = known.get(key);
  if (before?.version === doc.version) return before.has;
  // Only from the version just before this edit: anything else (an event not seen) reads the whole text.
  if (before && !before.has && before.version === doc.version - 1 && e.contentChanges.length === 1) {
    const c = e.contentChanges[0];
    // One change: its start is the same place in the new text, and what it wrote follows it.
    const start = c.rangeOffset;
    const from = doc.positionAt(Math.max(0, start - (MARK.length - 1)));
    const to = doc.positionAt(start + c.text.length + (MARK.length - 1));
    const has = doc.getText(new vscode.Range(from, to)).includes(MARK);
    known.set(key, { version: doc.version, has });
    return has;
  }
  known.delete(key);
  return isCodeGraph(doc);
}

/** Whether a document holds a graph the panel and the readiness check can show. */
export function holdsGraph(doc: vscode.TextDocument): boolean {
  return isGraphFile(doc) || isCodeGraph(doc);
}

export const graphSourcesFeature: ClientFeature = (context) => {
  /** The paths of the open code modules with a graph, as the workbench's `resourcePath` spells them. */
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
  /** Records whether one document holds a graph; true when that changed. */
  const record = (doc: vscode.TextDocument, has: boolean) => {
    const path = keyOf(doc.uri);
    if (has === sources.has(path)) return false;
    if (has) sources.add(path);
    else sources.delete(path);
    return true;
  };
  /** Only code modules are looked at, and only their text's pre-check. */
  const opened = (doc: vscode.TextDocument) => isCodeSource(doc) && record(doc, isCodeGraph(doc));
  const changed = (e: vscode.TextDocumentChangeEvent) => e.contentChanges.length > 0 && isCodeSource(e.document) && record(e.document, recheck(e));
  const closed = (doc: vscode.TextDocument) => {
    known.delete(doc.uri.toString());
    return sources.delete(keyOf(doc.uri));
  };
  for (const doc of vscode.workspace.textDocuments) opened(doc);
  publish();
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((doc) => opened(doc) && publish()),
    vscode.workspace.onDidChangeTextDocument((e) => changed(e) && publish()),
    vscode.workspace.onDidCloseTextDocument((doc) => closed(doc) && publish()),
    vscode.window.onDidChangeActiveTextEditor(() => publish()),
  );
};
