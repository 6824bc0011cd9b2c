// IR + analysis -> the graph view model (common/graphModel.ts): what the graph visualizer draws of one file.
// Plain data only: no LSP types, no layout. The webview and `agentgraph render` lay it out and draw it.
import type { Analysis } from '../analysis/workspace.ts';
import type { AgDiagnostic, Severity } from '../core/diagnostic.ts';
import { END, type AgentGraph, type GraphNode, type Range } from '../core/ir.ts';
import type { GraphQueries } from '../core/queries.ts';
import { basename, resolveRelative } from '../core/uris.ts';
import type {
  GraphViewModel, LoopStatus, ViewDiagnostics, ViewEdge, ViewHeader, ViewLoop, ViewNode, ViewRange,
} from '../../../common/graphModel.ts';

/** The id of the pseudo-node that starts a run; not a valid node id of the format (ids are lower case). */
export const START_ID = '__start__';
/** At most this many messages per node travel to the view (the count stays exact). */
const MAX_MESSAGES = 12;

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

export function buildGraphView(analysis: Analysis): GraphViewModel {
  const { graph, queries: q, lines } = analysis;
  const range = (r: Range): ViewRange => ({ start: lines.position(r.start), end: lines.position(r.end) });
  const shown = analysis.diagnostics.filter((d) => !d.suppressed);
  const counts = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const d of shown) counts[d.severity]++;

  if (!graph || !q) {
    return {
      uri: analysis.uri,
      header: { name: basename(analysis.uri), counts, graphDiagnostics: summarize(shown) },
      nodes: [],
      edges: [],
      loops: [],
    };
  }

  const { perNode, loose } = attach(graph, shown);
  const nodes: ViewNode[] = [];
  const edges: ViewEdge[] = [];
  const entry = q.entry;
  if (entry) {
    nodes.push({ id: START_ID, kind: 'start', label: 'start' });
    edges.push({ id: `${START_ID}->${entry.id}`, from: START_ID, to: entry.id, kind: 'start' });
  }
  for (const n of graph.nodes.values()) nodes.push(viewNode(analysis.uri, graph, n, range, perNode.get(n.id), entry?.id));

  const missing = new Set<string>();
  let toEnd = false;
  for (const n of graph.nodes.values()) {
    n.out.forEach((t, i) => {
      if (t.to === END) toEnd = true;
      else if (!graph.nodes.has(t.to)) missing.add(t.to);
      edges.push({
        id: `${t.from}->${t.to}#${i}`,
        from: t.from,
        to: t.to,
        kind: t.kind,
        ...(t.label !== undefined ? { label: t.label } : t.kind === 'exhausted' ? { label: 'exhausted' } : {}),
        ...(t.kind === 'error' && t.origin !== 'node' ? { inherited: true } : {}),
      });
    });
  }
  for (const id of missing) nodes.push({ id, kind: 'missing', label: id, detail: 'no such node' });
  if (toEnd) nodes.push({ id: END, kind: 'end', label: END });

  return { uri: analysis.uri, header: header(analysis, graph, counts, loose), nodes, edges, loops: loops(graph, q) };
}

function viewNode(uri: string, graph: AgentGraph, n: GraphNode, range: (r: Range) => ViewRange, diagnostics: ViewDiagnostics | undefined, entry: string | undefined): ViewNode {
  const v: ViewNode = { id: n.id, kind: n.kind ?? 'unknown', label: n.id, range: range(n.range), bodyRange: range({ start: n.range.start, end: Math.max(n.range.end, n.bodyRange.end) }) };
  const detail = detailOf(n);
  if (detail) v.detail = detail;
  if (n.id === entry) v.entry = true;
  if (graph.onError?.value === n.id) v.recovery = true;
  if (n.approval) v.approval = true;
  if (diagnostics) v.diagnostics = diagnostics;
  if (n.maxVisits) v.maxVisits = n.maxVisits.value;
  if (n.guard) v.guard = n.guard.text;
  if (n.kind === 'agent') v.innerLoop = n.maxIterations ?? 'unbounded';
  if (n.kind === 'subgraph' && n.graph) v.subgraphUri = resolveRelative(uri, n.graph.value);
  return v;
}

function detailOf(n: GraphNode): string | undefined {
  switch (n.kind) {
    case 'llm':
    case 'agent':
      return n.model ? `${n.kind} · ${n.model.value}` : n.kind;
    case 'tool':
      return n.tool ? `tool · ${n.tool.value}` : 'tool';
    case 'handoff':
      return n.to ? `handoff → ${n.to.value}` : 'handoff';
    case 'subgraph':
      return n.graph ? `subgraph · ${n.graph.value}` : 'subgraph';
    case undefined:
      return 'no valid kind';
    default:
      return n.kind;
  }
}

/** Gives each finding to the node whose definition holds it; the rest belong to the graph. */
function attach(graph: AgentGraph, ds: readonly AgDiagnostic[]): { perNode: Map<string, ViewDiagnostics>; loose: ViewDiagnostics | undefined } {
  const spans = [...graph.nodes.values()].map((n) => ({ id: n.id, start: n.range.start, end: Math.max(n.range.end, n.bodyRange.end) }));
  const byNode = new Map<string, AgDiagnostic[]>();
  const rest: AgDiagnostic[] = [];
  for (const d of ds) {
    const owner = spans.find((s) => d.range.start >= s.start && d.range.start < s.end);
    if (owner) (byNode.get(owner.id) ?? byNode.set(owner.id, []).get(owner.id)!).push(d);
    else rest.push(d);
  }
  const perNode = new Map<string, ViewDiagnostics>();
  for (const [id, list] of byNode) perNode.set(id, summarize(list)!);
  return { perNode, loose: summarize(rest) };
}

function summarize(ds: readonly AgDiagnostic[]): ViewDiagnostics | undefined {
  if (ds.length === 0) return undefined;
  const sorted = [...ds].sort((a, b) => RANK[a.severity] - RANK[b.severity]);
  return { severity: sorted[0].severity, count: ds.length, messages: sorted.slice(0, MAX_MESSAGES).map((d) => `${d.code}: ${d.message}`) };
}

function header(analysis: Analysis, graph: AgentGraph, counts: ViewHeader['counts'], loose: ViewDiagnostics | undefined): ViewHeader {
  const h: ViewHeader = { name: graph.name?.value ?? basename(analysis.uri), counts };
  if (graph.description) h.description = graph.description;
  const b = graph.budget;
  if (b) {
    h.budget = {};
    if (b.usd !== undefined) h.budget.usd = b.usd;
    if (b.tokens !== undefined) h.budget.tokens = b.tokens;
    if (b.steps !== undefined) h.budget.steps = b.steps;
    if (b.toolCalls !== undefined) h.budget.toolCalls = b.toolCalls;
    if (b.wallS !== undefined) h.budget.wallS = b.wallS;
  }
  const wc = analysis.worstCase;
  if (wc) {
    h.worstCase = {
      usd: wc.usd,
      tokens: wc.tokens,
      unbounded: wc.unbounded.length > 0,
      lowerBound: wc.unpriced.size > 0,
      inputNotEstimated: wc.noInputEstimate.length > 0,
      overBudget: (b?.usd !== undefined && wc.usd > b.usd) || (b?.tokens !== undefined && wc.tokens > b.tokens),
    };
  }
  if (loose) h.graphDiagnostics = loose;
  return h;
}

/** How one node bounds a loop: its guard written in code (the evidence), else its `max_visits`. */
const boundOf = (n: GraphNode): string => (n.guard ? `guard ${n.guard.text}` : `max_visits ${n.maxVisits!.value}`);

/**
 * Each loop with what ends it (FORMAT.md: a loop is bounded when a node in it has `max_visits`; in code, a
 * router's guard on a state counter, shown with its evidence as LANGGRAPH.md asks).
 */
function loops(graph: AgentGraph, q: GraphQueries): ViewLoop[] {
  const unguarded = q.unguardedLoops();
  return q.loops().map((loop) => {
    const members = new Set(loop);
    const free = unguarded.some((u) => u.every((id) => members.has(id)));
    const guards = loop.map((id) => graph.nodes.get(id)!).filter((n) => n.maxVisits !== undefined);
    let status: LoopStatus;
    let bound: string;
    if (!free) {
      status = 'guarded';
      bound = guards.length === 1 ? boundOf(guards[0]) : guards.map((n) => `${n.id} ${boundOf(n)}`).join(', ');
    } else if (graph.budget?.steps !== undefined) {
      status = 'steps';
      bound = `budget.steps ${graph.budget.steps} only`;
    } else if (graph.runtime?.defaultStepsBound) {
      // LangGraph JS's default recursion limit (25) ends the loop by failing the run, as AG202 says.
      status = 'steps';
      bound = `default recursion limit ${graph.runtime.defaultSteps} only`;
    } else {
      status = 'unbounded';
      bound = 'unbounded';
    }
    return { nodes: [...loop], status, bound };
  });
}
