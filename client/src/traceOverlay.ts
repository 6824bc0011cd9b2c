// The graph panel's trace overlay, host side: asks the server for the figures of the file the panel shows
// (`agentgraph/traces/figures`) whenever they change, for all runs or the run and replay position the webview
// picked, and posts them to the webview (at most 30 times a second; the server says "changed" at most 10).
// The webview's requests are validated before anything is asked of the server.
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { TraceFiguresRequest, TraceOverlayMessages } from '../../common/protocol.ts';
import type { TraceFigures } from '../../common/traceModel.ts';
import { traceFiguresChanged } from './traces.ts';

const MIN_POST_MS = 34;

export class TraceOverlayBridge implements vscode.Disposable {
  private uri: string | undefined;
  private runId: string | null = null;
  private position: number | null = null;
  private heat: TraceOverlayMessages.Heat = 'visits';
  private ready = false;
  private inFlight = false;
  private again = false;
  private lastPost = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly client: LanguageClient,
    private readonly post: (m: TraceOverlayMessages.ToWebview) => unknown,
    private readonly log: (text: string) => void = () => undefined,
  ) {
    this.subscription = traceFiguresChanged.event((uris) => {
      if (this.uri && uris.includes(this.uri)) this.refresh();
    });
  }

  /** The panel shows another file (or none): a new file starts with all its runs. */
  setUri(uri: string | undefined): void {
    if (uri !== this.uri) {
      this.runId = null;
      this.position = null;
    }
    this.uri = uri;
    this.refresh();
  }

  /** The webview (re)loaded and said `ready`. */
  setReady(ready: boolean): void {
    this.ready = ready;
    if (ready) this.refresh();
  }

  /** A message from the webview: true when it was the overlay's (handled), false to let the panel handle it. */
  handle(raw: unknown): boolean {
    if (!raw || typeof raw !== 'object' || typeof (raw as { type?: unknown }).type !== 'string' || !(raw as { type: string }).type.startsWith('trace')) return false;
    const parsed = TraceOverlayMessages.fromWebview.safeParse(raw);
    if (!parsed.success) {
      this.log(`graph panel: ignored a malformed trace message from the webview: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      return true;
    }
    const m = parsed.data;
    if (m.type === 'traceSelectRun') {
      this.runId = m.runId;
      this.position = null;
    } else if (m.type === 'traceReplay') this.position = m.position;
    else this.heat = m.heat;
    this.refresh();
    return true;
  }

  /** Asks for the figures and posts them; calls while a request runs fold into one more. */
  refresh(): void {
    if (!this.ready || !this.uri) return;
    if (this.inFlight || this.timer) {
      this.again = true;
      return;
    }
    const wait = this.lastPost + MIN_POST_MS - Date.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.refresh();
      }, wait);
      return;
    }
    void this.fetch();
  }

  private async fetch(): Promise<void> {
    const uri = this.uri!;
    this.inFlight = true;
    this.again = false;
    try {
      const params: TraceFiguresRequest.Params = { uri, ...(this.runId ? { runId: this.runId } : {}), ...(this.runId && this.position !== null ? { position: this.position } : {}) };
      const figures = await this.client.sendRequest<TraceFiguresRequest.Result>(TraceFiguresRequest.method, params);
      if (uri !== this.uri) return;
      // A run that was evicted or cleared: back to all runs.
      if (this.runId && figures && !figures.run) this.runId = null;
      const shown = figures && (figures.runCount > 0 || figures.runs.length > 0 || Object.keys(figures.nodes).length > 0) ? this.checked(figures) : null;
      this.lastPost = Date.now();
      this.post({ type: 'traceOverlay', figures: shown, heat: this.heat });
    } catch (e) {
      this.log(`trace figures of ${uri} failed: ${(e as Error).message}`);
    } finally {
      this.inFlight = false;
      if (this.again) this.refresh();
    }
  }

  /** The figures with their summary fields checked (see `summaryFigures`): what fails is left out and logged. */
  private checked(figures: TraceFigures): TraceFigures {
    const summary = TraceOverlayMessages.summaryFigures.safeParse(figures);
    if (summary.success) return figures;
    this.log(`trace figures of ${figures.uri}: the loops and unmatched runs were left out of the panel: ${summary.error.issues[0]?.message ?? 'invalid'}`);
    const { mismatchedRuns: _dropped, ...rest } = figures;
    return { ...rest, loops: [] };
  }

  dispose(): void {
    this.subscription.dispose();
    if (this.timer) clearTimeout(this.timer);
  }
}
