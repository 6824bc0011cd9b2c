// LangGraph's debug stream (`stream_mode="debug"`), one JSON value per line -> trace events. Every variant:
//   {step, timestamp, type: checkpoint|task|task_result, payload}     stream_mode="debug"
//   [ns, chunk]                                                       subgraphs=True
//   [mode, chunk]                                                     stream_mode=[..., "debug", ...]
//   [ns, mode, chunk]                                                 both
//   {type: "debug", ns, data: chunk}                                  version="v2"
// and the same lines behind `data: ` (server-sent events, `event:` lines ignored). A `task` opens a span, its
// `task_result` closes it (error, tokens from the AI messages it returns, soft errors from tool messages with
// `status: "error"`); a task inside a subgraph (`ns` = ["parent:task_id", ...]) is a child of the parent's task.
// A top-level checkpoint with `source: "input"` starts a run; one with nothing `next` ends it.
import type { SpanRecord, TraceEvent } from './model.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** `2025-08-12T12:00:00.001000+00:00` -> nanoseconds since the epoch, exactly (microseconds kept). */
export function isoToNanos(s: string): bigint | undefined {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:?\d\d)?$/.exec(s.trim());
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3] ?? 'Z'}`);
  if (!Number.isFinite(ms)) return undefined;
  return BigInt(ms) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

/** Where a chunk sits: the top graph (empty), or inside subgraphs (`parent:task_id` segments). */
type Namespace = readonly string[];

interface Chunk {
  readonly ns: Namespace;
  readonly chunk: Obj;
}

function nsOf(v: unknown): Namespace | undefined {
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  if (typeof v === 'string') return v === '' ? [] : v.split('|');
  if (v === undefined || v === null) return [];
  return undefined;
}

const isDebugChunk = (v: unknown): v is Obj => isObj(v) && typeof v.type === 'string' && (v.type === 'checkpoint' || v.type === 'task' || v.type === 'task_result') && 'payload' in v;

/** Unwraps one line's value into a debug chunk; null when the line is another stream mode (not an error). */
function unwrap(v: unknown): Chunk | null | undefined {
  if (isDebugChunk(v)) return { ns: [], chunk: v };
  if (isObj(v) && typeof v.type === 'string' && 'data' in v) {
    if (v.type !== 'debug') return null;
    const ns = nsOf(v.ns);
    return ns && isDebugChunk(v.data) ? { ns, chunk: v.data } : undefined;
  }
  if (Array.isArray(v)) {
    if (v.length === 2) {
      const [a, b] = v;
      if (typeof a === 'string') return a === 'debug' ? (isDebugChunk(b) ? { ns: [], chunk: b } : undefined) : null;
      const ns = nsOf(a);
      return ns && isDebugChunk(b) ? { ns, chunk: b } : ns ? null : undefined;
    }
    if (v.length === 3) {
      const [a, mode, c] = v;
      const ns = nsOf(a);
      if (!ns || typeof mode !== 'string') return undefined;
      if (mode !== 'debug') return null;
      return isDebugChunk(c) ? { ns, chunk: c } : undefined;
    }
  }
  return undefined;
}

/** Messages in a task's result: `{messages: [...]}`, `[[channel, value], ...]` (older), or LangChain's serialised form. */
function* messagesIn(result: unknown): Generator<Obj> {
  const values: unknown[] = [];
  if (Array.isArray(result)) {
    for (const pair of result) if (Array.isArray(pair) && pair.length === 2) values.push(pair[1]);
  } else if (isObj(result)) values.push(...Object.values(result));
  for (const v of values) {
    const list = Array.isArray(v) ? v : [v];
    for (const m of list.slice(0, 10_000)) {
      if (typeof m === 'string') {
        const parsed = messageFromRepr(m);
        if (parsed) yield parsed;
        continue;
      }
      if (!isObj(m)) continue;
      const msg = isObj(m.kwargs) && m.lc !== undefined ? { ...m.kwargs, type: m.kwargs.type ?? (Array.isArray(m.id) ? String(m.id[m.id.length - 1]) : undefined) } : m;
      if (typeof msg.type === 'string') yield msg;
    }
  }
}

const MAX_REPR = 1 << 20;

/**
 * A message saved as its Python text: `json.dumps(chunk, default=str)`, the way most apps (and these docs) save
 * the stream, turns each LangChain message into `content='...' ... usage_metadata={'input_tokens': 55, ...}`.
 * The class name is not in it; the fields say which message it is: `tool_call_id=` a tool message, `tool_calls=`
 * or `usage_metadata=` an AI message. The fields are read from the end, past the content.
 */
function messageFromRepr(s: string): Obj | undefined {
  if (s.length > MAX_REPR || !s.startsWith('content=')) return undefined;
  const toolAt = s.lastIndexOf(" tool_call_id='");
  if (toolAt >= 0) {
    const status = /^ status='([a-z]+)'/.exec(s.slice(s.indexOf("'", toolAt + 15) + 1))?.[1] ?? /status='([a-z]+)'\s*$/.exec(s)?.[1];
    return { type: 'tool', ...(status ? { status } : {}) };
  }
  const usageAt = s.lastIndexOf(' usage_metadata={');
  if (usageAt < 0 && s.lastIndexOf(' tool_calls=[') < 0) return undefined;
  const msg: Obj = { type: 'ai' };
  if (usageAt >= 0) {
    const u = s.slice(usageAt);
    const input = /'input_tokens': (\d+)/.exec(u)?.[1];
    const output = /'output_tokens': (\d+)/.exec(u)?.[1];
    msg.usage_metadata = { input_tokens: Number(input ?? 0), output_tokens: Number(output ?? 0) };
  }
  const metaAt = s.lastIndexOf(' response_metadata={');
  const model = metaAt >= 0 ? /^ response_metadata=\{[^}]*?'model(?:_name)?': '([^']{1,200})'/.exec(s.slice(metaAt))?.[1] : undefined;
  if (model) msg.response_metadata = { model_name: model };
  return msg;
}

function usageOf(msg: Obj): { input: number; output: number } | undefined {
  const u = msg.usage_metadata;
  if (isObj(u)) return { input: num(u.input_tokens) ?? 0, output: num(u.output_tokens) ?? 0 };
  const rm = msg.response_metadata;
  if (isObj(rm)) {
    const t = isObj(rm.token_usage) ? rm.token_usage : isObj(rm.usage) ? rm.usage : undefined;
    if (t) return { input: num(t.prompt_tokens) ?? num(t.input_tokens) ?? 0, output: num(t.completion_tokens) ?? num(t.output_tokens) ?? 0 };
  }
  return undefined;
}

const isAi = (type: string) => type === 'ai' || type === 'AIMessage' || type === 'AIMessageChunk';
const isTool = (type: string) => type === 'tool' || type === 'ToolMessage';

interface OpenTask {
  readonly record: SpanRecord;
}

const MAX_OPEN_TASKS = 10_000;

/**
 * Reads one debug stream, line by line. It keeps what the lines do not repeat: the current run of each thread
 * and the tasks still open.
 */
export class LangGraphDebugParser {
  private run: string | undefined;
  private runCount = 0;
  /** The highest step of a top-level task result in the current run: a task at this step or below starts another run. */
  private resultStep: number | undefined;
  /** The current run has had a top-level task result. */
  private hadResult = false;
  private readonly open = new Map<string, OpenTask>();
  /** Lines that were not a debug chunk nor another stream mode. */
  malformed = 0;
  /** The first few reasons, for the user. */
  readonly reasons: string[] = [];

  /** `source` names the stream in run ids and labels (a file name). */
  constructor(private readonly source: string) {}

  /** One line of the stream; blank lines and other stream modes give nothing. */
  push(line: string): TraceEvent[] {
    let text = line.trim();
    if (text === '' || text.startsWith('event:') || text.startsWith(':')) return [];
    if (text.startsWith('data:')) text = text.slice(5).trim();
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return this.bad(`a line is not JSON: ${text.slice(0, 80)}`);
    }
    return this.pushValue(value);
  }

  /** One parsed line. */
  pushValue(value: unknown): TraceEvent[] {
    const c = unwrap(value);
    if (c === null) return [];
    if (c === undefined) return this.bad(`a line is not a LangGraph debug event: ${JSON.stringify(value)?.slice(0, 80)}`);
    return this.chunk(c);
  }

  /** The stream ended (a finished file): its open run ends. */
  end(): TraceEvent[] {
    const out: TraceEvent[] = [];
    if (this.run) out.push({ type: 'runEnd', runId: this.run, source: this.source });
    this.run = undefined;
    this.open.clear();
    return out;
  }

  private bad(reason: string): TraceEvent[] {
    this.malformed++;
    if (this.reasons.length < 5) this.reasons.push(reason);
    return [];
  }

  private currentRun(): string {
    if (!this.run) this.startRun(`${this.source}#${++this.runCount}`);
    return this.run!;
  }

  private startRun(id: string): void {
    this.run = id;
    this.resultStep = undefined;
    this.hadResult = false;
    this.open.clear();
  }

  /**
   * A graph without a checkpointer streams no checkpoint, so nothing marks where one run ends and the next
   * begins when several are appended to one stream. What the stream does carry: a top-level task whose step is
   * not past the steps already finished (the step counter started again), or a task triggered from `__start__`
   * once the run has produced results.
   */
  private newRunStarts(step: number | undefined, triggers: unknown): boolean {
    if (!this.run || !this.hadResult) return false;
    if (step !== undefined && this.resultStep !== undefined && step <= this.resultStep) return true;
    return Array.isArray(triggers) && triggers.some((t) => t === '__start__' || (typeof t === 'string' && t.startsWith('start:')));
  }

  private chunk({ ns, chunk }: Chunk): TraceEvent[] {
    const payload = chunk.payload;
    if (!isObj(payload)) return this.bad('a debug event has no payload object');
    const time = typeof chunk.timestamp === 'string' ? isoToNanos(chunk.timestamp) : undefined;
    const step = num(chunk.step);
    if (chunk.type === 'checkpoint') return this.checkpoint(ns, payload);
    const id = str(payload.id);
    const name = str(payload.name);
    if (!id || !name) return this.bad('a task event has no id or name');
    if (name === '__start__' || name === '__end__') return [];
    if (time === undefined) return this.bad(`task "${name}" has no valid timestamp`);
    const out: TraceEvent[] = [];
    if (ns.length === 0 && chunk.type === 'task' && this.newRunStarts(step, payload.triggers)) {
      out.push({ type: 'runEnd', runId: this.run!, source: this.source });
      this.startRun(`${this.source}#${++this.runCount}`);
    }
    const runId = this.currentRun();
    // Inside a subgraph the task belongs, for the top graph, to the node that runs the subgraph.
    const top = ns.length > 0 ? ns[0] : undefined;
    const parentTask = ns.length > 0 ? ns[ns.length - 1].split(':').slice(1).join(':') || undefined : undefined;
    const node = top ? top.split(':')[0] : name;
    if (chunk.type === 'task') {
      const record: SpanRecord = {
        runId, spanId: id, ...(parentTask ? { parentId: parentTask } : {}), rawName: name, name,
        langgraphNode: node, ...(step !== undefined ? { step } : {}), visitKey: top ?? id,
        modelCall: false, workflow: false, start: time, error: false, softErrors: 0, tokensIn: 0, tokensOut: 0, toolCalls: 0,
      };
      if (this.open.size >= MAX_OPEN_TASKS) this.open.delete(this.open.keys().next().value!);
      this.open.set(id, { record });
      out.push({ type: 'span', span: record, source: this.source });
      return out;
    }
    // task_result
    const opened = this.open.get(id)?.record;
    this.open.delete(id);
    if (ns.length === 0) {
      this.hadResult = true;
      if (step !== undefined && (this.resultStep === undefined || step > this.resultStep)) this.resultStep = step;
    }
    let tokensIn = 0;
    let tokensOut = 0;
    let softErrors = 0;
    let toolCalls = 0;
    let model: string | undefined;
    for (const msg of messagesIn(payload.result)) {
      const type = msg.type as string;
      if (isAi(type)) {
        const u = usageOf(msg);
        if (u) {
          tokensIn += u.input;
          tokensOut += u.output;
        }
        const rm = msg.response_metadata;
        model ??= isObj(rm) ? str(rm.model_name) ?? str(rm.model) : undefined;
      } else if (isTool(type)) {
        toolCalls++;
        if (msg.status === 'error') softErrors++;
      }
    }
    const err = payload.error;
    const error = err !== undefined && err !== null && err !== '' && err !== false;
    const errorMessage = error ? (typeof err === 'string' ? err : JSON.stringify(err)).slice(0, 500) : undefined;
    const record: SpanRecord = {
      ...(opened ?? {
        runId, spanId: id, ...(parentTask ? { parentId: parentTask } : {}), rawName: name, name,
        langgraphNode: node, ...(step !== undefined ? { step } : {}), visitKey: top ?? id,
        modelCall: false, workflow: false, start: time, toolCalls: 0,
      }),
      end: time,
      error,
      ...(errorMessage !== undefined ? { errorMessage } : {}),
      softErrors,
      tokensIn,
      tokensOut,
      toolCalls,
      ...(model ? { model } : {}),
    };
    return [{ type: 'span', span: record, source: this.source }];
  }

  private checkpoint(ns: Namespace, payload: Obj): TraceEvent[] {
    if (ns.length > 0) return [];
    const out: TraceEvent[] = [];
    const metadata = isObj(payload.metadata) ? payload.metadata : {};
    const configurable = isObj(payload.config) && isObj(payload.config.configurable) ? payload.config.configurable : {};
    if (metadata.source === 'input') {
      if (this.run) out.push({ type: 'runEnd', runId: this.run, source: this.source });
      const thread = str(configurable.thread_id);
      const checkpoint = str(configurable.checkpoint_id);
      this.runCount++;
      this.startRun(thread ? `${thread}/${checkpoint ?? this.runCount}` : `${this.source}#${this.runCount}`);
    } else if (Array.isArray(payload.next) && payload.next.length === 0 && this.run && metadata.source !== 'input') {
      out.push({ type: 'runEnd', runId: this.run, source: this.source });
      this.run = undefined;
    }
    return out;
  }
}
