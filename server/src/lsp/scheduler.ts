// Runs analyses off the typing path: one pending run per file, a newer edit cancels the older run, and a
// result is only delivered for the text it was computed from.
import type { Analysis, Workspace } from '../core/workspace.ts';
import { CancelledError } from '../core/workspace.ts';

export class AnalysisScheduler {
  private readonly running = new Map<string, { cancelled: boolean }>();
  private readonly queued = new Set<string>();
  private scheduled = false;

  constructor(
    private readonly workspace: Workspace,
    private readonly deliver: (analysis: Analysis) => void,
    private readonly onError: (uri: string, error: unknown) => void,
  ) {}

  /** Asks for a fresh analysis of these files; any analysis of them under way is abandoned. */
  request(uris: Iterable<string>): void {
    for (const uri of uris) {
      const run = this.running.get(uri);
      if (run) run.cancelled = true;
      this.queued.add(uri);
    }
    if (!this.scheduled) {
      this.scheduled = true;
      // Let the messages already received (often several edits in a row) be applied first.
      setImmediate(() => this.flush());
    }
  }

  cancel(uri: string): void {
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
