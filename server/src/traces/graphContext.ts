// What the trace figures need of a graph, read once from its IR: node ids and naming, declared transitions,
// prices, loop bounds and the budget. The aggregator and the conformance check read only this, so that they
// can also run without a graph (names taken from the traces as they are).
import { END, type AgentGraph, type TransitionKind } from '../core/ir.ts';
import type { GraphQueries } from '../core/queries.ts';
import { lookupPrice } from '../core/prices.ts';
import type { Naming } from './mapping.ts';

/** The run's start and end in transitions, as in the graph view model. */
export const START = '__start__';
export { END };

export interface NodeInfo {
  readonly kind?: string;
  /** USD per million tokens of the node's model. */
  readonly price?: { readonly input: number; readonly output: number };
  /** `usd_per_call` of the node's tool, for each attempt. */
  readonly toolUsd?: number;
  readonly maxVisits?: number;
  readonly maxIterations?: number;
}

export interface ModelPrice {
  readonly model: string;
  readonly input: number;
  readonly output: number;
}

export interface LoopInfo {
  readonly nodes: readonly string[];
  readonly bound: string;
  /** The node whose `max_visits` is the bound: its visits are the ones that count against it. */
  readonly node?: string;
}

export interface GraphContext {
  /** The graph file's URI (or another stable key). */
  readonly key: string;
  readonly naming: Naming;
  /** Empty when there is no graph: figures then name nodes as the traces do. */
  readonly nodes: ReadonlyMap<string, NodeInfo>;
  /** from -> to -> the kinds of the declared transitions (START -> entry included). */
  readonly edges: ReadonlyMap<string, ReadonlyMap<string, readonly (TransitionKind | 'start')[]>>;
  readonly entry?: string;
  /** Priced models by provider model name, longest first (a span's `gpt-4o-mini-2024-07-18` matches `gpt-4o-mini`). */
  readonly prices: readonly ModelPrice[];
  readonly budget?: { readonly usd?: number; readonly tokens?: number; readonly steps?: number; readonly toolCalls?: number; readonly wallS?: number };
  readonly loops: readonly LoopInfo[];
  /** Nodes that runs reach through normal transitions (not only through failure or exhaustion): AG804 expects to see them. */
  readonly expected: ReadonlySet<string>;
  /** `tracing.service_name`: runs whose OTLP resource names another service are another graph's. */
  readonly serviceName?: string;
  /** The names LangGraph gives a run of this graph (`compile(name=...)`): a run under another graph name is another graph's. Code-read graphs only. */
  readonly graphNames?: ReadonlySet<string>;
}

/** A context without a graph: every name a span gives is a node. */
export function bareContext(key = ''): GraphContext {
  return { key, naming: { nodes: null }, nodes: new Map(), edges: new Map(), prices: [], loops: [], expected: new Set() };
}

export function graphContext(key: string, graph: AgentGraph, q: GraphQueries): GraphContext {
  const nodes = new Map<string, NodeInfo>();
  const edges = new Map<string, Map<string, (TransitionKind | 'start')[]>>();
  const addEdge = (from: string, to: string, kind: TransitionKind | 'start') => {
    const m = edges.get(from) ?? edges.set(from, new Map()).get(from)!;
    (m.get(to) ?? m.set(to, []).get(to)!).push(kind);
  };
  for (const n of graph.nodes.values()) {
    const model = n.model ? graph.models.get(n.model.value) : undefined;
    const tool = n.tool ? graph.tools.get(n.tool.value) : undefined;
    nodes.set(n.id, {
      ...(n.kind ? { kind: n.kind } : {}),
      ...(model?.inputUsdPerMtok !== undefined && model.outputUsdPerMtok !== undefined ? { price: { input: model.inputUsdPerMtok, output: model.outputUsdPerMtok } } : {}),
      ...(tool?.usdPerCall !== undefined ? { toolUsd: tool.usdPerCall } : {}),
      ...(n.maxVisits ? { maxVisits: n.maxVisits.value } : {}),
      ...(n.kind === 'agent' && n.maxIterations !== undefined ? { maxIterations: n.maxIterations } : {}),
    });
    for (const t of n.out) addEdge(n.id, t.to, t.kind);
  }
  const entry = graph.entry?.value;
  if (entry) addEdge(START, entry, 'start');

  const prices: ModelPrice[] = [];
  for (const m of graph.models.values()) {
    if (m.inputUsdPerMtok === undefined || m.outputUsdPerMtok === undefined) continue;
    for (const name of new Set([m.model, m.name].filter((x): x is string => !!x))) prices.push({ model: name, input: m.inputUsdPerMtok, output: m.outputUsdPerMtok });
  }
  prices.sort((a, b) => b.model.length - a.model.length);

  const loops: LoopInfo[] = q.loops().map((l) => {
    let guard: { node: string; value: number } | undefined;
    for (const id of l) {
      const v = graph.nodes.get(id)?.maxVisits?.value;
      if (v !== undefined && (guard === undefined || v < guard.value)) guard = { node: id, value: v };
    }
    if (guard) return { nodes: [...l], bound: `max_visits ${guard.value}`, node: guard.node };
    return { nodes: [...l], bound: graph.budget?.steps !== undefined ? `budget.steps ${graph.budget.steps}` : 'unbounded' };
  });

  // Nodes reached from entry through next, fan-out and route transitions: recovery and exhaustion targets
  // are expected to stay quiet in healthy runs.
  const expected = new Set<string>();
  if (entry && graph.nodes.has(entry)) {
    const queue = [entry];
    expected.add(entry);
    for (let i = 0; i < queue.length; i++) {
      for (const t of graph.nodes.get(queue[i])?.out ?? []) {
        if (t.kind === 'error' || t.kind === 'exhausted' || t.to === END || !graph.nodes.has(t.to) || expected.has(t.to)) continue;
        expected.add(t.to);
        queue.push(t.to);
      }
    }
  }

  const b = graph.budget;
  return {
    key,
    naming: { nodes: new Set(graph.nodes.keys()), ...(graph.tracing?.nodeAttribute ? { nodeAttribute: graph.tracing.nodeAttribute } : {}) },
    nodes,
    edges,
    ...(entry ? { entry } : {}),
    prices,
    ...(b ? { budget: { usd: b.usd, tokens: b.tokens, steps: b.steps, toolCalls: b.toolCalls, wallS: b.wallS } } : {}),
    loops,
    expected,
    ...(graph.tracing?.serviceName ? { serviceName: graph.tracing.serviceName } : {}),
    ...(graph.runtime && graph.name ? { graphNames: new Set([graph.name.value, ...(graph.aliases ?? [])]) } : {}),
  };
}

type Price = { readonly input: number; readonly output: number };
const tablePrices = new Map<string, Price | null>();

/** A model's price from the table the static analysis uses (core/prices.ts): by the span's provider, else inferred from the model id. */
export function tablePrice(provider: string | undefined, model: string): Price | undefined {
  const key = `${provider ?? ''}\u0000${model}`;
  let p = tablePrices.get(key);
  if (p === undefined) {
    const found = (provider ? lookupPrice(provider, model) : undefined) ?? lookupPrice(undefined, model);
    p = found && found.inputUsdPerMtok !== undefined && found.outputUsdPerMtok !== undefined ? { input: found.inputUsdPerMtok, output: found.outputUsdPerMtok } : null;
    if (tablePrices.size >= 4096) tablePrices.clear();
    tablePrices.set(key, p);
  }
  return p ?? undefined;
}

/**
 * The price of a span's model: by the provider model name it gives among the graph's priced models, else the
 * node's own model, else the price table (when neither the span nor the graph gives one).
 */
export function priceFor(ctx: GraphContext, node: string | undefined, spanModel: string | undefined, provider?: string): Price | undefined {
  if (spanModel) {
    const m = spanModel.toLowerCase();
    for (const p of ctx.prices) {
      const pm = p.model.toLowerCase();
      if (m === pm || m.startsWith(pm + '-') || m.endsWith('/' + pm)) return p;
    }
  }
  const own = node !== undefined ? ctx.nodes.get(node)?.price : undefined;
  if (own) return own;
  return spanModel ? tablePrice(provider, spanModel) : undefined;
}
