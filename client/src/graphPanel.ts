// The graph visualizer's host side: one webview panel beside the editor that shows the active agent graph file
// as a picture. It asks the server for the view model (`agentgraph/graphView`), redraws when the server says a
// file's analysis changed, highlights the node under the editor's cursor, reveals a node's definition when the
// webview asks, and saves exports. Every message from the webview is validated before the host acts on it.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { z } from 'zod';
import { nodeAt, type GraphViewModel, type ViewRange } from '../../common/graphModel.ts';
import { AnalysisChangedNotification, GraphPanelMessages, GraphViewRequest } from '../../common/protocol.ts';
import { graphPage, makeNonce } from './graphHtml.ts';
import { TraceOverlayBridge } from './traceOverlay.ts';
import type { ClientFeature } from './context.ts';
import { CODE_FILE, GRAPH_FILE, holdsGraph, isCodeFileName, isCodeSource } from './graphSources.ts';

export const VIEW_TYPE = 'agentgraph.graph';
export const OPEN_GRAPH_COMMAND = 'agentgraph.openGraph';

/** What the webview keeps with setState and hands back to the serializer after a reload. */
const savedState = z.object({ uri: z.string().min(1).max(4096).optional() }).passthrough();

export const graphPanelFeature: ClientFeature = (context, client) => {
  const host = new GraphPanelHost(context, client);
  context.subscriptions.push(
    host,
    vscode.commands.registerCommand(OPEN_GRAPH_COMMAND, (arg?: unknown) => host.open(arg)),
    vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => host.revive(panel, state),
    }),
  );
};

class GraphPanelHost implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private uri: string | undefined;
  private model: GraphViewModel | undefined;
  private ready = false;
  private requestSeq = 0;
  private highlighted: string | null = null;
  private refreshTimer: NodeJS.Timeout | undefined;
  private readonly log: vscode.OutputChannel;
  /** The trace overlay's host side (issue 6): figures for the file shown, run picker and replay. */
  private readonly traces: TraceOverlayBridge;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: LanguageClient,
  ) {
    this.log = client.outputChannel;
    this.traces = new TraceOverlayBridge(client, (m) => this.panel?.webview.postMessage(m), (t) => this.log.appendLine(t));
    this.disposables.push(this.traces);
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (this.panel && editor && isGraphDocument(editor.document)) this.show(this.protocolUri(editor.document.uri));
      }),
      vscode.window.onDidChangeTextEditorSelection((e) => this.onSelection(e.textEditor)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('agentgraph.graph.direction')) void this.refresh();
      }),
    );
    client.onNotification(AnalysisChangedNotification.method, (params: AnalysisChangedNotification.Params) => {
      if (typeof params?.uri === 'string' && params.uri === this.uri) this.scheduleRefresh();
    });
  }

  /** The command: show the graph of the file given (lens, title button) or of the active editor. */
  async open(arg: unknown): Promise<void> {
    const target = toUri(arg) ?? vscode.window.activeTextEditor?.document.uri;
    if (!target || !(GRAPH_FILE.test(target.path) || isCodeFileName(target.path) || openGraphDocument(target))) {
      void vscode.window.showInformationMessage('AgentGraph: open an agent graph file (*.agentgraph.yaml, *.agentgraph.yml or *.agentgraph.json) or a Python, TypeScript or JavaScript module that builds a LangGraph StateGraph first, then run "AgentGraph: Open Graph".');
      return;
    }
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Agent graph', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, this.webviewOptions());
      this.attach(panel);
    } else this.panel.reveal(vscode.ViewColumn.Beside, true);
    this.show(this.protocolUri(target));
  }

  /** The serializer: a panel that was open before VS Code reloaded. */
  async revive(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    if (this.panel) {
      panel.dispose();
      return;
    }
    panel.webview.options = this.webviewOptions();
    this.attach(panel);
    const parsed = savedState.safeParse(state);
    const uri = parsed.success ? parsed.data.uri : undefined;
    const active = vscode.window.activeTextEditor?.document;
    if (uri && (GRAPH_FILE.test(uri) || isCodeFileName(uri))) this.show(uri);
    else if (active && isGraphDocument(active)) this.show(this.protocolUri(active.uri));
  }

  private webviewOptions(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview')],
      enableFindWidget: false,
    };
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    this.model = undefined;
    this.highlighted = null;
    panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'media', 'icon.png');
    const asUri = (file: string) => panel.webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview', file)).toString();
    panel.webview.html = graphPage({
      cspSource: panel.webview.cspSource,
      nonce: makeNonce(),
      scriptUri: asUri('main.js'),
      styleUri: asUri('graph.css'),
      workerUri: asUri('layoutWorker.js'),
    });
    this.panelDisposables.push(
      panel.webview.onDidReceiveMessage((raw) => void this.onMessage(raw)),
      panel.onDidDispose(() => {
        this.panel = undefined;
        this.traces.setReady(false);
        this.uri = undefined;
        for (const d of this.panelDisposables.splice(0)) d.dispose();
      }),
    );
  }

  private show(uri: string): void {
    const changed = uri !== this.uri;
    this.uri = uri;
    this.traces.setUri(uri);
    if (this.panel) this.panel.title = `Graph: ${path.posix.basename(vscode.Uri.parse(uri).path)}`;
    if (changed) this.highlighted = null;
    void this.refresh();
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refresh();
    }, 50);
  }

  /** Asks the server for the current view model and sends it to the webview. */
  private async refresh(): Promise<void> {
    const uri = this.uri;
    if (!this.panel || !this.ready || !uri) return;
    const seq = ++this.requestSeq;
    let model: GraphViewRequest.Result;
    try {
      model = await this.client.sendRequest<GraphViewRequest.Result>(GraphViewRequest.method, { uri } satisfies GraphViewRequest.Params);
    } catch (e) {
      this.log.appendLine(`graph view of ${uri} failed: ${(e as Error).message}`);
      this.post({ type: 'message', text: `The graph cannot be shown: the AgentGraph language server did not answer (${(e as Error).message}). See the AgentGraph output.` });
      return;
    }
    if (seq !== this.requestSeq || uri !== this.uri) return;
    if (!model) {
      this.post({ type: 'message', text: 'This file is not an agent graph file: name it *.agentgraph.yaml, *.agentgraph.yml or *.agentgraph.json.' });
      return;
    }
    const sourcePath = vscode.Uri.parse(uri).path;
    if (model.nodes.length === 0 && isCodeFileName(sourcePath)) {
      this.model = undefined;
      const text = /\.py$/i.test(sourcePath)
        ? 'This Python module builds no LangGraph graph: AgentGraph reads a graph from a StateGraph(...) and its add_node and add_edge calls.'
        : 'This module builds no LangGraph graph: AgentGraph reads a graph from a new StateGraph(...) and its addNode and addEdge calls.';
      this.post({ type: 'message', text });
      return;
    }
    this.model = model;
    this.post({ type: 'model', model, direction: direction() });
    const editor = vscode.window.visibleTextEditors.find((e) => this.protocolUri(e.document.uri) === uri);
    this.highlighted = null;
    if (editor) this.onSelection(editor);
  }

  private onSelection(editor: vscode.TextEditor): void {
    if (!this.panel || !this.model || this.protocolUri(editor.document.uri) !== this.uri) return;
    const pos = editor.selection.active;
    const node = nodeAt(this.model.nodes, pos.line);
    const id = node?.id ?? null;
    if (id === this.highlighted) return;
    this.highlighted = id;
    this.post({ type: 'highlight', nodeId: id });
  }

  private post(message: GraphPanelMessages.ToWebview): void {
    void this.panel?.webview.postMessage(message);
  }

  private async onMessage(raw: unknown): Promise<void> {
    if (this.traces.handle(raw)) return;
    const parsed = GraphPanelMessages.fromWebview.safeParse(raw);
    if (!parsed.success) {
      this.log.appendLine(`graph panel: ignored a malformed message from the webview: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      return;
    }
    const m = parsed.data;
    switch (m.type) {
      case 'ready':
        this.ready = true;
        this.traces.setReady(true);
        this.model = undefined;
        this.highlighted = null;
        await this.refresh();
        return;
      case 'reveal':
        return this.reveal(m.nodeId);
      case 'openSubgraph':
        return this.openSubgraph(m.nodeId);
      case 'export':
        return this.saveExport(m.format, m.data);
      case 'log':
        this.log.appendLine(`graph panel: ${m.text}`);
        if (m.level === 'error') void vscode.window.showWarningMessage(`AgentGraph graph panel: ${m.text}`);
        return;
    }
  }

  /** Puts the editor's cursor on a node's definition; the node id is looked up in the host's own model. */
  private async reveal(nodeId: string): Promise<void> {
    const node = this.model?.nodes.find((n) => n.id === nodeId);
    const uri = this.uri;
    if (!node?.range || !uri) return;
    const range = toRange(node.range);
    const target = vscode.Uri.parse(uri);
    const visible = vscode.window.visibleTextEditors.find((e) => this.protocolUri(e.document.uri) === uri);
    const column = visible?.viewColumn ?? otherColumn(this.panel?.viewColumn);
    const options: vscode.TextDocumentShowOptions = { viewColumn: column, selection: new vscode.Range(range.start, range.start), preserveFocus: false };
    const editor = visible ? await vscode.window.showTextDocument(visible.document, options) : await vscode.window.showTextDocument(target, options);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private async openSubgraph(nodeId: string): Promise<void> {
    const node = this.model?.nodes.find((n) => n.id === nodeId);
    if (!node?.subgraphUri) return;
    const target = vscode.Uri.parse(node.subgraphUri);
    try {
      await vscode.workspace.fs.stat(target);
    } catch {
      void vscode.window.showWarningMessage(`AgentGraph: the subgraph file of node "${nodeId}" does not exist: ${target.fsPath}; fix its \`graph\` path.`);
      return;
    }
    await vscode.window.showTextDocument(target, { viewColumn: otherColumn(this.panel?.viewColumn) });
  }

  private async saveExport(format: 'svg' | 'png', data: string): Promise<void> {
    let bytes: Uint8Array;
    if (format === 'svg') {
      if (!data.trimStart().startsWith('<svg')) return void this.log.appendLine('graph panel: ignored an SVG export that is not an SVG document');
      bytes = Buffer.from(data, 'utf8');
    } else {
      const match = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(data);
      if (!match) return void this.log.appendLine('graph panel: ignored a PNG export that is not a base64 PNG data URL');
      bytes = Buffer.from(match[1], 'base64');
    }
    const source = this.uri ? vscode.Uri.parse(this.uri) : undefined;
    const base = source ? path.posix.basename(source.path).replace(GRAPH_FILE, '').replace(CODE_FILE, '') : 'graph';
    const defaultUri = source ? vscode.Uri.joinPath(source, '..', `${base}.${format}`) : undefined;
    const target = await vscode.window.showSaveDialog({ defaultUri, filters: format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] }, title: `Export the graph as ${format.toUpperCase()}` });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, bytes);
    void vscode.window.showInformationMessage(`AgentGraph: wrote ${vscode.workspace.asRelativePath(target)}`);
  }

  private protocolUri(uri: vscode.Uri): string {
    return this.client.code2ProtocolConverter.asUri(uri);
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
  }
}

function isGraphDocument(doc: vscode.TextDocument): boolean {
  return doc.uri.scheme === 'file' && (GRAPH_FILE.test(doc.uri.path) || (isCodeSource(doc) && holdsGraph(doc)));
}

/** An open document of this URI that holds a graph (an agent graph file under another name, by its language). */
function openGraphDocument(uri: vscode.Uri): boolean {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  return !!doc && holdsGraph(doc);
}

function toUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg.length < 4096) {
    try {
      return vscode.Uri.parse(arg, true);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function direction(): GraphPanelMessages.Direction {
  const value = vscode.workspace.getConfiguration('agentgraph').get<unknown>('graph.direction');
  return value === 'down' ? 'DOWN' : value === 'right' ? 'RIGHT' : 'AUTO';
}

function toRange(r: ViewRange): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

function otherColumn(panelColumn: vscode.ViewColumn | undefined): vscode.ViewColumn {
  return panelColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Two : vscode.ViewColumn.One;
}
