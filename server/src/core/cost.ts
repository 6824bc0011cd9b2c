// Worst-case cost of one run (FORMAT.md): the most expensive path from `entry` to END, each node of a loop
// counted as many times as the loop's bound allows, each model call priced per attempt.
import { END, type AgentGraph, type GraphNode } from './ir.ts';
import type { GraphQueries } from './queries.ts';

export interface Cost {
  readonly usd: number;
  readonly tokens: number;
}

export interface NodeCost extends Cost {
  /** Cost of one visit, every attempt and fallback included. */
  readonly perVisit: Cost;
  /** How many times the node may run in one run (Infinity when nothing bounds it). */
  readonly visits: number;
}

export interface WorstCase extends Cost {
  /** The nodes of the most expensive path, loops included once each in order of first visit. */
  readonly path: readonly string[];
  /** The same for the path that uses the most tokens (it may differ from the most expensive one). */
  readonly tokenPath: readonly string[];
  readonly perNode: ReadonlyMap<string, NodeCost>;
  /** Models without a price, each with the reachable nodes that call it: those calls count as free, so the figure is a lower bound. */
  readonly unpriced: ReadonlyMap<string, readonly string[]>;
  /** Nodes that may run without bound: the figures leave them out. */
  readonly unbounded: readonly string[];
  /** Nodes whose output has no cap: their output tokens count as zero. */
  readonly uncapped: readonly string[];
}

/** The worst case of another graph file, for subgraph nodes; undefined when it cannot be resolved. */
export type SubgraphCost = (node: GraphNode) => Cost | undefined;

const ZERO: Cost = { usd: 0, tokens: 0 };

export function worstCase(graph: AgentGraph, q: GraphQueries, subgraphCost?: SubgraphCost): WorstCase {
  const unpriced = new Map<string, string[]>();
  const unbounded: string[] = [];
  const uncapped: string[] = [];
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
        if (iterations === Infinity) unbounded.push(node.id);
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
    perNode.set(node.id, { ...visit, perVisit: visit, visits: 1 });
  }

  // Visits per node: 1 outside loops. Inside a loop: a guarded node its own max_visits; a node on a cycle that
  // no guard cuts (q.unguardedLoops) budget.steps, else unbounded; any other node at most the sum of the
  // loop's guards, since every cycle through it passes a guarded node.
  const unguarded = new Set(q.unguardedLoops().flat());
  for (const loop of q.loops()) {
    const guards = loop.reduce((sum, id) => sum + (graph.nodes.get(id)!.maxVisits?.value ?? 0), 0);
    for (const id of loop) {
      const own = graph.nodes.get(id)!.maxVisits?.value;
      const visits = own ?? (unguarded.has(id) ? graph.budget?.steps ?? Infinity : guards);
      const c = perNode.get(id)!;
      if (!Number.isFinite(visits)) unbounded.push(id);
      const v = Number.isFinite(visits) ? visits : 1;
      perNode.set(id, { usd: c.perVisit.usd * v, tokens: c.perVisit.tokens * v, perVisit: c.perVisit, visits });
    }
  }

  // Longest path over the condensation (components in reverse topological order from Tarjan).
  const sccs = q.sccs();
  const sccOf = q.sccIndex();
  const best: { usd: number; tokens: number; next: number }[] = [];
  for (let i = 0; i < sccs.length; i++) {
    let usd = 0;
    let tokens = 0;
    for (const id of sccs[i]) {
      usd += perNode.get(id)!.usd;
      tokens += perNode.get(id)!.tokens;
    }
    let tail = { usd: 0, tokens: 0, next: -1 };
    for (const id of sccs[i]) {
      for (const t of q.succ(id)) {
        if (t.to === END) continue;
        const j = sccOf.get(t.to)!;
        if (j === i) continue;
        const b = best[j];
        if (tail.next === -1 || b.usd > tail.usd || (b.usd === tail.usd && b.tokens > tail.tokens)) tail = { usd: b.usd, tokens: b.tokens, next: j };
      }
    }
    best[i] = { usd: usd + tail.usd, tokens: tokens + tail.tokens, next: tail.next };
  }
  // Tokens may peak on another path than dollars: take each maximum on its own.
  const bestTokens: { tokens: number; next: number }[] = [];
  for (let i = 0; i < sccs.length; i++) {
    let own = 0;
    for (const id of sccs[i]) own += perNode.get(id)!.tokens;
    let tail = { tokens: 0, next: -1 };
    for (const id of sccs[i]) {
      for (const t of q.succ(id)) {
        if (t.to === END || sccOf.get(t.to) === i) continue;
        const j = sccOf.get(t.to)!;
        if (tail.next === -1 || bestTokens[j].tokens > tail.tokens) tail = { tokens: bestTokens[j].tokens, next: j };
      }
    }
    bestTokens[i] = { tokens: own + tail.tokens, next: tail.next };
  }

  const entry = q.entry;
  if (!entry) return { usd: 0, tokens: 0, path: [], tokenPath: [], perNode, unpriced: new Map(), unbounded: [], uncapped: [] };
  const path: string[] = [];
  for (let i = sccOf.get(entry.id)!; i >= 0; i = best[i].next) path.push(...sccs[i]);
  const tokenPath: string[] = [];
  for (let i = sccOf.get(entry.id)!; i >= 0; i = bestTokens[i].next) tokenPath.push(...sccs[i]);
  const start = sccOf.get(entry.id)!;
  const reach = q.reachable();
  return {
    usd: best[start].usd,
    tokens: bestTokens[start].tokens,
    path,
    tokenPath,
    perNode,
    unpriced: new Map([...unpriced].map(([m, ids]) => [m, [...new Set(ids)].filter((id) => reach.has(id))] as const).filter(([, ids]) => ids.length > 0)),
    unbounded: [...new Set(unbounded)].filter((id) => reach.has(id)),
    uncapped: uncapped.filter((id) => reach.has(id)),
  };
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

/** `classify -> draft x3 -> review x3 -> refund`: a worst-case path with each node's visits. */
export function formatPath(path: readonly string[], perNode: ReadonlyMap<string, NodeCost>, max = 12): string {
  const shown = path.slice(0, path.length > max ? max - 1 : max).map((id) => {
    const v = perNode.get(id)?.visits ?? 1;
    return v > 1 && Number.isFinite(v) ? `${id} x${v}` : id;
  });
  if (path.length > shown.length) shown.push(`... (${path.length - shown.length} more)`);
  return shown.join(' -> ');
}
