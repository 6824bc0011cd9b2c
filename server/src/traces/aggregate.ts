// The aggregator: a reducer from (state, batch of trace events) to state, and the figures of a graph derived
// from that state. Deterministic and free of I/O and clocks: the same events in the same order give the same
// state and the same figures (the state is updated in place, for speed; its owner is the only writer).
//
// Memory is bounded: at most `maxRuns` runs and `maxSpans` spans are kept; the least recently active run is
// evicted first, and what it did is folded into an archive per registered graph, so that the figures keep
// counting it (visits, tokens, cost, transitions exactly; latency percentiles from a bounded sample).
import type { TraceEdgeFigures, TraceFigures, TraceNodeFigures, TraceRunSummary, TraceTimelineStep } from '../../../common/traceModel.ts';
import type { GraphContext } from './graphContext.ts';
import type { SpanRecord, TraceEvent } from './model.ts';
import { analyzeRun, type RunAnalysis, type Visit } from './runs.ts';

export interface TraceLimits {
  readonly maxRuns: number;
  readonly maxSpans: number;
  readonly maxSpansPerRun: number;
}

export const DEFAULT_LIMITS: TraceLimits = { maxRuns: 500, maxSpans: 200_000, maxSpansPerRun: 20_000 };

interface RunState {
  readonly id: string;
  source: string;
  readonly spans: Map<string, SpanRecord>;
  version: number;
  ended: boolean;
  /** Arrival order of the run's first span, for a stable picker order. */
  readonly seq: number;
  readonly cache: WeakMap<GraphContext, { version: number; analysis: RunAnalysis }>;
}

export interface TraceCounters {
  /** Span events received (a debug task and its result count once each). */
  spans: number;
  /** Spans dropped because their run already held `maxSpansPerRun`. */
  droppedSpans: number;
  runs: number;
  evictedRuns: number;
}

export interface TraceState {
  readonly limits: TraceLimits;
  readonly runs: Map<string, RunState>;
  spanCount: number;
  readonly counters: TraceCounters;
  /** Graphs whose figures survive eviction (the open graph files). */
  readonly graphs: Map<string, GraphContext>;
  readonly archives: Map<string, Acc>;
  /** Bumped by every change, so that owners can tell whether figures need recomputing. */
  version: number;
  seq: number;
}

export function createTraceState(limits: Partial<TraceLimits> = {}): TraceState {
  const l = { ...DEFAULT_LIMITS, ...limits };
  return {
    limits: { ...l, maxSpansPerRun: Math.min(l.maxSpansPerRun, l.maxSpans) },
    runs: new Map(),
    spanCount: 0,
    counters: { spans: 0, droppedSpans: 0, runs: 0, evictedRuns: 0 },
    graphs: new Map(),
    archives: new Map(),
    version: 0,
    seq: 0,
  };
}

/** Applies a batch of events. Returns the same state, updated. */
export function reduce(state: TraceState, events: readonly TraceEvent[]): TraceState {
  if (events.length === 0) return state;
  const touched = new Set<RunState>();
  for (const e of events) {
    if (e.type === 'runEnd') {
      const run = state.runs.get(e.runId);
      if (run && !run.ended) {
        run.ended = true;
        run.version++;
        touched.add(run);
      }
      continue;
    }
    const s = e.span;
    state.counters.spans++;
    let run = state.runs.get(s.runId);
    if (!run) {
      if (state.runs.size >= state.limits.maxRuns) evictOldest(state, touched);
      run = { id: s.runId, source: e.source, spans: new Map(), version: 0, ended: false, seq: state.seq++, cache: new WeakMap() };
      state.runs.set(s.runId, run);
      state.counters.runs++;
    }
    const had = run.spans.has(s.spanId);
    if (!had && run.spans.size >= state.limits.maxSpansPerRun) {
      state.counters.droppedSpans++;
      continue;
    }
    run.spans.set(s.spanId, s);
    if (!had) state.spanCount++;
    run.version++;
    touched.add(run);
  }
  // The runs of this batch become the most recently active.
  for (const run of touched) {
    if (state.runs.get(run.id) !== run) continue;
    state.runs.delete(run.id);
    state.runs.set(run.id, run);
  }
  while (state.spanCount > state.limits.maxSpans && state.runs.size > 1) evictOldest(state, touched);
  state.version++;
  return state;
}

function evictOldest(state: TraceState, keep: ReadonlySet<RunState>): void {
  let victim: RunState | undefined;
  for (const r of state.runs.values()) {
    if (!keep.has(r)) {
      victim = r;
      break;
    }
  }
  victim ??= state.runs.values().next().value;
  if (!victim) return;
  for (const [key, ctx] of state.graphs) {
    const analysis = analysisOf(victim, ctx);
    if (!analysis.belongs) continue;
    const acc = state.archives.get(key) ?? state.archives.set(key, newAcc()).get(key)!;
    addRun(acc, victim.id, analysis, ctx, true);
  }
  state.runs.delete(victim.id);
  state.spanCount -= victim.spans.size;
  state.counters.evictedRuns++;
}

/** Registers (or updates) a graph whose figures must survive eviction. */
export function setGraph(state: TraceState, ctx: GraphContext): void {
  state.graphs.set(ctx.key, ctx);
  state.version++;
}

export function removeGraph(state: TraceState, key: string): void {
  state.graphs.delete(key);
  state.archives.delete(key);
  state.version++;
}

/** Forgets every run and archive (the registered graphs stay). */
export function clearTraces(state: TraceState): void {
  state.runs.clear();
  state.archives.clear();
  state.spanCount = 0;
  Object.assign(state.counters, { spans: 0, droppedSpans: 0, runs: 0, evictedRuns: 0 });
  state.version++;
}

function analysisOf(run: RunState, ctx: GraphContext): RunAnalysis {
  const c = run.cache.get(ctx);
  if (c && c.version === run.version) return c.analysis;
  const analysis = analyzeRun(run.spans, run.ended, ctx);
  run.cache.set(ctx, { version: run.version, analysis });
  return analysis;
}

/** One run's analysis for a graph, if the run is kept. */
export function runAnalysis(state: TraceState, runId: string, ctx: GraphContext): RunAnalysis | undefined {
  const run = state.runs.get(runId);
  return run ? analysisOf(run, ctx) : undefined;
}

// --- accumulating figures --------------------------------------------------------------------------------------

const MAX_NAMES = 500;
const MAX_SAMPLE = 2048;

interface NodeAcc {
  visits: number;
  attempts: number;
  errors: number;
  softErrors: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  runs: number;
  maxVisitsPerRun: number;
  maxIterations: number;
  latencies: number[];
  /** Latencies offered to a bounded sample (archive only). */
  seen: number;
}

export type BudgetKey = 'usd' | 'tokens' | 'steps' | 'toolCalls' | 'wallS';

/** Runs that went past one limit of the budget: how many, and the worst. */
export interface Overrun {
  runs: number;
  worst: number;
  worstRun: string;
}

interface Acc {
  runs: number;
  otherRuns: number;
  /** Runs of this graph most of whose spans map to no node: counted apart, conformance does not speak from them. */
  mismatchedRuns: number;
  spans: number;
  nodes: Map<string, NodeAcc>;
  edges: Map<string, { from: string; to: string; count: number; failures: number }>;
  unmapped: Map<string, number>;
  unmappedCount: number;
  unknown: Map<string, number>;
  overruns: Map<BudgetKey, Overrun>;
}

function newAcc(): Acc {
  return { runs: 0, otherRuns: 0, mismatchedRuns: 0, spans: 0, nodes: new Map(), edges: new Map(), unmapped: new Map(), unmappedCount: 0, unknown: new Map(), overruns: new Map() };
}

function nodeAcc(acc: Acc, id: string): NodeAcc {
  let n = acc.nodes.get(id);
  if (!n) {
    n = { visits: 0, attempts: 0, errors: 0, softErrors: 0, tokensIn: 0, tokensOut: 0, costUsd: 0, runs: 0, maxVisitsPerRun: 0, maxIterations: 0, latencies: [], seen: 0 };
    acc.nodes.set(id, n);
  }
  return n;
}

function addName(m: Map<string, number>, name: string, count: number): void {
  if (m.has(name) || m.size < MAX_NAMES) m.set(name, (m.get(name) ?? 0) + count);
  else m.set('(other names)', (m.get('(other names)') ?? 0) + count);
}

/** Deterministic reservoir sampling: the same latencies in the same order give the same sample. */
function sample(n: NodeAcc, ms: number): void {
  n.seen++;
  if (n.latencies.length < MAX_SAMPLE) n.latencies.push(ms);
  else {
    const j = Math.floor(((n.seen * 2654435761) % 4294967296) / 4294967296 * n.seen);
    if (j < MAX_SAMPLE) n.latencies[j] = ms;
  }
}

const msBetween = (a: bigint, b: bigint) => Number(b - a) / 1e6;

function runDuration(a: RunAnalysis): number | undefined {
  return a.start !== undefined && a.end !== undefined ? msBetween(a.start, a.end) : undefined;
}

/** Adds one run to an accumulator; `visits` and `transitions` may be a replay prefix. */
function addRun(acc: Acc, runId: string, a: RunAnalysis, ctx: GraphContext, bounded: boolean, visits: readonly Visit[] = a.visits, transitions = a.transitions): void {
  if (!a.belongs) {
    acc.otherRuns++;
    return;
  }
  if (a.mismatched) {
    // The names it gives are kept, to say what does not match; what it did is not this graph's to count.
    acc.mismatchedRuns++;
    for (const [name, count] of a.unmapped) {
      addName(acc.unmapped, name, count);
      acc.unmappedCount += count;
    }
    for (const [name, count] of a.unknown) addName(acc.unknown, name, count);
    return;
  }
  acc.runs++;
  acc.spans += a.spans;
  const perRun = new Map<string, number>();
  for (const v of visits) {
    const n = nodeAcc(acc, v.node);
    n.visits++;
    n.attempts += v.attempts;
    n.errors += v.errors;
    n.softErrors += v.softErrors;
    n.tokensIn += v.tokensIn;
    n.tokensOut += v.tokensOut;
    n.costUsd += v.costUsd;
    if (v.modelCalls > n.maxIterations) n.maxIterations = v.modelCalls;
    if (v.end !== undefined) {
      const ms = msBetween(v.start, v.end);
      if (bounded) sample(n, ms);
      else n.latencies.push(ms);
    }
    perRun.set(v.node, (perRun.get(v.node) ?? 0) + 1);
  }
  for (const [node, count] of perRun) {
    const n = nodeAcc(acc, node);
    n.runs++;
    if (count > n.maxVisitsPerRun) n.maxVisitsPerRun = count;
  }
  for (const t of transitions) {
    const key = `${t.from}\u0000${t.to}`;
    const e = acc.edges.get(key) ?? acc.edges.set(key, { from: t.from, to: t.to, count: 0, failures: 0 }).get(key)!;
    e.count++;
    if (t.failed) e.failures++;
  }
  for (const [name, count] of a.unmapped) {
    addName(acc.unmapped, name, count);
    acc.unmappedCount += count;
  }
  for (const [name, count] of a.unknown) addName(acc.unknown, name, count);

  const b = ctx.budget;
  if (b) {
    const wall = runDuration(a);
    const checks: [BudgetKey, number | undefined, number | undefined][] = [
      ['usd', b.usd, a.costUsd],
      ['tokens', b.tokens, a.tokens],
      ['steps', b.steps, a.steps],
      ['toolCalls', b.toolCalls, a.toolCalls],
      ['wallS', b.wallS, wall !== undefined ? wall / 1000 : undefined],
    ];
    for (const [key, limit, value] of checks) {
      if (limit === undefined || value === undefined || value <= limit) continue;
      const o = acc.overruns.get(key) ?? acc.overruns.set(key, { runs: 0, worst: value, worstRun: runId }).get(key)!;
      o.runs++;
      if (value >= o.worst) {
        o.worst = value;
        o.worstRun = runId;
      }
    }
  }
}

function mergeAcc(into: Acc, from: Acc): void {
  into.runs += from.runs;
  into.otherRuns += from.otherRuns;
  into.mismatchedRuns += from.mismatchedRuns;
  into.spans += from.spans;
  for (const [id, n] of from.nodes) {
    const m = nodeAcc(into, id);
    m.visits += n.visits;
    m.attempts += n.attempts;
    m.errors += n.errors;
    m.softErrors += n.softErrors;
    m.tokensIn += n.tokensIn;
    m.tokensOut += n.tokensOut;
    m.costUsd += n.costUsd;
    m.runs += n.runs;
    m.maxVisitsPerRun = Math.max(m.maxVisitsPerRun, n.maxVisitsPerRun);
    m.maxIterations = Math.max(m.maxIterations, n.maxIterations);
    for (const l of n.latencies) m.latencies.push(l);
  }
  for (const [k, e] of from.edges) {
    const f = into.edges.get(k) ?? into.edges.set(k, { from: e.from, to: e.to, count: 0, failures: 0 }).get(k)!;
    f.count += e.count;
    f.failures += e.failures;
  }
  for (const [name, c] of from.unmapped) addName(into.unmapped, name, c);
  into.unmappedCount += from.unmappedCount;
  for (const [name, c] of from.unknown) addName(into.unknown, name, c);
  for (const [k, o] of from.overruns) {
    const p = into.overruns.get(k);
    if (!p) into.overruns.set(k, { ...o });
    else {
      p.runs += o.runs;
      if (o.worst > p.worst) {
        p.worst = o.worst;
        p.worstRun = o.worstRun;
      }
    }
  }
}

/** Nearest-rank percentile of a list of numbers. */
export function percentile(values: readonly number[], p: number): number | undefined {
  return percentileOfSorted([...values].sort((a, b) => a - b), p);
}

function percentileOfSorted(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

// --- the figures -----------------------------------------------------------------------------------------------

export interface FigureOptions {
  /** One run's figures instead of every run's. */
  readonly runId?: string;
  /** With `runId`: the replay position, how many of the run's timeline steps count (default: all). */
  readonly position?: number;
  /** At most this many runs in the picker list (default 200). */
  readonly maxRunList?: number;
}

/** The figures and what the conformance check needs beyond them. */
export interface GraphAggregate {
  readonly figures: TraceFigures;
  /** Runs past each limit of the budget. */
  readonly overruns: ReadonlyMap<BudgetKey, Overrun>;
  /** Finished runs counted (AG804 waits for enough of them). */
  readonly finishedRuns: number;
}

function nanosToIso(n: bigint): string | undefined {
  const ms = Number(n / 1_000_000n);
  const d = new Date(ms);
  return Number.isFinite(d.getTime()) ? d.toISOString() : undefined;
}

function summary(run: RunState, a: RunAnalysis): TraceRunSummary {
  const start = a.start !== undefined ? nanosToIso(a.start) : undefined;
  const head = run.id.includes('/') ? run.id.slice(0, run.id.indexOf('/')) : run.id.length > 24 ? run.id.slice(0, 8) : run.id;
  const duration = runDuration(a);
  return {
    id: run.id,
    label: start ? `${head} · ${start.slice(11, 19)}` : head,
    ...(start ? { start } : {}),
    ...(duration !== undefined ? { durationMs: round(duration, 3) } : {}),
    status: a.status,
    visits: a.visits.length,
    errors: a.visits.reduce((s, v) => s + v.errors, 0),
    tokens: a.tokens,
    costUsd: round(a.costUsd, 6),
    spans: a.spans,
    source: run.source,
  };
}

/** The figures of a graph over the kept runs and its archive, or of one run up to a replay position. */
export function aggregate(state: TraceState, ctx: GraphContext, options: FigureOptions = {}): GraphAggregate {
  const acc = newAcc();
  const active = new Set<string>();
  const summaries: { seq: number; s: TraceRunSummary }[] = [];
  let finishedRuns = 0;
  let runInfo: TraceFigures['run'];

  const selected = options.runId !== undefined ? state.runs.get(options.runId) : undefined;
  if (selected) {
    const a = analysisOf(selected, ctx);
    const total = a.visits.length;
    const position = Math.max(0, Math.min(total, Math.floor(options.position ?? total)));
    const visits = a.visits.slice(0, position);
    const transitions = a.transitions.filter((t) => position === total || t.at < position);
    addRun(acc, selected.id, { ...a, belongs: true, mismatched: false }, ctx, false, visits, transitions);
    if (position < total) {
      if (position > 0) active.add(a.visits[position - 1].node);
    } else for (const n of a.active) active.add(n);
    if (a.finished) finishedRuns = 1;
    const t0 = a.start ?? 0n;
    const timeline: TraceTimelineStep[] = a.visits.map((v) => ({
      node: v.node,
      ...(v.step !== undefined ? { step: v.step } : {}),
      startMs: round(msBetween(t0, v.start), 3),
      ...(v.end !== undefined ? { endMs: round(msBetween(t0, v.end), 3) } : {}),
      attempts: v.attempts,
      failed: v.failed,
    }));
    runInfo = { id: selected.id, timeline, position };
  } else {
    const archive = state.archives.get(ctx.key);
    if (archive) {
      mergeAcc(acc, archive);
      finishedRuns += archive.runs;
    }
    for (const run of state.runs.values()) {
      const a = analysisOf(run, ctx);
      addRun(acc, run.id, a, ctx, false);
      if (!a.belongs || a.mismatched) continue;
      if (a.finished) finishedRuns++;
      for (const n of a.active) active.add(n);
    }
  }
  for (const run of state.runs.values()) {
    const a = analysisOf(run, ctx);
    if (a.belongs) summaries.push({ seq: run.seq, s: summary(run, a) });
  }
  summaries.sort((x, y) => y.seq - x.seq);

  const nodes: Record<string, TraceNodeFigures> = {};
  for (const [id, n] of acc.nodes) {
    const info = ctx.nodes.get(id);
    const sorted = [...n.latencies].sort((a, b) => a - b);
    const p50 = percentileOfSorted(sorted, 0.5);
    const p95 = percentileOfSorted(sorted, 0.95);
    nodes[id] = {
      visits: n.visits,
      attempts: n.attempts,
      errors: n.errors,
      softErrors: n.softErrors,
      tokensIn: n.tokensIn,
      tokensOut: n.tokensOut,
      costUsd: round(n.costUsd, 6),
      ...(p50 !== undefined ? { p50Ms: round(p50, 3) } : {}),
      ...(p95 !== undefined ? { p95Ms: round(p95, 3) } : {}),
      runs: n.runs,
      maxVisitsPerRun: n.maxVisitsPerRun,
      ...(info?.maxVisits !== undefined ? { bound: info.maxVisits } : {}),
      ...(info?.kind === 'agent' || n.maxIterations > 0 ? { maxIterations: n.maxIterations } : {}),
      ...(info?.maxIterations !== undefined ? { iterationBound: info.maxIterations } : {}),
      active: active.has(id),
    };
  }
  for (const id of active) {
    nodes[id] ??= { visits: 0, attempts: 0, errors: 0, softErrors: 0, tokensIn: 0, tokensOut: 0, costUsd: 0, runs: 0, maxVisitsPerRun: 0, active: true };
  }

  const edges: TraceEdgeFigures[] = [...acc.edges.values()]
    .map((e) => {
      const kinds = ctx.edges.get(e.from)?.get(e.to);
      const declared = kinds !== undefined;
      const kind = kinds ? (e.failures > 0 && kinds.includes('error') ? 'error' : kinds[0]) : undefined;
      return { from: e.from, to: e.to, count: e.count, failures: e.failures, declared, ...(kind ? { kind } : {}) };
    })
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0));

  // A loop bounded by one node's max_visits counts that node's visits; otherwise the most visits of any of its nodes.
  const loops = ctx.loops.map((l) => ({
    nodes: [...l.nodes], bound: l.bound, ...(l.node !== undefined ? { node: l.node } : {}),
    maxIterations: l.node !== undefined ? acc.nodes.get(l.node)?.maxVisitsPerRun ?? 0 : Math.max(0, ...l.nodes.map((n) => acc.nodes.get(n)?.maxVisitsPerRun ?? 0)),
  }));
  const byCount = (m: Map<string, number>) => [...m].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1)).slice(0, 50);

  const figures: TraceFigures = {
    uri: ctx.key,
    runCount: acc.runs,
    spanCount: acc.spans,
    nodes,
    edges,
    loops,
    active: [...active].sort(),
    unmapped: { count: acc.unmappedCount, names: byCount(acc.unmapped) },
    unknownNames: byCount(acc.unknown),
    runs: summaries.slice(0, options.maxRunList ?? 200).map((x) => x.s),
    ...(runInfo ? { run: runInfo } : {}),
    evictedRuns: state.archives.get(ctx.key)?.runs ?? 0,
    otherRuns: acc.otherRuns,
    mismatchedRuns: acc.mismatchedRuns,
  };
  return { figures, overruns: acc.overruns, finishedRuns };
}

/** The figures alone. */
export function figures(state: TraceState, ctx: GraphContext, options: FigureOptions = {}): TraceFigures {
  return aggregate(state, ctx, options).figures;
}
