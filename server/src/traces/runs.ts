// One run's spans -> what happened in it, for one graph: each span's node (inherited from the nearest named
// ancestor where it names none), the visits with their attempts, errors, tokens and cost, the replay order and
// the transitions taken. Pure: the same spans and graph always give the same result, whatever order the spans
// arrived in (spans arrive when they end, so children come before their parents).
import { END, START, priceFor, type GraphContext } from './graphContext.ts';
import { explicitNames, ownName, type OwnName } from './mapping.ts';
import type { SpanRecord } from './model.ts';

export interface Visit {
  /** Position in the run's replay order. */
  readonly index: number;
  readonly node: string;
  readonly attempts: number;
  /** Attempts that failed. */
  readonly errors: number;
  readonly softErrors: number;
  /** The last attempt failed: the run left the node through a failure. */
  readonly failed: boolean;
  /** An attempt has not ended yet. */
  readonly open: boolean;
  readonly start: bigint;
  readonly end?: bigint;
  readonly step?: number;
  readonly depth: number;
  readonly tokensIn: number;
  readonly tokensOut: number;
  readonly costUsd: number;
  readonly modelCalls: number;
  readonly toolCalls: number;
  /** The visit whose span encloses this one (a call from inside another node), by index. */
  readonly parent?: number;
}

export interface TakenTransition {
  readonly from: string;
  readonly to: string;
  /** Taken after `from` failed. */
  readonly failed: boolean;
  /** The replay position from which it counts: the index of the visit it leads to (visits.length for END). */
  readonly at: number;
}

export type RunStatus = 'running' | 'ok' | 'failed';

export interface RunAnalysis {
  readonly visits: readonly Visit[];
  readonly transitions: readonly TakenTransition[];
  /** Spans with no node, by name (run spans aside). */
  readonly unmapped: ReadonlyMap<string, number>;
  /** Names given by rules 0-4 that are no node of the graph, by name. */
  readonly unknown: ReadonlyMap<string, number>;
  readonly active: readonly string[];
  readonly finished: boolean;
  readonly status: RunStatus;
  readonly start?: bigint;
  readonly end?: bigint;
  readonly spans: number;
  readonly costUsd: number;
  readonly tokens: number;
  readonly toolCalls: number;
  /** Node visits: what `budget.steps` counts. */
  readonly steps: number;
  /**
   * Whether the run is this graph's: some span names a node of it, and neither the run's `service.name` nor
   * its LangGraph graph name says it is another graph's. Runs of other agents are left out of its figures.
   */
  readonly belongs: boolean;
  /** Most of the run's spans that offer a name name no node of the graph, nor sit inside one (renamed nodes): conformance does not speak from it. */
  readonly mismatched: boolean;
  /** Spans that name a node of the graph themselves. */
  readonly mappedSpans: number;
  /** The OTLP resource's `service.name`. */
  readonly service?: string;
  /** The name LangGraph gave the run (the span that runs the graph's tasks; `LangGraph` unless compiled with a name). */
  readonly graphName?: string;
}

/** LangGraph's own tasks: never a node of the user's graph. */
const LANGGRAPH_INTERNAL = new Set(['__start__', '__end__']);
const DEFAULT_GRAPH_NAME = 'LangGraph';

interface VisitAcc {
  node: string;
  tops: SpanRecord[];
  softErrors: number;
  tokensIn: number;
  tokensOut: number;
  costUsd: number;
  modelCalls: number;
  toolCalls: number;
  depth: number;
  first: SpanRecord;
}

const cmpBig = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Analyses one run. `spans` are the run's spans by id; `ended` says the source saw the run end (a finished
 * file, LangGraph's last checkpoint, an idle timeout).
 */
export function analyzeRun(spans: ReadonlyMap<string, SpanRecord>, ended: boolean, ctx: GraphContext): RunAnalysis {
  const naming = ctx.naming;
  const list = [...spans.values()];
  const parentOf = (s: SpanRecord) => (s.parentId !== undefined ? spans.get(s.parentId) : undefined);

  // 1. Each span's own name, and the run spans (the workflow, a root that names no node).
  const own = new Map<SpanRecord, OwnName>();
  const runSpans = new Set<SpanRecord>();
  /** LangGraph's own spans (its `__start__` task) and what runs inside them: neither a node nor a span without one. */
  const internal = new Set<SpanRecord>();
  let service: string | undefined;
  let graphName: string | undefined;
  for (const s of list) {
    service ??= s.service;
    const o = ownName(s, naming);
    if (o && !('node' in o && naming.nodes !== null) && LANGGRAPH_INTERNAL.has('node' in o ? o.node : o.unknown)) {
      own.set(s, null);
      internal.add(s);
      runSpans.add(s);
      continue;
    }
    own.set(s, o);
    // The span that runs LangGraph's tasks carries the graph's name (the root of an OpenInference trace).
    if (graphName === undefined && s.langgraphNode !== undefined && !LANGGRAPH_INTERNAL.has(s.langgraphNode)) {
      const p = parentOf(s);
      if (p && p.langgraphNode === undefined && !p.modelCall && p.rawName) graphName = p.rawName;
    }
    // A root that names nothing (an HTTP request span, LangGraph's "LangGraph") is the run; a root model call or
    // a root that names something the graph lacks is a span without a node.
    const namesSomething = explicitNames(s, naming).length > 0 || (o !== null && 'node' in o && naming.nodes !== null);
    if (s.workflow || (s.parentId === undefined && !s.modelCall && !namesSomething)) runSpans.add(s);
  }

  // 2. Each span's node: its own, else its nearest named ancestor's (rule 6). Cycles in parent ids end the walk.
  const nodeOf = new Map<SpanRecord, string | null>();
  const depthOf = new Map<SpanRecord, number>();
  // A walk up longer than the run has spans is a cycle in parent ids: it stops there.
  const limit = list.length;
  for (const s of list) {
    if (nodeOf.has(s)) continue;
    const chain: SpanRecord[] = [];
    let result: string | null = null;
    let steps = 0;
    for (let cur: SpanRecord | undefined = s; cur; cur = parentOf(cur)) {
      const known = nodeOf.get(cur);
      if (known !== undefined) {
        result = known;
        break;
      }
      if (++steps > limit) break;
      if (runSpans.has(cur)) {
        nodeOf.set(cur, null);
        break;
      }
      chain.push(cur);
      const o = own.get(cur);
      if (o && 'node' in o) {
        result = o.node;
        break;
      }
    }
    for (const c of chain) nodeOf.set(c, result);
  }
  for (const s of list) {
    if (depthOf.has(s)) continue;
    const chain: SpanRecord[] = [];
    let base = -1;
    for (let cur: SpanRecord | undefined = s; cur && chain.length <= limit; cur = parentOf(cur)) {
      const d = depthOf.get(cur);
      if (d !== undefined) {
        base = d;
        break;
      }
      chain.push(cur);
    }
    for (let i = chain.length - 1; i >= 0; i--) depthOf.set(chain[i], ++base);
  }

  // 3. Visits: a span whose node differs from its parent's starts one; spans of one visit (same LangGraph
  //    task, same tool call id) are its attempts; every other span belongs to the attempt above it.
  const isTop = (s: SpanRecord): boolean => {
    const n = nodeOf.get(s);
    if (n === null || n === undefined) return false;
    const p = parentOf(s);
    return !p || nodeOf.get(p) !== n;
  };
  const attemptOf = new Map<SpanRecord, SpanRecord>();
  const attempt = (s: SpanRecord): SpanRecord | undefined => {
    const known = attemptOf.get(s);
    if (known) return known;
    const chain: SpanRecord[] = [];
    let cur: SpanRecord | undefined = s;
    for (let guard = 0; cur && guard <= list.length; guard++) {
      const k = attemptOf.get(cur);
      if (k) {
        cur = k;
        break;
      }
      chain.push(cur);
      if (isTop(cur)) break;
      cur = parentOf(cur);
    }
    if (!cur || !isTop(cur)) return undefined;
    for (const c of chain) attemptOf.set(c, cur);
    return cur;
  };

  const tops = list.filter(isTop).sort((a, b) => cmpBig(a.start, b.start) || (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0));
  const visitByKey = new Map<string, VisitAcc>();
  const visitOfTop = new Map<SpanRecord, VisitAcc>();
  const accs: VisitAcc[] = [];
  for (const t of tops) {
    const node = nodeOf.get(t)!;
    const key = `${node}\u0000${t.visitKey ?? t.spanId}`;
    let v = visitByKey.get(key);
    if (!v) {
      v = { node, tops: [], softErrors: 0, tokensIn: 0, tokensOut: 0, costUsd: 0, modelCalls: 0, toolCalls: 0, depth: depthOf.get(t) ?? 0, first: t };
      visitByKey.set(key, v);
      accs.push(v);
    }
    v.tops.push(t);
    visitOfTop.set(t, v);
  }

  // 4. Usage: model calls count; a span that repeats its children's usage (an agent, a workflow) does not.
  const counted = new Set<SpanRecord>();
  const covered = new Set<SpanRecord>();
  const withUsage = list.filter((s) => s.tokensIn > 0 || s.tokensOut > 0 || s.usd !== undefined)
    .sort((a, b) => (depthOf.get(b) ?? 0) - (depthOf.get(a) ?? 0));
  for (const s of withUsage) {
    if (!s.modelCall && covered.has(s)) continue;
    counted.add(s);
    for (let p = parentOf(s), steps = 0; p && !covered.has(p) && steps <= limit; p = parentOf(p), steps++) covered.add(p);
  }

  let runCost = 0;
  let runTokens = 0;
  let runToolCalls = 0;
  const unmapped = new Map<string, number>();
  const unknown = new Map<string, number>();
  const isInternal = (s: SpanRecord): boolean => {
    for (let cur: SpanRecord | undefined = s, steps = 0; cur && steps <= limit; cur = parentOf(cur), steps++) if (internal.has(cur)) return true;
    return false;
  };
  // Spans that offer a name of their own (model calls do not): how many name a node, how many name none and
  // found no node above them either. When most name none, the run does not match the graph (renamed nodes).
  let mappedSpans = 0;
  let unmappedSpans = 0;
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  let start: bigint | undefined;
  let end: bigint | undefined;
  for (const s of list) {
    if (start === undefined || s.start < start) start = s.start;
    if (s.end !== undefined && (end === undefined || s.end > end)) end = s.end;
    const o = own.get(s);
    if (naming.nodes !== null && o && 'unknown' in o && o.explicit) bump(unknown, o.unknown);
    const node = nodeOf.get(s) ?? null;
    let usd = 0;
    if (counted.has(s)) {
      const price = s.usd === undefined ? priceFor(ctx, node ?? undefined, s.model, s.provider) : undefined;
      usd = s.usd ?? (price ? (s.tokensIn * price.input + s.tokensOut * price.output) / 1e6 : 0);
      runCost += usd;
      runTokens += s.tokensIn + s.tokensOut;
    }
    runToolCalls += s.toolCalls;
    if (node === null) {
      if (!runSpans.has(s) && !isInternal(s)) {
        bump(unmapped, (o && 'unknown' in o ? o.unknown : undefined) ?? (s.rawName || '(unnamed span)'));
        if (o && 'unknown' in o) unmappedSpans++;
      }
      continue;
    }
    if (o && 'node' in o) mappedSpans++;
    const a = attempt(s);
    const v = a ? visitOfTop.get(a) : undefined;
    if (!v) continue;
    v.softErrors += s.softErrors + (s !== a && s.error && !a!.error ? 1 : 0);
    if (s.modelCall) v.modelCalls++;
    v.toolCalls += s.toolCalls;
    if (counted.has(s)) {
      v.tokensIn += s.tokensIn;
      v.tokensOut += s.tokensOut;
      v.costUsd += usd;
    }
  }

  // 5. The visits in replay order: LangGraph step, start time, depth.
  const draft = accs.map((v) => {
    const attemptsSorted = [...v.tops].sort((a, b) => cmpBig(a.start, b.start));
    const last = attemptsSorted[attemptsSorted.length - 1];
    const open = attemptsSorted.some((t) => t.end === undefined);
    let vEnd: bigint | undefined;
    if (!open) for (const t of attemptsSorted) if (vEnd === undefined || t.end! > vEnd) vEnd = t.end;
    const toolUsd = ctx.nodes.get(v.node)?.toolUsd;
    if (toolUsd !== undefined) {
      const extra = toolUsd * v.tops.length;
      v.costUsd += extra;
      runCost += extra;
    }
    return {
      acc: v,
      node: v.node,
      attempts: v.tops.length,
      errors: v.tops.filter((t) => t.error).length,
      softErrors: v.softErrors,
      failed: last.error,
      open,
      start: attemptsSorted[0].start,
      ...(vEnd !== undefined ? { end: vEnd } : {}),
      ...(v.first.step !== undefined ? { step: v.first.step } : {}),
      depth: v.depth,
      tokensIn: v.tokensIn,
      tokensOut: v.tokensOut,
      costUsd: v.costUsd,
      modelCalls: v.modelCalls,
      toolCalls: v.toolCalls,
    };
  });
  draft.sort((a, b) => {
    if (a.step !== undefined && b.step !== undefined && a.step !== b.step) return a.step - b.step;
    return cmpBig(a.start, b.start) || a.depth - b.depth;
  });
  const indexOf = new Map<VisitAcc, number>(draft.map((d, i) => [d.acc, i]));
  const visits: Visit[] = draft.map((d, index) => {
    const p = parentOf(d.acc.first);
    const pa = p ? attempt(p) : undefined;
    const pv = pa ? visitOfTop.get(pa) : undefined;
    const parent = pv && pv !== d.acc ? indexOf.get(pv) : undefined;
    const { acc: _acc, ...rest } = d;
    return { index, ...rest, ...(parent !== undefined ? { parent } : {}) };
  });

  // 6. Finished, status, the nodes running now.
  const finished = ended || [...runSpans].some((s) => s.parentId === undefined && s.end !== undefined);
  const topVisits = visits.filter((v) => v.parent === undefined);
  const lastTop = topVisits[topVisits.length - 1];
  const status: RunStatus = !finished ? 'running' : (lastTop?.failed || [...runSpans].some((s) => s.error)) ? 'failed' : 'ok';
  const active = new Set<string>();
  if (!finished) {
    for (const v of visits) if (v.open) active.add(v.node);
    for (const s of list) {
      if (s.parentId === undefined || spans.has(s.parentId)) continue;
      // The parent has not arrived: it is still running. A child named by the graph's attribute, the override
      // or LangGraph names the node it runs in.
      const enclosing = (naming.nodeAttribute ? s.custom?.[naming.nodeAttribute] : undefined) ?? s.explicit ?? s.langgraphNode;
      if (enclosing !== undefined && (naming.nodes === null || naming.nodes.has(enclosing))) active.add(enclosing);
    }
  }

  // 7. Transitions: between consecutive waves of top-level visits (a LangGraph step, or visits that overlap
  //    in time: a fan-out); into and out of a visit made from inside another node's span (a call).
  const transitions: TakenTransition[] = [];
  const declared = (from: string, to: string) => ctx.edges.get(from)?.has(to) === true;
  const waves: Visit[][] = [];
  if (topVisits.length > 0 && topVisits.every((v) => v.step !== undefined)) {
    for (const v of topVisits) {
      const w = waves[waves.length - 1];
      if (w && w[0].step === v.step) w.push(v);
      else waves.push([v]);
    }
  } else {
    let minEnd: bigint | undefined;
    for (const v of topVisits) {
      const w = waves[waves.length - 1];
      if (w && (minEnd === undefined || v.start < minEnd)) {
        w.push(v);
        if (v.end !== undefined && minEnd !== undefined && v.end < minEnd) minEnd = v.end;
      } else {
        waves.push([v]);
        minEnd = v.end;
      }
    }
  }
  if (waves.length > 0) for (const v of waves[0]) transitions.push({ from: START, to: v.node, failed: false, at: v.index });
  for (let i = 0; i + 1 < waves.length; i++) {
    for (const b of waves[i + 1]) {
      const fromDeclared = waves[i].filter((a) => declared(a.node, b.node));
      for (const a of fromDeclared.length > 0 ? fromDeclared : waves[i]) transitions.push({ from: a.node, to: b.node, failed: a.failed, at: b.index });
    }
  }
  if (finished && waves.length > 0) {
    for (const a of waves[waves.length - 1]) if (!a.failed && !a.open) transitions.push({ from: a.node, to: END, failed: false, at: visits.length });
  }
  for (const c of visits) {
    if (c.parent === undefined) continue;
    const p = visits[c.parent];
    transitions.push({ from: p.node, to: c.node, failed: false, at: c.index });
    transitions.push({ from: c.node, to: p.node, failed: c.failed, at: c.index + 1 });
  }

  return {
    visits,
    transitions,
    unmapped,
    unknown,
    active: [...active],
    finished,
    status,
    ...(start !== undefined ? { start } : {}),
    ...(end !== undefined ? { end } : {}),
    spans: list.length,
    costUsd: runCost,
    tokens: runTokens,
    toolCalls: runToolCalls,
    steps: visits.length,
    belongs: visits.length > 0 && !foreign(ctx, service, graphName),
    mismatched: visits.length > 0 && unmappedSpans > mappedSpans,
    mappedSpans,
    ...(service !== undefined ? { service } : {}),
    ...(graphName !== undefined ? { graphName } : {}),
  };
}

/** The run says it is another graph's: another `service.name` than the graph declares, or another LangGraph graph name. */
function foreign(ctx: GraphContext, service: string | undefined, graphName: string | undefined): boolean {
  if (ctx.serviceName !== undefined && service !== undefined && service !== ctx.serviceName) return true;
  if (ctx.graphNames && graphName !== undefined && graphName !== DEFAULT_GRAPH_NAME && !ctx.graphNames.has(graphName)) return true;
  return false;
}
