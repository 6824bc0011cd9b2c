// The trace hub: one aggregator state, the sources that feed it, the graphs that read it. It throttles what it
// tells its owner (figures changed at most every `changeMs`, status at most once a second), ends runs that went
// quiet, and keeps the span rate. No LSP here: the language server feature (lsp/traces.ts) wires it.
import { aggregate, clearTraces, createTraceState, reduce, removeGraph, setGraph, type FigureOptions, type GraphAggregate, type TraceLimits, type TraceState } from './aggregate.ts';
import type { TraceStatus } from '../../../common/traceModel.ts';
import type { GraphContext } from './graphContext.ts';
import type { TraceEvent } from './model.ts';
import { DEFAULT_PORT } from './receiver.ts';
import { FileSource, ReceiverSource, TailSource, type SourceStatus, type TraceSource } from './sources.ts';

/** What the status bar shows (common/traceModel.ts). */
export type HubStatus = TraceStatus;

export interface HubOptions {
  readonly limits?: Partial<TraceLimits>;
  /** Figures changed (throttled). */
  readonly onChange?: () => void;
  /** The status changed (at most once a second). */
  readonly onStatus?: (status: HubStatus) => void;
  /** At most one change notification per this many milliseconds (default 100: 10 a second). */
  readonly changeMs?: number;
  /** A run with no new span for this long is taken as finished (default 30 s). */
  readonly idleRunMs?: number;
  readonly maxBodyBytes?: number;
  readonly now?: () => number;
}

export class TraceHub {
  readonly state: TraceState;
  private readonly extract = { customAttributes: new Set<string>() };
  private readonly sources = new Map<string, TraceSource>();
  private receiver: ReceiverSource | undefined;
  private receiverPort = DEFAULT_PORT;
  private readonly lastActive = new Map<string, number>();
  private dirty = false;
  private lastChangeCost = 0;
  private changeTimer: NodeJS.Timeout | undefined;
  private readonly tickTimer: NodeJS.Timeout;
  private lastSpans = 0;
  private rate = 0;
  private lastStatusKey = '';
  private readonly cache = new Map<string, { ctx: GraphContext; version: number; agg: GraphAggregate }>();
  private disposed = false;

  constructor(private readonly options: HubOptions = {}) {
    this.state = createTraceState(options.limits);
    this.tickTimer = setInterval(() => this.tick(), 1000);
    this.tickTimer.unref?.();
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** Feeds events (the sources call this; tests and the CLI may too). */
  ingest(events: TraceEvent[]): void {
    if (this.disposed || events.length === 0) return;
    reduce(this.state, events);
    const t = this.now();
    let last = '';
    for (const e of events) {
      const id = e.type === 'span' ? e.span.runId : e.runId;
      if (id !== last) this.lastActive.set(id, t);
      last = id;
    }
    this.changed();
  }

  private changed(): void {
    this.dirty = true;
    if (this.changeTimer || this.disposed) return;
    // At most every changeMs; when the listener is slow (figures of many graphs under a heavy stream), twice its
    // cost, up to 200 ms: the overlay still updates 5 times a second and the server keeps time for the rest.
    const base = this.options.changeMs ?? 100;
    const delay = Math.max(base, Math.min(200, this.lastChangeCost * 2));
    this.changeTimer = setTimeout(() => {
      this.changeTimer = undefined;
      if (!this.dirty) return;
      this.dirty = false;
      const t = performance.now();
      try {
        this.options.onChange?.();
      } catch {
        // The owner's listener must not stop the hub.
      }
      this.lastChangeCost = performance.now() - t;
    }, delay);
    this.changeTimer.unref?.();
  }

  /** Once a second: the span rate, runs that went quiet, the status. Public for tests. */
  tick(): void {
    const spans = this.state.counters.spans;
    this.rate = Math.max(0, spans - this.lastSpans);
    this.lastSpans = spans;
    // Runs that went quiet are over: their last node gets its transition to END, nothing stays "running".
    const idle = this.options.idleRunMs ?? 30_000;
    const t = this.now();
    const ended: TraceEvent[] = [];
    for (const [id, at] of this.lastActive) {
      const run = this.state.runs.get(id);
      if (!run) this.lastActive.delete(id);
      else if (t - at >= idle) {
        this.lastActive.delete(id);
        if (!run.ended) ended.push({ type: 'runEnd', runId: id, source: run.source });
      }
    }
    if (ended.length > 0) {
      reduce(this.state, ended);
      this.changed();
    }
    this.emitStatus();
  }

  private emitStatus(force = false): void {
    const s = this.status();
    const key = JSON.stringify(s);
    if (!force && key === this.lastStatusKey) return;
    this.lastStatusKey = key;
    try {
      this.options.onStatus?.(s);
    } catch {
      // As above.
    }
  }

  status(): HubStatus {
    const r = this.receiver?.status();
    return {
      receiver: {
        state: r ? (r.state === 'done' ? 'stopped' : r.state) : 'stopped',
        port: r?.port ?? this.receiverPort,
        ...(r?.message ? { message: r.message } : {}),
      },
      spansPerSecond: this.rate,
      spans: this.state.counters.spans,
      runs: this.state.counters.runs,
      keptRuns: this.state.runs.size,
      keptSpans: this.state.spanCount,
      evictedRuns: this.state.counters.evictedRuns,
      droppedSpans: this.state.counters.droppedSpans,
      sources: [...this.sources.values()].map((s) => s.status()),
    };
  }

  /** Registers a graph (its figures survive eviction; its `tracing.node_attribute` is kept from now on). */
  setGraph(ctx: GraphContext): void {
    if (this.state.graphs.get(ctx.key) === ctx) return;
    setGraph(this.state, ctx);
    this.refreshAttributes();
    this.changed();
  }

  removeGraph(key: string): void {
    if (!this.state.graphs.has(key)) return;
    removeGraph(this.state, key);
    this.cache.delete(key);
    this.refreshAttributes();
  }

  private refreshAttributes(): void {
    this.extract.customAttributes.clear();
    for (const g of this.state.graphs.values()) if (g.naming.nodeAttribute) this.extract.customAttributes.add(g.naming.nodeAttribute);
  }

  /** The figures of a graph (cached until the traces or the graph change). */
  aggregate(ctx: GraphContext, options: FigureOptions = {}): GraphAggregate {
    if (options.runId !== undefined) return aggregate(this.state, ctx, options);
    const c = this.cache.get(ctx.key);
    if (c && c.ctx === ctx && c.version === this.state.version) return c.agg;
    const agg = aggregate(this.state, ctx, options);
    this.cache.set(ctx.key, { ctx, version: this.state.version, agg });
    return agg;
  }

  /**
   * Starts (or moves) the receiver. Starts and stops run one after another: a port typed in the settings asks for
   * a start per keystroke, and two starts that overlapped would each bind a port and forget the first.
   */
  startReceiver(port: number): Promise<SourceStatus> {
    return this.serially(() => this.startReceiverNow(port));
  }

  stopReceiver(): Promise<void> {
    return this.serially(() => this.stopReceiverNow());
  }

  private receiverQueue: Promise<unknown> = Promise.resolve();

  private serially<T>(op: () => Promise<T>): Promise<T> {
    const next = this.receiverQueue.then(op, op);
    this.receiverQueue = next.catch(() => undefined);
    return next;
  }

  private async startReceiverNow(port: number): Promise<SourceStatus> {
    if (this.receiver) {
      if (this.receiver.status().state === 'running' && this.receiver.port === port) return this.receiver.status();
      await this.stopReceiverNow();
    }
    this.receiverPort = port;
    const source = new ReceiverSource(port, this.extract, this.options.maxBodyBytes);
    this.receiver = source;
    this.sources.set(source.id, source);
    const status = await source.start({ events: (e) => this.ingest(e) });
    if (status.state !== 'running') this.sources.delete(source.id);
    this.emitStatus(true);
    return status;
  }

  private async stopReceiverNow(): Promise<void> {
    const r = this.receiver;
    this.receiver = undefined;
    if (r) {
      this.sources.delete(r.id);
      await r.stop();
    }
    this.emitStatus(true);
  }

  /** Reads a finished file once (`watch` false) or follows it as it grows. */
  async openFile(path: string, watch: boolean): Promise<SourceStatus> {
    const source: TraceSource = watch ? new TailSource(path, this.extract) : new FileSource(path, this.extract);
    const previous = this.sources.get(source.id);
    if (previous) await previous.stop();
    this.sources.set(source.id, source);
    const status = await source.start({ events: (e) => this.ingest(e) });
    if (status.state === 'error') this.sources.delete(source.id);
    this.emitStatus(true);
    return status;
  }

  /** Stops following every file (the receiver stays). */
  async stopFiles(): Promise<void> {
    for (const [id, s] of this.sources) {
      if (s.kind === 'receiver') continue;
      await s.stop();
      this.sources.delete(id);
    }
    this.emitStatus(true);
  }

  /** Forgets every run; sources keep running. */
  clear(): void {
    clearTraces(this.state);
    this.lastActive.clear();
    this.cache.clear();
    for (const [id, s] of this.sources) if (s.kind === 'file') this.sources.delete(id);
    this.lastSpans = 0;
    this.rate = 0;
    this.changed();
    this.emitStatus(true);
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    clearInterval(this.tickTimer);
    if (this.changeTimer) clearTimeout(this.changeTimer);
    for (const s of this.sources.values()) await s.stop();
    this.sources.clear();
  }
}
