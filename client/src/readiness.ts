// The readiness check in VS Code: the command "AgentGraph: Check Production Readiness" (from the palette, the
// status bar or the server's lens), its progress, the report (the server's Markdown in VS Code's own preview,
// served read-only from a virtual document), and a status bar item with the active graph's verdict.
// The check itself runs in the language server (`agentgraph/readiness`); nothing is computed here.
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WorkDoneProgress, type LanguageClient, type WorkDoneProgressReport, type WorkDoneProgressBegin, type WorkDoneProgressEnd } from 'vscode-languageclient/node';
import { ReadinessCommand, ReadinessRequest, ReadinessStatusNotification } from '../../common/protocol.ts';
import type { ClientFeature } from './context.ts';
import { holdsGraph, isCodeSource } from './graphSources.ts';

/** The virtual document that holds the last report, shown with `markdown.showPreview`. */
export const REPORT_URI = vscode.Uri.from({ scheme: 'agentgraph-readiness', path: '/AgentGraph Readiness.md' });

export const readinessFeature: ClientFeature = (context, client) => {
  const report = new ReportDocument();
  const status = new VerdictStatus(client);
  context.subscriptions.push(
    report,
    status,
    vscode.workspace.registerTextDocumentContentProvider(REPORT_URI.scheme, report),
    vscode.commands.registerCommand(ReadinessCommand.id, (arg?: unknown) => checkReadiness(client, report, arg)),
  );
};

async function checkReadiness(client: LanguageClient, report: ReportDocument, arg: unknown): Promise<void> {
  const scope = await chooseScope(client, arg);
  if (!scope) return;
  let result: ReadinessRequest.Result | undefined;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'AgentGraph: checking production readiness', cancellable: true },
      async (progress, cancel) => {
        const workDoneToken = randomUUID();
        let done = 0;
        const sub = client.onProgress(WorkDoneProgress.type, workDoneToken, (value: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd) => {
          if (value.kind === 'end') return;
          const pct = typeof value.percentage === 'number' ? Math.max(0, Math.min(100, value.percentage)) : undefined;
          progress.report({ message: value.message, increment: pct !== undefined && pct > done ? pct - done : undefined });
          if (pct !== undefined) done = Math.max(done, pct);
        });
        try {
          const params: ReadinessRequest.Params = { ...scope, workDoneToken };
          return await client.sendRequest<ReadinessRequest.Result>(ReadinessRequest.method, params, cancel);
        } finally {
          sub.dispose();
        }
      },
    );
  } catch (e) {
    if (isCancellation(e)) return;
    void vscode.window.showErrorMessage(`AgentGraph: the readiness check failed: ${(e as Error)?.message ?? String(e)}`);
    return;
  }
  if (!result) return;
  if (result.problems.length > 0) void vscode.window.showWarningMessage(`AgentGraph: ${result.problems.join('; ')}`);
  report.set(previewLinks(client, result.markdown));
  await vscode.commands.executeCommand('markdown.showPreview', REPORT_URI);
}

/**
 * The preview does not follow `file:` links (markdown-it refuses them), but it resolves a link that starts with
 * `/` against the first workspace folder, keeping a `#L12` fragment as the line to open. So each place becomes a
 * path from that folder (with `..` for files outside it).
 */
function previewLinks(client: LanguageClient, markdown: string): string {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  return markdown.replace(/\[((?:\\.|[^\]\\])*)\]\((file:[^)\s]+)\)/g, (_whole, label: string, href: string) => {
    try {
      const hash = href.indexOf('#');
      const target = client.protocol2CodeConverter.asUri(hash >= 0 ? href.slice(0, hash) : href);
      // Without a folder to resolve against, the place stays as text rather than a link that cannot open.
      if (!root || target.scheme !== root.scheme || target.authority !== root.authority) return label;
      const rel = path.posix.relative(root.path, target.path);
      return `[${label}](/${rel.split('/').map(encodeURIComponent).join('/')}${hash >= 0 ? href.slice(hash) : ''})`;
    } catch {
      return label;
    }
  });
}

/** The current graph file or the whole workspace: from the argument (status bar, lens), else a quick pick. */
async function chooseScope(client: LanguageClient, arg: unknown): Promise<{ scope: 'files'; uris: string[] } | { scope: 'workspace' } | undefined> {
  const given = arg instanceof vscode.Uri ? client.code2ProtocolConverter.asUri(arg) : ReadinessCommand.argument.safeParse(arg).data;
  if (given) return { scope: 'files', uris: [given] };
  const doc = vscode.window.activeTextEditor?.document;
  if (!doc || !isGraphDocument(doc)) return { scope: 'workspace' };
  const file = vscode.workspace.asRelativePath(doc.uri);
  const picked = await vscode.window.showQuickPick(
    [
      { label: '$(file) Current graph', description: file, scope: 'file' as const },
      { label: '$(folder) Whole workspace', description: 'every agent graph file and LangGraph module in the open folders', scope: 'workspace' as const },
    ],
    { title: 'AgentGraph: Check Production Readiness', placeHolder: 'What should be checked?' },
  );
  if (!picked) return undefined;
  return picked.scope === 'file' ? { scope: 'files', uris: [client.code2ProtocolConverter.asUri(doc.uri)] } : { scope: 'workspace' };
}

function isGraphDocument(doc: vscode.TextDocument): boolean {
  return holdsGraph(doc);
}

function isCancellation(e: unknown): boolean {
  return e instanceof vscode.CancellationError || (typeof e === 'object' && e !== null && (e as { code?: unknown }).code === -32800);
}

/** The report as a read-only Markdown document; the preview refreshes when it changes. */
class ReportDocument implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private markdown = '## AgentGraph production readiness\n\nRun **AgentGraph: Check Production Readiness** to fill this report.\n';
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  set(markdown: string): void {
    this.markdown = markdown;
    this.changed.fire(REPORT_URI);
  }

  provideTextDocumentContent(): string {
    return this.markdown;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The active graph's verdict in the status bar, as the server last pushed it; a click checks that file. */
class VerdictStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('agentgraph.readiness', vscode.StatusBarAlignment.Left, 40);
  private readonly verdicts = new Map<string, ReadinessStatusNotification.Params>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly client: LanguageClient) {
    this.item.name = 'AgentGraph Production Readiness';
    client.onNotification(ReadinessStatusNotification.method, (raw: unknown) => {
      const parsed = ReadinessStatusNotification.params.safeParse(raw);
      if (!parsed.success) return;
      this.verdicts.set(parsed.data.uri, parsed.data);
      this.update();
    });
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.workspace.onDidCloseTextDocument((doc) => this.verdicts.delete(this.client.code2ProtocolConverter.asUri(doc.uri))),
    );
  }

  private update(): void {
    const doc = vscode.window.activeTextEditor?.document;
    const v = doc && this.verdicts.get(this.client.code2ProtocolConverter.asUri(doc.uri));
    // A module whose graph was deleted keeps no verdict on screen (the server sends none for it any more).
    if (!v || (isCodeSource(doc) && !holdsGraph(doc))) {
      this.item.hide();
      return;
    }
    // The server's words for the verdict, the same as the lens and the report: nothing is recomputed here.
    this.item.text = `${v.verdict === 'ready' ? '$(pass)' : '$(warning)'} ${v.short}`;
    const label = `AgentGraph: ${v.graph} ${v.sentence}`;
    this.item.tooltip = `${label}${v.firstFix ? `\nDo first: ${v.firstFix}` : ''}\nClick for the report.`;
    this.item.accessibilityInformation = { label };
    this.item.command = { title: 'Check Production Readiness', command: ReadinessCommand.id, arguments: [v.uri] };
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
    this.disposables.forEach((d) => d.dispose());
  }
}
