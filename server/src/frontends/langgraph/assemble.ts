// What both LangGraph frontends (Python and JS/TS) build once they have read a builder's calls: the IR of one
// graph, with LangGraph's own semantics applied in one place (LANGGRAPH.md, docs/langgraph.md). A frontend
// reads its language into these drafts; it never builds IR transitions itself.
import type { SyntaxNode } from '@lezer/common';
import {
  END, FAILING_KINDS, type AgentGraph, type GraphNode, type ModelProfile, type NodeKind, type Origin, type Range, type Ref,
  type RetryPolicy, type Runtime, type StateKey, type StateRead, type ToolSpec, type Transition,
} from '../../core/ir.ts';

/** LangGraph's own names for the start and the end of a run. */
export const START_ID = '__start__';
export const END_ID = '__end__';

/** A target the code sends the run to, with the syntax that names it. */
export interface Target {
  readonly to: string;
  readonly node: SyntaxNode;
  /** `Send("node", ...)`: a parallel branch. */
  readonly send?: boolean;
}

/** A branch of a function that compares a state value with a number and returns a target: a loop guard. */
export interface Guard {
  readonly test: SyntaxNode;
  readonly text: string;
  readonly bound?: number;
  readonly targets: readonly Target[];
}

/** What a node's or router's function does, as both readers report it (each adds what its language can say). */
export interface FunctionFacts {
  readonly def: SyntaxNode;
  readonly name: string;
  /** Route targets read from `return`s; undefined when some return is not a literal. */
  readonly returns?: readonly Target[];
  /** `Command(goto=...)` targets returned; undefined when one of them cannot be read. */
  readonly commandTargets?: readonly Target[];
  readonly returnsCommand: boolean;
  readonly parentHandoff?: { readonly node: SyntaxNode; readonly targets: readonly Target[]; readonly passes: readonly { key: string; node: SyntaxNode }[] };
  readonly interrupts?: SyntaxNode;
  /** The call expressions of the body, for model and subgraph calls. */
  readonly calls: readonly SyntaxNode[];
  readonly reads: readonly { key: string; node: SyntaxNode; optional: boolean }[];
  readonly writes: readonly { key: string; node: SyntaxNode }[];
  readonly unknownReads: boolean;
  readonly unknownWrites: boolean;
  /** A try whose handler catches everything and does not re-raise, around calls: the function handles its failures. */
  readonly catchesAll?: SyntaxNode;
  readonly guards: readonly Guard[];
}

/** A loop guard read from code: the comparison, its bound, where the run goes when it trips. */
export interface GuardDraft {
  readonly text: string;
  readonly range: Range;
  readonly bound?: number;
  readonly target: string;
}

export interface NodeDraft {
  id: string;
  range: Range;
  bodyRange: Range;
  kind: NodeKind;
  fields: Map<string, Range>;
  model?: Ref;
  fallbackModels: Ref[];
  maxOutputTokens?: number;
  tools: Ref[];
  tool?: Ref;
  graph?: Ref;
  calledFromCode?: boolean;
  to?: Ref;
  passes?: Ref[];
  reads: StateRead[];
  writes: Ref[];
  unknownReads?: boolean;
  unknownWrites?: boolean;
  retry?: RetryPolicy;
  timeoutS?: Ref<number>;
  handledInCode?: Range;
  /** The node's own error handler, and the targets its Command names when they are known. */
  errorTargets?: Target[];
  errorRange?: Range;
  approval?: Ref<'human'>;
  /** An agent's own loop limit (call-limit middleware). */
  agentLimit?: number;
  /** Where the node's code sends the run: declared (annotation, `destinations=`, `ends`) or read from its returns. */
  commands?: { readonly targets: readonly Target[]; readonly declared: boolean };
  /** The node returns a `Command` whose targets cannot be known: where to say so (AG005). */
  commandUnknownAt?: Range;
  /** The node hands the run to the parent graph (`Command(graph=Command.PARENT)`): where. */
  handoffAt?: Range;
  /** A guard in the node's own code (a node that routes with Command). */
  ownGuard?: GuardDraft;
}

export interface EdgeDraft {
  from: string;
  to: string;
  kind: Transition['kind'];
  label?: string;
  range: Range;
  inferred?: boolean;
  join?: string;
}

/** One `StateGraph` builder, as read. */
export interface GraphDraft {
  name: string;
  aliases: string[];
  /** The `StateGraph(...)` construction, and its callee (where a graph-level finding goes). */
  call: SyntaxNode;
  callee: SyntaxNode;
  nodes: Map<string, NodeDraft>;
  edges: EdgeDraft[];
  /** Nodes whose conditional edge cannot be known: the range to report (AG005). */
  dynamic: Map<string, Range>;
  /** Guards read from routers, by the node whose conditional edge they decide. */
  guards: Map<string, GuardDraft>;
  defaultsRetry?: RetryPolicy;
  defaultsHandler?: { range: Range; targets?: Target[] };
  defaultsTimeout?: Ref<number>;
  interrupts: { names: string[] | '*'; range: Range }[];
  compiledName?: Ref;
  steps?: number;
  stepsRange?: Range;
}

export interface AssembleContext {
  readonly uri: string;
  readonly runtime: Runtime;
  /** The models and tools the module defines, by name; a graph lists those its nodes use. */
  readonly models: ReadonlyMap<string, ModelProfile>;
  readonly tools: ReadonlyMap<string, ToolSpec>;
  /** Whether a node's read of a key the state schema does not declare stays a state read (Python) or is the node's own input (JS). */
  readonly keepUndeclaredReads: boolean;
}

const rangeOf = (n: SyntaxNode): Range => ({ start: n.from, end: n.to });

/**
 * What a node's function facts say of the node whatever the language: its state reads and writes (a key written
 * by several returns listed once), and whether it waits for a person or hands off to the parent graph. Returns
 * true when that settles the node's kind.
 */
/** A chat model read from code: its model id, output cap, retries and fallbacks (both readers' `modelOf`). */
export interface ModelRead {
  name: string;
  cap?: number;
  retry?: RetryPolicy;
  fallbacks: string[];
}

/**
 * A node calls `m` (found at `range`): its model, cap and fallbacks, and the model's retries. `keepRetry` keeps a
 * retry the node already has (a function node's own retry policy wins over its model's).
 */
export function applyModel(d: NodeDraft, m: ModelRead, range: Range, keepRetry = false): void {
  d.model = { value: m.name, range };
  d.maxOutputTokens = m.cap;
  d.fallbackModels = m.fallbacks.map((value) => ({ value, range }));
  if (m.retry && !(keepRetry && d.retry)) d.retry = { ...m.retry, range };
}

export function applyFacts(d: NodeDraft, f: FunctionFacts): boolean {
  d.reads = f.reads.map((r) => ({ key: r.key, optional: r.optional, range: rangeOf(r.node) }));
  const written = new Set<string>();
  d.writes = f.writes.filter((w) => !written.has(w.key) && !!written.add(w.key)).map((w) => ({ value: w.key, range: rangeOf(w.node) }));
  d.unknownReads = f.unknownReads || undefined;
  d.unknownWrites = f.unknownWrites || undefined;
  if (f.interrupts) {
    d.kind = 'human';
    return true;
  }
  if (f.parentHandoff) {
    d.kind = 'handoff';
    const t = f.parentHandoff.targets[0];
    if (t) d.to = { value: t.to, range: rangeOf(t.node) };
    d.passes = f.parentHandoff.passes.map((p) => ({ value: p.key, range: rangeOf(p.node) }));
    return true;
  }
  return false;
}
const target = (t: string) => (t === END_ID ? END : t);

export function assemble(b: GraphDraft, state: Map<string, StateKey>, ctx: AssembleContext): AgentGraph {
  const nodes = new Map<string, GraphNode>();
  const edgesFrom = new Map<string, EdgeDraft[]>();
  for (const e of b.edges) (edgesFrom.get(e.from) ?? edgesFrom.set(e.from, []).get(e.from)!).push(e);

  // START: one static edge makes the entry; anything else (a conditional entry, several entries) is a
  // synthetic `__start__` router, as LangGraph draws it.
  const starts = edgesFrom.get(START_ID) ?? [];
  let entry: Ref | undefined;
  const startDynamic = b.dynamic.get(START_ID);
  if (starts.length === 1 && starts[0].kind === 'next' && !startDynamic) entry = { value: target(starts[0].to), range: starts[0].range };
  else if (starts.length > 0 || startDynamic) {
    entry = { value: START_ID, range: rangeOf(b.call) };
    const start: NodeDraft = { id: START_ID, range: rangeOf(b.call), bodyRange: rangeOf(b.call), kind: 'router', fields: new Map(), fallbackModels: [], tools: [], reads: [], writes: [] };
    nodes.set(START_ID, node(b, start, starts, startDynamic, state, ctx));
  }
  for (const d of b.nodes.values()) nodes.set(d.id, node(b, d, edgesFrom.get(d.id) ?? [], b.dynamic.get(d.id), state, ctx));

  const budget = b.steps !== undefined
    ? { steps: b.steps, range: b.stepsRange ?? rangeOf(b.call), fields: new Map([['steps', b.stepsRange ?? rangeOf(b.call)]]) }
    : undefined;
  const name = b.compiledName ?? { value: b.name, range: rangeOf(b.callee) };
  const aliases = [b.name, ...b.aliases].filter((a) => a !== name.value);
  const models = new Map<string, ModelProfile>();
  for (const n of nodes.values()) for (const m of [n.model, ...n.fallbackModels]) if (m && ctx.models.has(m.value)) models.set(m.value, ctx.models.get(m.value)!);
  const tools = new Map<string, ToolSpec>();
  for (const n of nodes.values()) for (const t of n.tools) if (ctx.tools.has(t.value)) tools.set(t.value, ctx.tools.get(t.value)!);
  return {
    uri: ctx.uri, name, entry, state, models, tools, budget, nodes,
    policies: [], keys: new Map(), root: rangeOf(b.call), suppressions: [], aliases, runtime: ctx.runtime,
  };
}

function node(b: GraphDraft, d: NodeDraft, edges: EdgeDraft[], dynamicBranch: Range | undefined, state: ReadonlyMap<string, StateKey>, ctx: AssembleContext): GraphNode {
  let dynamic = dynamicBranch;
  const out: Transition[] = [];
  const statics = edges.filter((e) => e.kind === 'next');
  for (const e of edges) {
    // Several static edges from one node run in parallel.
    const kind = e.kind === 'next' && statics.length > 1 ? 'fanout' : e.kind;
    out.push({ from: d.id, to: target(e.to), kind, label: e.label, range: e.range, origin: 'node', ...(e.inferred ? { inferred: true } : {}), ...(e.join ? { join: e.join } : {}) });
  }
  // Command routing: declared, or read from the literal gotos the node returns.
  if (d.commands) {
    const seen = new Set<string>();
    for (const t of d.commands.targets) {
      if (seen.has(t.to)) continue;
      seen.add(t.to);
      out.push({ from: d.id, to: target(t.to), kind: t.send ? 'fanout' : 'command', range: rangeOf(t.node), origin: 'node', ...(d.commands.declared ? {} : { inferred: true }) });
    }
  } else if (d.commandUnknownAt) dynamic ??= d.commandUnknownAt;
  // LangGraph ends the run after a node that nothing follows (and draws it so): an implicit edge to END.
  if (d.id !== START_ID && !dynamic && !d.handoffAt && !out.some((t) => t.kind !== 'error' && t.kind !== 'exhausted')) {
    out.push({ from: d.id, to: END, kind: 'next', range: d.range, origin: 'node', inferred: true });
  }
  // A handoff to the parent graph leaves this graph: for it, that is the end of the run.
  if (d.handoffAt && !out.some((t) => t.to === END)) out.push({ from: d.id, to: END, kind: 'command', label: 'to the parent graph', range: d.handoffAt, origin: 'node', inferred: true });

  // Recovery: the node's own error handler, else the default one (set_node_defaults / setNodeDefaults), which is
  // the recovery of the nodes that can fail, never of the node it recovers to (as the format's defaults.on_error).
  let onError: GraphNode['onError'];
  let handledInCode = d.handledInCode;
  const defaults = b.defaultsHandler && d.id !== START_ID && FAILING_KINDS.has(d.kind) && !b.defaultsHandler.targets?.some((t) => t.to === d.id);
  const handler = d.errorRange ? { range: d.errorRange, targets: d.errorTargets, origin: 'node' as Origin } : defaults ? { ...b.defaultsHandler!, origin: 'defaults' as Origin } : undefined;
  if (handler) {
    const first = handler.targets?.[0];
    if (first) {
      onError = { value: target(first.to), range: handler.range, origin: handler.origin };
      for (const t of handler.targets!) out.push({ from: d.id, to: target(t.to), kind: 'error', range: handler.range, origin: handler.origin });
    } else handledInCode ??= handler.range;
  }

  // A loop guard (in the router of its conditional edge, or in its own Command-routing code) bounds the loop as
  // max_visits does; its exit is on_exhausted. A guard with no number is bounded by the recursion limit.
  const g = b.guards.get(d.id) ?? d.ownGuard;
  const approval = d.approval ?? b.interrupts.find((i) => i.names === '*' || i.names.includes(d.id));
  const retry = d.retry ?? (d.id === START_ID ? undefined : b.defaultsRetry);
  if (retry) d.fields.set('retry_policy', d.fields.get('retry_policy') ?? retry.range);
  const timeout = d.timeoutS ? { ...d.timeoutS, origin: 'node' as Origin } : b.defaultsTimeout && d.id !== START_ID ? { ...b.defaultsTimeout, origin: 'defaults' as Origin } : undefined;
  return {
    id: d.id,
    kind: d.kind,
    range: d.range,
    bodyRange: d.bodyRange,
    fields: d.fields,
    model: d.model,
    fallbackModels: d.fallbackModels,
    maxOutputTokens: d.maxOutputTokens,
    tool: d.tool,
    tools: d.tools,
    maxIterations: d.kind === 'agent' ? (d.agentLimit ?? b.steps) : undefined,
    graph: d.graph,
    to: d.to,
    passes: d.passes,
    reads: d.reads.filter((r) => state.size === 0 || state.has(r.key) || (ctx.keepUndeclaredReads && !r.optional)),
    writes: d.writes,
    retry,
    timeoutS: timeout,
    onError,
    // The guard's number counts the loop's rounds, and where the counter moves relative to the router is not
    // known: the router's node may run once more than the number (agent -> tools x3 -> agent runs agent 4 times).
    // The bound is the upper one, so that a normal run never passes it (AG802) and the worst case stays a ceiling.
    maxVisits: g ? { value: g.bound !== undefined ? g.bound + 1 : b.steps ?? ctx.runtime.defaultSteps, range: g.range } : undefined,
    onExhausted: g ? { value: target(g.target), range: g.range } : undefined,
    guard: g ? { text: g.text, range: g.range } : undefined,
    approval: approval ? { value: 'human', range: approval.range } : undefined,
    out,
    dynamic,
    handledInCode,
    unknownReads: d.unknownReads,
    unknownWrites: d.unknownWrites,
    calledFromCode: d.calledFromCode,
  };
}

/**
 * The file's graphs, the main one first: one that no other graph of the file uses as a subgraph, with nodes,
 * the last such one defined (an empty trailing `StateGraph(...)`, a stub or a test helper, is not the app).
 */
export function mainFirst(graphs: AgentGraph[], builderNames: readonly string[]): AgentGraph[] {
  const used = new Set<string>();
  for (const g of graphs) for (const n of g.nodes.values()) if (n.graph?.value.startsWith('#')) used.add(n.graph.value.slice(1));
  const unused = graphs.map((_, i) => i).filter((i) => !used.has(builderNames[i]));
  const mainIdx = unused.filter((i) => graphs[i].nodes.size > 0).pop() ?? unused.pop() ?? graphs.length - 1;
  const out = [...graphs];
  if (mainIdx > 0) out.unshift(...out.splice(mainIdx, 1));
  return out;
}
