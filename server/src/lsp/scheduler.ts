// Runs analyses off the typing path: one pending run per file, a newer edit cancels the older run, and a
// result is only delivered for the text it was computed from. Large files wait for a pause in typing, so
// that the requests that come with a keystroke (completion, hover) are answered before the parse starts.
import type { Analysis, Workspace } from '../analysis/workspace.ts';
import { CancelledError } from '../analysis/workspace.ts';

export class AnalysisScheduler {
  private readonly running = new Map<string, { cancelled: boolean }>();
  private readonly queued = new Set<string>();
  private scheduled = false;
  private readonly delayed = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly workspace: Workspace,
    private readonly deliver: (analysis: Analysis) => void,
    private readonly onError: (uri: string, error: unknown) => void,
    /** Milliseconds to wait after the last request for a file before analysing it (0: the next turn). */
    private readonly delayFor: (uri: string) => number = () => 0,
  ) {}

  /** Asks for a fresh analysis of these files; any analysis of them under way is abandoned. */
  request(uris: Iterable<string>): void {
    for (const uri of uris) {
      const run = this.running.get(uri);
      if (run) run.cancelled = true;
      clearTimeout(this.delayed.get(uri));
      this.delayed.delete(uri);
      const delay = this.delayFor(uri);
      if (delay > 0) {
        this.delayed.set(uri, setTimeout(() => {
          this.delayed.delete(uri);
          this.enqueue(uri);
        }, delay));
      } else this.enqueue(uri);
    }
  }

  private enqueue(uri: string): void {
    this.queued.add(uri);
    if (!this.scheduled) {
      this.scheduled = true;
      // Let the messages already received (often several edits in a row) be applied first.
      setImmediate(() => this.flush());
    }
  }

  cancel(uri: string): void {
    clearTimeout(this.delayed.get(uri));
    this.delayed.delete(uri);
    this.queued.delete(uri);
    const run = this.running.get(uri);
    if (run) run.cancelled = true;
  }

  private flush(): void {
    this.scheduled = false;
    const uris = [...this.queued];
    this.queued.clear();
    for (const uri of uris) void this.run(uri);
  }

  private async run(uri: string): Promise<void> {
    const token = { cancelled: false };
    this.running.set(uri, token);
    try {
      const analysis = await this.workspace.analyzeAsync(uri, token);
      if (!token.cancelled) this.deliver(analysis);
    } catch (e) {
      if (!(e instanceof CancelledError)) this.onError(uri, e);
    } finally {
      if (this.running.get(uri) === token) this.running.delete(uri);
    }
  }
}
