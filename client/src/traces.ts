// Traces in VS Code: the commands (start and stop the OTLP receiver, open a trace file once or follow it, clear
// the traces) and a status bar item with the span rate. The receiver and the aggregator run in the language
// server (`agentgraph/traces/*`); nothing a receiver gets is handled in the extension host.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { z } from 'zod';
import {
  TraceClearRequest, TraceFiguresChangedNotification, TraceOpenFileRequest, TraceStartReceiverRequest, TraceStatusNotification, TraceStatusRequest, TraceStopReceiverRequest,
  type TraceCommandResult,
} from '../../common/protocol.ts';
import type { TraceStatus } from '../../common/traceModel.ts';
import type { ClientFeature } from './context.ts';

export const TRACE_COMMANDS = {
  startReceiver: 'agentgraph.traces.startReceiver',
  stopReceiver: 'agentgraph.traces.stopReceiver',
  openFile: 'agentgraph.traces.openFile',
  watchFile: 'agentgraph.traces.watchFile',
  clear: 'agentgraph.traces.clear',
  menu: 'agentgraph.traces.menu',
} as const;

export const DEFAULT_PORT = 4318;

/**
 * The graph files whose trace figures changed (from the server, at most 10 times a second). The language client
 * keeps one handler per notification, so this feature owns it and the graph panel's overlay listens here.
 */
export const traceFiguresChanged = new vscode.EventEmitter<readonly string[]>();
const portSetting = z.number().int().min(1).max(65535);

/** The setting `agentgraph.traces.port`, validated: a bad value is reported and the default used. */
export function tracePort(): number {
  const raw = vscode.workspace.getConfiguration('agentgraph.traces').get<unknown>('port', DEFAULT_PORT);
  const p = portSetting.safeParse(raw);
  if (p.success) return p.data;
  void vscode.window.showWarningMessage(`AgentGraph: agentgraph.traces.port must be a port number between 1 and 65535, not ${JSON.stringify(raw)}; using ${DEFAULT_PORT}`);
  return DEFAULT_PORT;
}

export const tracesFeature: ClientFeature = (context, client) => {
  const bar = new TraceStatusBar();
  context.subscriptions.push(
    bar,
    traceFiguresChanged,
    vscode.commands.registerCommand(TRACE_COMMANDS.startReceiver, () => startReceiver(client, bar)),
    vscode.commands.registerCommand(TRACE_COMMANDS.stopReceiver, () => run(client, bar, TraceStopReceiverRequest.method, undefined)),
    vscode.commands.registerCommand(TRACE_COMMANDS.openFile, (arg?: unknown) => openFile(client, bar, arg, false)),
    vscode.commands.registerCommand(TRACE_COMMANDS.watchFile, (arg?: unknown) => openFile(client, bar, arg, true)),
    vscode.commands.registerCommand(TRACE_COMMANDS.clear, () => run(client, bar, TraceClearRequest.method, undefined)),
    vscode.commands.registerCommand(TRACE_COMMANDS.menu, () => menu(client, bar)),
    // A new port while the receiver runs moves it there, rather than at the next Stop and Start; a new port after
    // a start that failed (the busy port's "Change Port") starts it there. The Settings UI writes as the user
    // types, so the move waits until the value has been still for a moment.
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('agentgraph.traces.port')) return;
      clearTimeout(portTimer);
      portTimer = setTimeout(() => void followPort(client, bar), PORT_SETTLE_MS);
    }),
    { dispose: () => clearTimeout(portTimer) },
  );
  client.onNotification(TraceStatusNotification.method, (status: TraceStatusNotification.Params) => bar.update(status));
  client.onNotification(TraceFiguresChangedNotification.method, (p: TraceFiguresChangedNotification.Params) => {
    if (Array.isArray(p?.uris)) traceFiguresChanged.fire(p.uris.filter((u): u is string => typeof u === 'string'));
  });
};

let portTimer: ReturnType<typeof setTimeout> | undefined;
const PORT_SETTLE_MS = 500;

async function followPort(client: LanguageClient, bar: TraceStatusBar): Promise<void> {
  const status = await client.sendRequest<TraceStatus>(TraceStatusRequest.method).catch(() => undefined);
  const r = status?.receiver;
  if ((r?.state === 'running' && r.port !== tracePort()) || r?.state === 'error') await startReceiver(client, bar);
}

async function request(client: LanguageClient, method: string, params: unknown): Promise<TraceCommandResult | undefined> {
  try {
    return await client.sendRequest<TraceCommandResult>(method, params);
  } catch (e) {
    void vscode.window.showErrorMessage(`AgentGraph: ${(e as Error)?.message ?? String(e)}`);
    return undefined;
  }
}

async function run(client: LanguageClient, bar: TraceStatusBar, method: string, params: unknown): Promise<TraceCommandResult | undefined> {
  const r = await request(client, method, params);
  if (!r) return undefined;
  bar.update(r.status);
  if (r.ok) void vscode.window.setStatusBarMessage(`AgentGraph: ${r.message}`, 5000);
  else void vscode.window.showErrorMessage(`AgentGraph: ${r.message}`);
  return r;
}

async function startReceiver(client: LanguageClient, bar: TraceStatusBar): Promise<void> {
  const port = tracePort();
  const r = await request(client, TraceStartReceiverRequest.method, { port } satisfies TraceStartReceiverRequest.Params);
  if (!r) return;
  bar.update(r.status);
  if (r.ok) {
    void vscode.window.showInformationMessage(`AgentGraph: ${r.message}`);
    return;
  }
  // A busy port is the usual case: say so plainly and offer the way out.
  const choice = await vscode.window.showErrorMessage(`AgentGraph: ${r.message}`, 'Change Port', 'Retry');
  if (choice === 'Change Port') await vscode.commands.executeCommand('workbench.action.openSettings', 'agentgraph.traces.port');
  else if (choice === 'Retry') await startReceiver(client, bar);
}

async function openFile(client: LanguageClient, bar: TraceStatusBar, arg: unknown, watch: boolean): Promise<void> {
  let uri = arg instanceof vscode.Uri ? arg : typeof arg === 'string' && arg.length > 0 ? vscode.Uri.parse(arg) : undefined;
  if (!uri) {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      title: watch ? 'AgentGraph: follow a trace file as it grows' : 'AgentGraph: open a trace file',
      openLabel: watch ? 'Watch' : 'Open',
      filters: { 'Traces (OTLP JSON, JSON Lines, LangGraph debug)': ['json', 'jsonl', 'ndjson', 'log', 'txt'], 'All files': ['*'] },
    });
    uri = picked?.[0];
  }
  if (!uri) return;
  if (uri.scheme !== 'file') {
    void vscode.window.showErrorMessage(`AgentGraph: ${uri.toString()} is not a local file: the trace reader runs beside the language server and reads local files only`);
    return;
  }
  await run(client, bar, TraceOpenFileRequest.method, { path: uri.fsPath, watch } satisfies TraceOpenFileRequest.Params);
}

async function menu(client: LanguageClient, bar: TraceStatusBar): Promise<void> {
  const status = await client.sendRequest<TraceStatus>(TraceStatusRequest.method).catch(() => undefined);
  if (status) bar.update(status);
  const running = status?.receiver.state === 'running';
  const items: (vscode.QuickPickItem & { command: string })[] = [
    running
      ? { label: '$(debug-stop) Stop Trace Receiver', description: `127.0.0.1:${status?.receiver.port}`, command: TRACE_COMMANDS.stopReceiver }
      : { label: '$(broadcast) Start Trace Receiver', description: `127.0.0.1:${tracePort()}`, command: TRACE_COMMANDS.startReceiver },
    { label: '$(file) Open Trace File…', description: 'read once, for replay', command: TRACE_COMMANDS.openFile },
    { label: '$(eye) Watch Trace File…', description: 'follow as it grows', command: TRACE_COMMANDS.watchFile },
    { label: '$(clear-all) Clear Traces', description: status ? `${status.keptRuns} run(s) kept` : undefined, command: TRACE_COMMANDS.clear },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: 'AgentGraph traces' });
  if (pick) await vscode.commands.executeCommand(pick.command);
}

function compact(n: number): string {
  return n >= 10_000 ? `${Math.round(n / 1000)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}

/** The status bar item: the span rate while traces arrive, the receiver's port, or the traces kept. */
export class TraceStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('agentgraph.traces', vscode.StatusBarAlignment.Left, 9);

  constructor() {
    this.item.name = 'AgentGraph Traces';
    this.item.command = TRACE_COMMANDS.menu;
  }

  update(s: TraceStatus): void {
    const receiving = s.receiver.state === 'running';
    if (!receiving && s.spans === 0 && s.sources.length === 0 && s.receiver.state !== 'error') {
      this.item.hide();
      return;
    }
    const icon = s.receiver.state === 'error' ? '$(warning)' : receiving ? '$(broadcast)' : '$(pulse)';
    const rate = s.receiver.state === 'error' ? 'trace receiver' : s.spansPerSecond > 0 ? `${compact(s.spansPerSecond)} spans/s` : receiving ? `:${s.receiver.port}` : `${s.keptRuns} run${s.keptRuns === 1 ? '' : 's'}`;
    this.item.text = `${icon} ${rate}`;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown('**AgentGraph traces**\n\n');
    md.appendMarkdown(receiving ? `Receiving OTLP on \`http://127.0.0.1:${s.receiver.port}/v1/traces\`\n\n` : s.receiver.state === 'error' ? `Receiver: ${escape(s.receiver.message ?? 'error')}\n\n` : 'Receiver stopped\n\n');
    md.appendMarkdown(`${s.spansPerSecond} spans/s · ${s.spans} spans · ${s.keptRuns} runs kept${s.evictedRuns ? ` (${s.evictedRuns} older runs folded into the figures)` : ''}\n\n`);
    for (const src of s.sources) md.appendMarkdown(`- ${escape(src.label)}: ${src.spans} spans${src.message ? ` — ${escape(src.message)}` : ''}\n`);
    md.appendMarkdown('\nClick for trace commands.');
    this.item.tooltip = md;
    this.item.backgroundColor = s.receiver.state === 'error' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}

function escape(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}
