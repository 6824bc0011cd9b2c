// Trace files -> trace events, whatever they hold: one OTLP JSON request (pretty-printed or not), OTLP JSON
// Lines (the OpenTelemetry file exporter: one TracesData per line), or a LangGraph debug stream (JSON Lines,
// every variant). The format is told line by line, so a reader can follow a file as it grows.
import { LangGraphDebugParser } from './langgraphDebug.ts';
import { extractSpan, type ExtractOptions } from './mapping.ts';
import type { TraceEvent } from './model.ts';
import { decodeOtlpJson, OtlpFormatError } from './otlp.ts';

export type TraceFormat = 'otlp-json' | 'otlp-jsonl' | 'langgraph-debug' | 'empty' | 'unknown';

const isOtlp = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && ('resourceSpans' in v || 'resource_spans' in v);

/** Reads trace text line by line (tailing) or at once (`readTraceText`). */
export class TraceTextReader {
  private readonly debug: LangGraphDebugParser;
  private readonly otlpRuns = new Set<string>();
  private otlpLines = 0;
  private debugLines = 0;
  /** Lines that were neither OTLP nor a debug event. */
  malformed = 0;
  /** Spans an OTLP line held that could not be used. */
  rejected = 0;
  readonly reasons: string[] = [];

  constructor(
    private readonly source: string,
    private readonly options: ExtractOptions = {},
  ) {
    this.debug = new LangGraphDebugParser(source);
  }

  get format(): TraceFormat {
    if (this.otlpLines > 0) return 'otlp-jsonl';
    if (this.debugLines > 0) return 'langgraph-debug';
    return this.malformed > 0 ? 'unknown' : 'empty';
  }

  private reason(r: string): void {
    if (this.reasons.length < 5) this.reasons.push(r);
  }

  /** One line of a JSON Lines file. */
  pushLine(line: string): TraceEvent[] {
    const text = line.trim();
    if (text === '') return [];
    if (text[0] === '{') {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        this.malformed++;
        this.reason(`a line is not JSON: ${text.slice(0, 80)}`);
        return [];
      }
      if (isOtlp(value)) return this.otlp(value);
      return this.debugValue(value);
    }
    const before = this.debug.malformed;
    const events = this.debug.push(text);
    this.countDebug(before, events);
    return events;
  }

  /** A whole JSON value (a pretty-printed OTLP file, or an array of lines). */
  pushValue(value: unknown): TraceEvent[] {
    if (isOtlp(value)) return this.otlp(value);
    if (Array.isArray(value) && value.length > 0 && value.every(isOtlp)) return value.flatMap((v) => this.otlp(v));
    if (Array.isArray(value) && value.length > 0 && value.every((v) => Array.isArray(v) || (typeof v === 'object' && v !== null))) {
      // A list of debug events (`list(graph.stream(..., stream_mode="debug"))` saved as JSON), unless it is one variant's tuple.
      const probe = new LangGraphDebugParser(this.source);
      if (probe.pushValue(value).length === 0 && probe.malformed > 0) return value.flatMap((v) => this.debugValue(v));
    }
    return this.debugValue(value);
  }

  private debugValue(value: unknown): TraceEvent[] {
    const before = this.debug.malformed;
    const events = this.debug.pushValue(value);
    this.countDebug(before, events);
    return events;
  }

  private countDebug(before: number, events: TraceEvent[]): void {
    if (this.debug.malformed > before) {
      this.malformed += this.debug.malformed - before;
      for (const r of this.debug.reasons.slice(-1)) this.reason(r);
    } else this.debugLines++;
    void events;
  }

  private otlp(value: unknown): TraceEvent[] {
    this.otlpLines++;
    try {
      const r = decodeOtlpJson(value);
      this.rejected += r.rejected;
      for (const reason of r.reasons) this.reason(reason);
      return r.spans.map((s) => {
        this.otlpRuns.add(s.traceId);
        return { type: 'span' as const, span: extractSpan(s, this.options), source: this.source };
      });
    } catch (e) {
      if (!(e instanceof OtlpFormatError)) throw e;
      this.malformed++;
      this.reason(e.message);
      return [];
    }
  }

  /** The file is complete: every run it held has ended. */
  end(): TraceEvent[] {
    const out: TraceEvent[] = [...this.debug.end()];
    for (const runId of this.otlpRuns) out.push({ type: 'runEnd', runId, source: this.source });
    this.otlpRuns.clear();
    return out;
  }
}

export interface TraceTextResult {
  readonly events: TraceEvent[];
  readonly format: TraceFormat;
  readonly malformed: number;
  readonly rejected: number;
  readonly reasons: readonly string[];
}

/** Reads a finished trace file: every run in it has ended. */
export function readTraceText(text: string, source: string, options: ExtractOptions = {}): TraceTextResult {
  const reader = new TraceTextReader(source, options);
  const events: TraceEvent[] = [];
  const trimmed = text.trimStart();
  let whole: unknown;
  let parsedWhole = false;
  if (trimmed[0] === '{' || trimmed[0] === '[') {
    try {
      whole = JSON.parse(trimmed);
      parsedWhole = true;
    } catch {
      // JSON Lines: several values.
    }
  }
  let format: TraceFormat;
  if (parsedWhole) {
    // A loop, not a spread: a file of hundreds of thousands of spans would overflow the call stack.
    for (const e of reader.pushValue(whole)) events.push(e);
    format = isOtlp(whole) || (Array.isArray(whole) && whole.every(isOtlp)) ? 'otlp-json' : reader.format;
  } else {
    let start = 0;
    while (start <= text.length) {
      let nl = text.indexOf('\n', start);
      if (nl < 0) nl = text.length;
      const line = text.slice(start, nl);
      for (const e of reader.pushLine(line)) events.push(e);
      start = nl + 1;
    }
    format = reader.format;
  }
  for (const e of reader.end()) events.push(e);
  return { events, format, malformed: reader.malformed, rejected: reader.rejected, reasons: reader.reasons };
}
