// Worst-case cost of one run (FORMAT.md): the most expensive path from `entry`, each node of a loop counted as
// many times as the loop's bound allows, at most budget.steps visits in all, each model call priced per attempt.
import { END, type AgentGraph, type GraphNode } from './ir.ts';
import type { GraphQueries } from './queries.ts';

export interface Cost {
  readonly usd: number;
  readonly tokens: number;
}

export interface NodeCost extends Cost {
  /** Cost of one visit, every attempt and fallback included. */
  readonly perVisit: Cost;
  /** How many times the node may run in one run (Infinity when nothing bounds it), budget.steps included. */
  readonly visits: number;
  /**
   * Nothing bounds what the node costs in one run: its visits, or (an agent without max_iterations) its inner
   * loop. Its figures then count one visit, or one iteration, and are no bound at all.
   */
  readonly unbounded: boolean;
}

export interface WorstCase extends Cost {
  /** The nodes of the most expensive run, loops included once each in order of first visit. */
  readonly path: readonly string[];
  /** The same for the run that uses the most tokens (it may differ from the most expensive one). */
  readonly tokenPath: readonly string[];
  /** How many times each node of `path` runs in that run (under budget.steps, at most that many in all). */
  readonly pathVisits: ReadonlyMap<string, number>;
  readonly tokenPathVisits: ReadonlyMap<string, number>;
  readonly perNode: ReadonlyMap<string, NodeCost>;
  /** Models without a price, each with the reachable nodes that call it: those calls count as free, so the figure is a lower bound. */
  readonly unpriced: ReadonlyMap<string, readonly string[]>;
  /** Reachable nodes that may run (or, agents, iterate) without bound, in graph order: the figures count them once. */
  readonly unbounded: readonly string[];
  /** Nodes whose output has no cap: their output tokens count as zero. */
  readonly uncapped: readonly string[];
  /** Model-calling nodes without an input-token estimate: their input counts as zero (code cannot say it). */
  readonly noInputEstimate: readonly string[];
}

/** The worst case of another graph file, for subgraph nodes; undefined when it cannot be resolved. */
export type SubgraphCost = (node: GraphNode) => Cost | undefined;

const ZERO: Cost = { usd: 0, tokens: 0 };

export function worstCase(graph: AgentGraph, q: GraphQueries, subgraphCost?: SubgraphCost): WorstCase {
  const unpriced = new Map<string, string[]>();
  const unbounded = new Set<string>();
  const uncapped: string[] = [];
  const noInput: string[] = [];
  const perNode = new Map<string, NodeCost>();

  const callCost = (node: GraphNode, modelName: string | undefined): Cost => {
    if (modelName === undefined) return ZERO;
    const inTok = node.inputTokens ?? 0;
    const outTok = node.maxOutputTokens ?? 0;
    const model = graph.models.get(modelName);
    if (!model || model.inputUsdPerMtok === undefined || model.outputUsdPerMtok === undefined) {
      if (model) (unpriced.get(modelName) ?? unpriced.set(modelName, []).get(modelName)!).push(node.id);
      return { usd: 0, tokens: inTok + outTok };
    }
    return { usd: (inTok * model.inputUsdPerMtok + outTok * model.outputUsdPerMtok) / 1e6, tokens: inTok + outTok };
  };

  for (const node of graph.nodes.values()) {
    const attempts = node.retry && !node.retry.none ? node.retry.attempts : 1;
    let visit: Cost = ZERO;
    if (node.kind === 'llm' || node.kind === 'agent') {
      if (node.maxOutputTokens === undefined) uncapped.push(node.id);
      if (node.inputTokens === undefined) noInput.push(node.id);
      const models = [node.model?.value, ...node.fallbackModels.map((f) => f.value)];
      let usd = 0;
      let tokens = 0;
      for (const m of models) {
        const c = callCost(node, m);
        usd += c.usd * attempts;
        tokens += c.tokens * attempts;
      }
      if (node.kind === 'agent') {
        const toolUsd = Math.max(0, ...node.tools.map((t) => graph.tools.get(t.value)?.usdPerCall ?? 0));
        const iterations = node.maxIterations ?? Infinity;
        if (iterations === Infinity) unbounded.add(node.id);
        const it = Number.isFinite(iterations) ? iterations : 1;
        usd = usd * it + toolUsd * it * attempts;
        tokens *= it;
      }
      visit = { usd, tokens };
    } else if (node.kind === 'tool') {
      visit = { usd: (graph.tools.get(node.tool?.value ?? '')?.usdPerCall ?? 0) * attempts, tokens: 0 };
    } else if (node.kind === 'subgraph') {
      const c = subgraphCost?.(node);
      if (c) visit = { usd: c.usd * attempts, tokens: c.tokens * attempts };
    }
    perNode.set(node.id, { ...visit, perVisit: visit, visits: 1, unbounded: false });
  }

  // Visits per node: 1 outside loops. Inside a loop: a guarded node its own max_visits; a node on a cycle that
  // no guard cuts (q.unguardedLoops) budget.steps, else unbounded; any other node at most the sum of the
  // loop's guards, since every cycle through it passes a guarded node.
  // A framework whose default recursion limit ends a run (LangGraph JS: 25) bounds it as budget.steps does.
  const steps = graph.budget?.steps ?? (graph.runtime?.defaultStepsBound ? graph.runtime.defaultSteps : undefined);
  const unguarded = new Set(q.unguardedLoops().flat());
  const bound = new Map<string, number>();
  for (const loop of q.loops()) {
    const guards = loop.reduce((sum, id) => sum + (graph.nodes.get(id)!.maxVisits?.value ?? 0), 0);
    for (const id of loop) bound.set(id, graph.nodes.get(id)!.maxVisits?.value ?? (unguarded.has(id) ? steps ?? Infinity : guards));
  }
  // A run takes at most budget.steps visits in all, so no node runs more often than the steps leave room for:
  // its first visit comes after the shortest way to it from entry, and two visits are at least the shortest
  // cycle through it apart (`stepsRoom`).
  const room = steps === undefined ? undefined : stepsRoom(graph, q, steps);
  for (const node of graph.nodes.values()) {
    let visits = bound.get(node.id) ?? 1;
    if (room) visits = Math.min(visits, room.get(node.id) ?? visits);
    const c = perNode.get(node.id)!;
    if (!Number.isFinite(visits)) unbounded.add(node.id);
    const v = Number.isFinite(visits) ? visits : 1;
    perNode.set(node.id, { usd: c.perVisit.usd * v, tokens: c.perVisit.tokens * v, perVisit: c.perVisit, visits, unbounded: unbounded.has(node.id) });
  }

  const entry = q.entry;
  const reach = q.reachable();
  const inGraphOrder = (ids: ReadonlySet<string>) => [...graph.nodes.keys()].filter((id) => ids.has(id) && reach.has(id));
  if (!entry) return { usd: 0, tokens: 0, path: [], tokenPath: [], pathVisits: new Map(), tokenPathVisits: new Map(), perNode, unpriced: new Map(), unbounded: [], uncapped: [], noInputEstimate: [] };
  const slots = (id: string) => {
    const v = perNode.get(id)!.visits;
    return Number.isFinite(v) ? v : 1;
  };
  const dag = condensation(q);
  const dollars = dearestRun(q, dag, entry.id, steps, slots, (id) => perNode.get(id)!.perVisit.usd, (id) => perNode.get(id)!.perVisit.tokens);
  const tokens = dearestRun(q, dag, entry.id, steps, slots, (id) => perNode.get(id)!.perVisit.tokens, (id) => perNode.get(id)!.perVisit.usd);
  return {
    usd: dollars.value,
    tokens: tokens.value,
    path: dollars.path,
    tokenPath: tokens.path,
    pathVisits: dollars.visits,
    tokenPathVisits: tokens.visits,
    perNode,
    unpriced: new Map([...unpriced].map(([m, ids]) => [m, [...new Set(ids)].filter((id) => reach.has(id))] as const).filter(([, ids]) => ids.length > 0)),
    unbounded: inGraphOrder(unbounded),
    uncapped: uncapped.filter((id) => reach.has(id)),
    noInputEstimate: noInput.filter((id) => reach.has(id)),
  };
}

/**
 * The most visits each node has room for in a run of at most `steps` visits: a node first runs after the
 * shortest way to it from entry (d visits before it), and runs again at the earliest after the shortest cycle
 * through it (g visits), so at most ceil((steps - d) / g) times; a node outside any loop at most once, and a
 * node that no run of `steps` visits reaches, never. Nodes that entry does not reach keep their bound.
 */
function stepsRoom(graph: AgentGraph, q: GraphQueries, steps: number): Map<string, number> {
  const room = new Map<string, number>();
  const entry = q.entry;
  if (!entry) return room;
  const before = new Map([[entry.id, 0]]);
  const queue = [entry.id];
  for (let i = 0; i < queue.length; i++) {
    for (const t of q.succ(queue[i])) {
      if (t.to === END || before.has(t.to)) continue;
      before.set(t.to, before.get(queue[i])! + 1);
      queue.push(t.to);
    }
  }
  const sccOf = q.sccIndex();
  const sccs = q.sccs();
  for (const [id, d] of before) {
    const left = Math.max(0, steps - d);
    const loop = q.loopOf(id);
    room.set(id, loop ? Math.ceil(left / shortestCycle(q, id, sccs[sccOf.get(id)!], sccOf)) : Math.min(1, left));
  }
  return room;
}

/**
 * The length of the shortest cycle through `id` (a breadth-first search inside its component). In a component
 * too large to search from every node, a lower bound: 1 with a self-transition, else 2.
 */
function shortestCycle(q: GraphQueries, id: string, component: readonly string[], sccOf: ReadonlyMap<string, number>): number {
  const out = q.succ(id);
  if (out.some((t) => t.to === id)) return 1;
  if (component.length > 200) return 2;
  const mine = sccOf.get(id);
  const dist = new Map([[id, 0]]);
  const queue = [id];
  for (let i = 0; i < queue.length; i++) {
    for (const t of q.succ(queue[i])) {
      if (t.to === id) return dist.get(queue[i])! + 1;
      if (t.to === END || dist.has(t.to) || sccOf.get(t.to) !== mine) continue;
      dist.set(t.to, dist.get(queue[i])! + 1);
      queue.push(t.to);
    }
  }
  return 2;
}

interface Run {
  /** The figure: never below what a run can cost. */
  readonly value: number;
  /** The nodes of the run, component by component, each with its visits in `visits`. */
  readonly path: string[];
  readonly visits: Map<string, number>;
}

/**
 * The dearest run from `entry`, by `price` per visit, where node v runs at most `slots(v)` times and, under
 * budget.steps, at most `steps` times in all.
 *
 * A run crosses the components of the graph (its loops, and single nodes) in one order of the condensation, a
 * DAG. Without a step limit, its worst case is the longest path over that DAG, each component weighing the
 * sum of its nodes' price × slots. With one, a run along a given path takes at most `steps` of the visits the
 * path offers, so at most the `steps` dearest: a knapsack of unit items, whose value is
 *   min over t >= 0 of  t × steps + sum over the path of slots(v) × max(0, price(v) - t)
 * (t is the price of the last visit that still fits). Over all paths, the same minimum taken outside the
 * maximum is an upper bound, and each t costs one longest-path pass over the DAG: the sum is convex in t and
 * bends only at node prices, so a binary search over the prices finds its minimum. When the dearest path at
 * t = 0 fits in the steps, that is the answer, as without a limit. For one path, as in a loop between two
 * straight parts, the figure is exact (within the bounds of each node): a two-node loop under `steps: 60`
 * counts 30 and 29 visits of its nodes, not 60 of each.
 */
/** The components of the graph (Tarjan's order, reverse topological) with the components each leads to. */
interface Condensation {
  readonly sccs: readonly (readonly string[])[];
  /** Component i's nodes are positions first[i] .. first[i + 1] - 1 of the per-node arrays. */
  readonly first: Int32Array;
  readonly next: readonly (readonly number[])[];
}

function condensation(q: GraphQueries): Condensation {
  const sccs = q.sccs();
  const sccOf = q.sccIndex();
  const first = new Int32Array(sccs.length + 1);
  const next: number[][] = [];
  const seen = new Int32Array(sccs.length).fill(-1);
  for (let i = 0; i < sccs.length; i++) {
    first[i + 1] = first[i] + sccs[i].length;
    const to: number[] = [];
    for (const id of sccs[i]) {
      for (const tr of q.succ(id)) {
        if (tr.to === END) continue;
        const j = sccOf.get(tr.to)!;
        if (j === i || seen[j] === i) continue;
        seen[j] = i;
        to.push(j);
      }
    }
    next.push(to);
  }
  return { sccs, first, next };
}

function dearestRun(q: GraphQueries, dag: Condensation, entry: string, steps: number | undefined, slots: (id: string) => number, price: (id: string) => number, tie: (id: string) => number): Run {
  const { sccs, first, next } = dag;
  const start = q.sccIndex().get(entry)!;
  // Every run visits entry first: outside a loop, it takes one of the steps whatever it costs.
  const forced = q.loopOf(entry) ? undefined : entry;
  // Each component's nodes as arrays: slots, price, and the tie-break.
  const n = sccs.length;
  const k = new Float64Array(first[n]);
  const p = new Float64Array(first[n]);
  const second = new Float64Array(n);
  const mustPay = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < sccs[i].length; j++) {
      const id = sccs[i][j];
      const x = first[i] + j;
      k[x] = slots(id);
      p[x] = price(id);
      second[i] += k[x] * tie(id);
      if (id === forced) {
        mustPay[i] = p[x];
        k[x] = 0;
      }
    }
  }
  // Longest path over the condensation (components in reverse topological order from Tarjan) at threshold t.
  const value = new Float64Array(n);
  const ties = new Float64Array(n);
  const via = new Int32Array(n);
  const at = (t: number) => {
    for (let i = 0; i < n; i++) {
      let own = mustPay[i];
      for (let x = first[i]; x < first[i + 1]; x++) if (p[x] > t) own += k[x] * (p[x] - t);
      let best = -1;
      for (const j of next[i]) if (best === -1 || value[j] > value[best] || (value[j] === value[best] && ties[j] > ties[best])) best = j;
      value[i] = own + (best >= 0 ? value[best] : 0);
      ties[i] = second[i] + (best >= 0 ? ties[best] : 0);
      via[i] = best;
    }
    const comps: number[] = [];
    let offered = 0;
    for (let i = start; i >= 0; i = via[i]) {
      comps.push(i);
      for (let x = first[i]; x < first[i + 1]; x++) if (p[x] > t || t === 0) offered += k[x];
    }
    return { value: value[start], comps, offered };
  };
  const pathOf = (comps: readonly number[]) => comps.flatMap((i) => sccs[i]);
  const room = steps === undefined ? Infinity : Math.max(0, forced ? steps - 1 : steps);
  const free = at(0);
  if (free.offered <= room) {
    const path = pathOf(free.comps);
    return { value: free.value, path, visits: new Map(path.map((id) => [id, slots(id)])) };
  }

  // Under the steps: any t gives an upper bound, t × room + the longest path at t; the least is at the price
  // where the dearest path stops offering more visits above t than there is room for.
  const ts = [0, ...[...new Set(p)].filter((x) => x > 0).sort((a, b) => a - b)];
  let lo = 0;
  let hi = ts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (at(ts[mid]).offered > room) lo = mid + 1;
    else hi = mid;
  }
  let best = { t: ts[lo], ...at(ts[lo]) };
  if (lo > 0) {
    const before = { t: ts[lo - 1], ...at(ts[lo - 1]) };
    if (before.t * room + before.value < best.t * room + best.value) best = before;
  }
  // The run shown: the dearest visits of that path that fit in the steps, the path's order kept.
  const path = pathOf(best.comps);
  const visits = new Map<string, number>();
  let left = steps!;
  const byPrice = path.filter((id) => id !== forced).sort((a, b) => price(b) - price(a));
  for (const id of forced ? [forced, ...byPrice] : byPrice) {
    const v = Math.min(slots(id), left);
    if (v <= 0) continue;
    visits.set(id, v);
    left -= v;
  }
  return { value: best.t * room + best.value, path: path.filter((id) => visits.has(id)), visits };
}

/** `$0.2511`: dollars with two to four decimals, enough to tell a figure from a nearby budget. */
export function formatUsd(usd: number): string {
  if (usd > 0 && usd < 0.0001) return `$${usd.toPrecision(2)}`;
  const [whole, frac] = usd.toFixed(4).split('.');
  return `$${whole}.${frac.replace(/0+$/, '').padEnd(2, '0')}`;
}

/** `52,200`. */
export function formatTokens(tokens: number): string {
  return Math.round(tokens).toLocaleString('en-US');
}

/** `classify -> draft x3 -> review x3 -> refund`: a worst-case path with each node's visits (`pathVisits`). */
export function formatPath(path: readonly string[], visits: ReadonlyMap<string, number | NodeCost>, max = 12): string {
  const shown = path.slice(0, path.length > max ? max - 1 : max).map((id) => {
    const entry = visits.get(id);
    const v = (typeof entry === 'number' ? entry : entry?.visits) ?? 1;
    return v > 1 && Number.isFinite(v) ? `${id} x${v}` : id;
  });
  if (path.length > shown.length) shown.push(`... (${path.length - shown.length} more)`);
  return shown.join(' -> ');
}
