// A minimal LSP client over stdio for protocol tests and benchmarks: spawns the bundled server
// (`node dist/cli.js lsp --stdio`), speaks JSON-RPC to it, and collects what it publishes.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: {
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    severity?: number;
    code?: string | number;
    codeDescription?: { href: string };
    source?: string;
    message: string;
    relatedInformation?: { location: { uri: string; range: unknown }; message: string }[];
  }[];
}

/** The language VS Code gives a file of this name (an agent graph file's by default). */
function languageIdOf(uri: string): string {
  if (uri.endsWith('.py')) return 'python';
  if (/\.[mc]?ts$/.test(uri)) return 'typescript';
  if (uri.endsWith('.tsx')) return 'typescriptreact';
  if (/\.[mc]?js$/.test(uri)) return 'javascript';
  if (uri.endsWith('.jsx')) return 'javascriptreact';
  return uri.endsWith('.json') ? 'agentgraph-json' : 'agentgraph-yaml';
}

export class LspTestClient {
  readonly connection: MessageConnection;
  readonly process: ChildProcess;
  private readonly waiters: { uri: string; pred: (p: PublishedDiagnostics) => boolean; resolve: (p: PublishedDiagnostics) => void }[] = [];
  readonly latest = new Map<string, PublishedDiagnostics>();
  readonly messages: string[] = [];
  settings: Record<string, unknown> = {};
  /** What the client answers to `workspace/workspaceFolders`. */
  workspaceFolders: { uri: string; name: string }[] | null = null;
  /** The refresh requests (code lens, inlay hints) the server sent, in order. */
  readonly refreshes: string[] = [];
  stderr = '';

  constructor(cwd = process.cwd()) {
    this.process = spawn(process.execPath, [...(process.env.AGENTGRAPH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean), ...(process.env.AGENTGRAPH_LSP_ENTRY === 'server' ? [resolve('dist/server.js'), '--stdio'] : [resolve('dist/cli.js'), 'lsp', '--stdio'])], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stderr!.on('data', (d) => (this.stderr += String(d)));
    this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
      this.latest.set(p.uri, p);
      for (let i = this.waiters.length - 1; i >= 0; i--) {
        const w = this.waiters[i];
        if (w.uri === p.uri && w.pred(p)) {
          this.waiters.splice(i, 1);
          w.resolve(p);
        }
      }
    });
    this.connection.onNotification('window/showMessage', (p: { message: string }) => this.messages.push(p.message));
    this.connection.onNotification('window/logMessage', () => {});
    this.connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map(() => this.settings));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('workspace/workspaceFolders', () => this.workspaceFolders);
    for (const refresh of ['workspace/codeLens/refresh', 'workspace/inlayHint/refresh']) {
      this.connection.onRequest(refresh, () => {
        this.refreshes.push(refresh);
        return null;
      });
    }
    this.connection.listen();
  }

  async initialize(rootUri: string | null = null): Promise<unknown> {
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } }, textDocument: { publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true } } },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** Resolves with the next diagnostics published for `uri` that satisfy `pred`. */
  next(uri: string, pred: (p: PublishedDiagnostics) => boolean = () => true, timeoutMs = 10_000): Promise<PublishedDiagnostics> {
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms (last: ${JSON.stringify(this.latest.get(uri)?.diagnostics.map((d) => d.code))})`)), timeoutMs);
      this.waiters.push({ uri, pred, resolve: (p) => { clearTimeout(timer); resolvePromise(p); } });
    });
  }

  open(uri: string, text: string, version = 1, languageId = languageIdOf(uri)): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, version: number, changes: unknown[]): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  /** Sends a request (completion, hover, rename...) and resolves with its result. */
  request<R = unknown>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  /** A position request at the first `|` of `marked` (the document's text with a `|` at the cursor). */
  requestAt<R = unknown>(method: string, uri: string, marked: string, extra: Record<string, unknown> = {}): Promise<R> {
    const offset = marked.indexOf('|');
    if (offset < 0) throw new Error('no | marks the cursor');
    const before = marked.slice(0, offset).split('\n');
    const position = { line: before.length - 1, character: before[before.length - 1].length };
    return this.request<R>(method, { textDocument: { uri }, position, ...extra });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  async shutdown(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.connection.sendNotification('exit');
    } catch {
      // The process may already be gone.
    }
    this.connection.dispose();
    if (this.process.exitCode === null) this.process.kill();
  }
}
