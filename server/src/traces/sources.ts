// Trace sources behind one interface: the OTLP/HTTP receiver, a file followed as it grows (OTLP JSON Lines or a
// LangGraph debug stream; truncation and rotation handled; fs.watch with a polling fallback), and a finished
// file read once for replay. Each delivers trace events to a sink and reports its state; none throws at its
// caller once started.
import { promises as fsp, watch, type FSWatcher, type Stats } from 'node:fs';
import { basename } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { TraceSourceStatus } from '../../../common/traceModel.ts';
import { attributeFilter, extractSpan, type ExtractOptions } from './mapping.ts';
import type { TraceEvent } from './model.ts';
import { OtlpReceiver, ReceiverStartError, type ReceiverCounters } from './receiver.ts';
import { readTraceText, TraceTextReader, type TraceFormat } from './traceText.ts';

export interface TraceSink {
  events(events: TraceEvent[]): void;
}

export type SourceKind = 'receiver' | 'tail' | 'file';

export type SourceStatus = TraceSourceStatus;

export interface TraceSource {
  readonly id: string;
  readonly kind: SourceKind;
  /** Starts delivering; resolves with the status once running (or done, for a one-shot file), never rejects. */
  start(sink: TraceSink): Promise<SourceStatus>;
  stop(): Promise<void>;
  status(): SourceStatus;
}

/** Spans in a batch of events (a debug task and its result are one span). */
const countSpans = (events: readonly TraceEvent[]) => new Set(events.flatMap((e) => (e.type === 'span' ? [`${e.span.runId}\u0000${e.span.spanId}`] : []))).size;

/** The OTLP/HTTP receiver as a source. */
export class ReceiverSource implements TraceSource {
  readonly kind = 'receiver' as const;
  readonly id = 'receiver';
  private readonly receiver: OtlpReceiver;
  private state: SourceStatus['state'] = 'stopped';
  private message: string | undefined;

  constructor(
    readonly port: number,
    private readonly extract: ExtractOptions,
    maxBodyBytes?: number,
    private sink?: TraceSink,
  ) {
    this.receiver = new OtlpReceiver({
      port,
      ...(maxBodyBytes ? { maxBodyBytes } : {}),
      onSpans: (spans) => this.sink?.events(spans.map((s) => ({ type: 'span', span: extractSpan(s, this.extract), source: 'receiver' }))),
      // Only what extractSpan reads is decoded: most of a real span's bytes are messages it never looks at.
      keepAttribute: attributeFilter(this.extract),
    });
  }

  get counters(): ReceiverCounters {
    return this.receiver.counters;
  }

  async start(sink: TraceSink): Promise<SourceStatus> {
    this.sink = sink;
    this.state = 'starting';
    try {
      await this.receiver.start();
      this.state = 'running';
      this.message = undefined;
    } catch (e) {
      this.state = 'error';
      this.message = e instanceof ReceiverStartError ? e.message : `the trace receiver could not start: ${(e as Error).message}`;
    }
    return this.status();
  }

  async stop(): Promise<void> {
    await this.receiver.stop();
    this.state = 'stopped';
  }

  status(): SourceStatus {
    const c = this.receiver.counters;
    const problems = c.malformed + c.tooLarge + c.unsupported;
    const message = this.message ?? (problems > 0 ? `${problems} request(s) refused; last: ${this.receiver.lastProblems[this.receiver.lastProblems.length - 1] ?? ''}` : undefined);
    return {
      id: this.id,
      kind: this.kind,
      label: `OTLP receiver on 127.0.0.1:${this.receiver.port ?? this.port}`,
      state: this.state,
      ...(message ? { message } : {}),
      spans: c.spans,
      rejected: c.rejectedSpans,
      malformed: problems,
      ...(this.receiver.port !== undefined ? { port: this.receiver.port } : this.state === 'running' ? {} : { port: this.port }),
    };
  }
}

/** The largest file read at once, and the most read from a followed file per turn. */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;
const TAIL_CHUNK = 4 * 1024 * 1024;
const MAX_LINE = 64 * 1024 * 1024;

/** A finished trace file, read once. */
export class FileSource implements TraceSource {
  readonly kind = 'file' as const;
  readonly id: string;
  private current: SourceStatus;

  constructor(
    private readonly path: string,
    private readonly extract: ExtractOptions,
  ) {
    this.id = `file:${path}`;
    this.current = { id: this.id, kind: 'file', label: basename(path), state: 'stopped', spans: 0, rejected: 0, malformed: 0 };
  }

  async start(sink: TraceSink): Promise<SourceStatus> {
    try {
      const st = await fsp.stat(this.path);
      if (!st.isFile()) return this.set({ state: 'error', message: `${this.path} is not a file` });
      if (st.size > MAX_FILE_BYTES) return this.set({ state: 'error', message: `${basename(this.path)} is ${Math.round(st.size / 1048576)} MiB, over the ${MAX_FILE_BYTES / 1048576} MiB that AgentGraph reads at once: follow it as it grows instead (AgentGraph: Watch Trace File), or split it` });
      const text = await fsp.readFile(this.path, 'utf8');
      const r = readTraceText(text, basename(this.path), this.extract);
      const spans = countSpans(r.events);
      sink.events(r.events);
      const problem = r.malformed + r.rejected > 0 ? `${r.malformed} line(s) were not traces and ${r.rejected} span(s) were unusable; first: ${r.reasons[0] ?? ''}` : spans === 0 ? `${basename(this.path)} holds no spans: expected OTLP JSON, OTLP JSON Lines or a LangGraph debug stream (stream_mode="debug")` : undefined;
      return this.set({ state: 'done', spans, rejected: r.rejected, malformed: r.malformed, format: r.format, ...(problem ? { message: problem } : {}) });
    } catch (e) {
      return this.set({ state: 'error', message: `${this.path} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
    }
  }

  private set(s: Partial<SourceStatus>): SourceStatus {
    this.current = { ...this.current, ...s };
    return this.current;
  }

  async stop(): Promise<void> {
    if (this.current.state !== 'done') this.set({ state: 'stopped' });
  }

  status(): SourceStatus {
    return this.current;
  }
}

/**
 * A file followed as it grows: what it holds is read at once, then each appended line. A file that shrinks
 * (truncated) or is replaced (rotated: another inode) is read again from its start.
 */
export class TailSource implements TraceSource {
  readonly kind = 'tail' as const;
  readonly id: string;
  private reader: TraceTextReader;
  private decoder = new StringDecoder('utf8');
  private offset = 0;
  private ino: number | undefined;
  private partial = '';
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reading = false;
  private again = false;
  private stopped = false;
  private sink: TraceSink | undefined;
  private spans = 0;
  private message: string | undefined;
  private state: SourceStatus['state'] = 'stopped';
  /** Truncations and rotations seen (for tests and the status). */
  restarts = 0;

  constructor(
    private readonly path: string,
    private readonly extract: ExtractOptions,
    private readonly pollMs = 500,
  ) {
    this.id = `tail:${path}`;
    this.reader = new TraceTextReader(basename(path), extract);
  }

  async start(sink: TraceSink): Promise<SourceStatus> {
    this.sink = sink;
    this.stopped = false;
    this.state = 'running';
    try {
      this.watcher = watch(this.path, { persistent: false }, () => this.poke());
      this.watcher.on('error', () => {
        // The file went away or cannot be watched: polling carries on.
        this.watcher?.close();
        this.watcher = undefined;
      });
    } catch {
      this.watcher = undefined; // a file that does not exist yet, or a file system without events: poll
    }
    this.timer = setInterval(() => this.poke(), this.pollMs);
    this.timer.unref?.();
    await this.read();
    return this.status();
  }

  /** Reads what was appended; calls made while a read runs are folded into one more read. */
  poke(): void {
    if (this.stopped) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    void this.read();
  }

  /** Resolves once everything the file holds now has been read. */
  async read(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = true;
    try {
      do {
        this.again = false;
        await this.readOnce();
      } while (this.again && !this.stopped);
    } finally {
      this.reading = false;
    }
  }

  private async readOnce(): Promise<void> {
    let st: Stats;
    try {
      st = await fsp.stat(this.path);
    } catch (e) {
      this.message = `${basename(this.path)} cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}); waiting for it to appear`;
      return;
    }
    this.message = undefined;
    if ((this.ino !== undefined && st.ino !== this.ino) || st.size < this.offset) {
      // Rotated or truncated: start over on the new content.
      this.restarts++;
      this.offset = 0;
      this.partial = '';
      this.decoder = new StringDecoder('utf8');
    }
    this.ino = st.ino;
    if (st.size === this.offset) return;
    const handle = await fsp.open(this.path, 'r');
    try {
      while (this.offset < st.size && !this.stopped) {
        const want = Math.min(TAIL_CHUNK, st.size - this.offset);
        const buf = Buffer.allocUnsafe(want);
        const { bytesRead } = await handle.read(buf, 0, want, this.offset);
        if (bytesRead === 0) break;
        this.offset += bytesRead;
        this.consume(this.decoder.write(buf.subarray(0, bytesRead)));
      }
    } finally {
      await handle.close();
    }
  }

  private consume(text: string): void {
    let data = this.partial + text;
    const events: TraceEvent[] = [];
    let nl: number;
    while ((nl = data.indexOf('\n')) >= 0) {
      const line = data.slice(0, nl);
      data = data.slice(nl + 1);
      for (const e of this.reader.pushLine(line)) events.push(e);
    }
    if (data.length > MAX_LINE) {
      this.message = `a line of ${basename(this.path)} is longer than ${MAX_LINE / 1048576} MiB and was skipped`;
      data = '';
    }
    this.partial = data;
    if (events.length > 0) {
      this.spans += countSpans(events);
      this.sink?.events(events);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.state = 'stopped';
    this.watcher?.close();
    this.watcher = undefined;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  status(): SourceStatus {
    const problems = this.reader.malformed + this.reader.rejected;
    const message = this.message ?? (problems > 0 ? `${this.reader.malformed} line(s) were not traces and ${this.reader.rejected} span(s) were unusable; first: ${this.reader.reasons[0] ?? ''}` : undefined);
    return {
      id: this.id,
      kind: this.kind,
      label: `${basename(this.path)} (followed)`,
      state: this.state,
      ...(message ? { message } : {}),
      spans: this.spans,
      rejected: this.reader.rejected,
      malformed: this.reader.malformed,
      format: this.reader.format,
    };
  }
}
