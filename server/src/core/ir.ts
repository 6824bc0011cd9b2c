// The intermediate representation of one agent graph. Every frontend (the YAML/JSON format today, LangGraph
// and CrewAI sources later) produces this shape; rules, views and the readiness check read only this.
// Invariant: nothing here knows about YAML. Positions are offsets into the source text (UTF-16 code units).

export interface Range {
  readonly start: number;
  readonly end: number;
  /** Set only for a place in another file than the graph's own (an overlay and its code, analysis/overlay.ts). */
  readonly uri?: string;
}

/** A value together with the place in the source that spells it. */
export interface Ref<T = string> {
  readonly value: T;
  readonly range: Range;
}

export const END = 'END';

export const NODE_KINDS = ['llm', 'tool', 'router', 'function', 'agent', 'subgraph', 'human', 'handoff'] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

/** Kinds that call out of the process and so can fail (FORMAT.md, "can fail"). */
export const FAILING_KINDS: ReadonlySet<NodeKind> = new Set(['llm', 'tool', 'agent', 'subgraph', 'handoff']);
/** Kinds that call an external service and should retry transient failures (AG102). */
export const CALLING_KINDS: ReadonlySet<NodeKind> = new Set(['llm', 'tool', 'agent', 'subgraph']);

/** Where an effective setting of a node comes from. */
export type Origin = 'node' | 'defaults' | 'graph';

export type TransitionKind =
  | 'next' // `next: x`
  | 'fanout' // one target of `next: [x, y]`
  | 'route' // a labelled conditional route
  | 'error' // failure transition to the recovery target
  | 'exhausted' // the loop guard tripped: `on_exhausted`
  | 'command'; // a target the node's code sends the run to (LangGraph `Command(goto=...)`)

export interface Transition {
  readonly from: string;
  /** A node id or END. May name a node that does not exist (AG002 reports it). */
  readonly to: string;
  readonly kind: TransitionKind;
  readonly label?: string;
  /** The range of the target as written (for inherited error edges: the `on_error` that it comes from). */
  readonly range: Range;
  readonly origin: Origin;
  /** Read from what the code returns rather than declared (a path function's literal returns). */
  readonly inferred?: boolean;
  /**
   * Set on each edge of a join (LangGraph `add_edge(["a", "b"], "c")`): the same id on every source's edge.
   * The target runs once all of them have, so it sees what every one of them wrote.
   */
  readonly join?: string;
}

export interface RetryPolicy {
  readonly none: boolean;
  readonly attempts: number;
  readonly backoff?: 'none' | 'fixed' | 'exponential';
  readonly on?: readonly string[];
  readonly range: Range;
  readonly origin: Origin;
}

export interface StateRead {
  readonly key: string;
  readonly optional: boolean;
  readonly range: Range;
}

export interface GraphNode {
  readonly id: string;
  /** `undefined` when the source gives no valid kind (AG001 reports it); treated as local code. */
  readonly kind: NodeKind | undefined;
  /** The node's id as written (its key). */
  readonly range: Range;
  /** The whole node definition. */
  readonly bodyRange: Range;
  /** The range of each key present in the node, for diagnostics that point at one field. */
  readonly fields: ReadonlyMap<string, Range>;
  readonly model?: Ref;
  readonly fallbackModels: readonly Ref[];
  readonly inputTokens?: number;
  readonly maxOutputTokens?: number;
  readonly tool?: Ref;
  readonly tools: readonly Ref[];
  readonly maxIterations?: number;
  readonly graph?: Ref;
  readonly to?: Ref;
  readonly passes?: readonly Ref[];
  readonly reads: readonly StateRead[];
  readonly writes: readonly Ref[];
  /** The effective retry policy (own or from `defaults`). */
  readonly retry?: RetryPolicy;
  /** The effective timeout per attempt (own or from `defaults`). */
  readonly timeoutS?: Ref<number> & { origin: Origin };
  /** The effective recovery target (own, from `defaults`, or the graph's); absent for the graph's own target. */
  readonly onError?: Ref & { origin: Origin };
  readonly maxVisits?: Ref<number>;
  readonly onExhausted?: Ref;
  readonly approval?: Ref<'human'>;
  /** Outgoing transitions in source order, failure and exhaustion transitions included. */
  readonly out: readonly Transition[];
  /**
   * A conditional edge or a `Command` of this node whose targets cannot be known from the source (AG005): the
   * run may go to any node. Reachability treats it so; loops and costs see only the known transitions.
   */
  readonly dynamic?: Range;
  /** A loop guard written in code (a router's branch on a state counter), shown as the bound's evidence. */
  readonly guard?: { readonly text: string; readonly range: Range };
  /** The node's own code catches every failure and does not re-raise: it cannot fail (FORMAT.md "can fail"). */
  readonly handledInCode?: Range;
  /** What the node reads or writes cannot be known (the state passed whole to a helper, a `**` spread). */
  readonly unknownReads?: boolean;
  readonly unknownWrites?: boolean;
  /** A subgraph that the node's code invokes rather than one added as the node itself. */
  readonly calledFromCode?: boolean;
}

/** A node can fail (FORMAT.md) when it calls out of the process and its own code does not handle failures. */
export function canFail(node: GraphNode): boolean {
  return node.kind !== undefined && FAILING_KINDS.has(node.kind) && node.handledInCode === undefined;
}

/** What the framework a code-defined graph runs on does by itself (LANGGRAPH.md). */
export interface Runtime {
  /** `LangGraph`, for messages. */
  readonly framework: string;
  /** The language's comment and call syntax in fixes: `python` or `typescript`. */
  readonly language: 'python' | 'typescript';
  /** The recursion limit the framework applies when the code sets none. */
  readonly defaultSteps: number;
  /** Whether that default is low enough to end a loop by failing the run (JS: 25) or not a bound at all (Python: 10007). */
  readonly defaultStepsBound: boolean;
}

export interface StateKey {
  readonly name: string;
  readonly type?: string;
  readonly input: boolean;
  readonly data: readonly string[];
  readonly range: Range;
}

export interface ModelProfile {
  readonly name: string;
  readonly provider?: string;
  readonly model?: string;
  readonly inputUsdPerMtok?: number;
  readonly outputUsdPerMtok?: number;
  readonly allows: readonly string[];
  readonly range: Range;
}

export interface ToolSpec {
  readonly name: string;
  readonly effect?: 'none' | 'read' | 'write';
  readonly timeoutS?: number;
  readonly rateLimit?: string;
  readonly usdPerCall?: number;
  readonly idempotent: boolean;
  readonly range: Range;
}

export interface Budget {
  readonly usd?: number;
  readonly tokens?: number;
  readonly steps?: number;
  readonly toolCalls?: number;
  readonly wallS?: number;
  readonly range: Range;
  /** The range of each key present in `budget` (`usd`, `tokens`, `steps`...), for diagnostics on one limit. */
  readonly fields: ReadonlyMap<string, Range>;
}

export interface SuccessCriterion {
  readonly metric?: string;
  readonly target?: string;
  readonly eval?: string;
  readonly range: Range;
}

export interface Policy {
  readonly id?: string;
  readonly tools: readonly string[];
  readonly data: readonly string[];
  readonly require?: 'approval' | 'human' | 'model_allows';
  readonly range: Range;
}

export interface Tracing {
  readonly exporter?: string;
  readonly nodeAttribute?: string;
  /** The OTLP `service.name` of the runs of this graph: runs of other services are another graph's. */
  readonly serviceName?: string;
  readonly range: Range;
}

/** A `# agentgraph-disable-…` directive. `line` is 0-based; `undefined` for a whole-file directive. */
export interface Suppression {
  readonly codes: readonly string[];
  readonly line?: number;
  readonly reason?: string;
  readonly range: Range;
}

export interface AgentGraph {
  /** The file this graph was read from (a URI string). */
  readonly uri: string;
  readonly name?: Ref;
  readonly description?: string;
  readonly entry?: Ref;
  readonly onError?: Ref;
  readonly state: ReadonlyMap<string, StateKey>;
  readonly models: ReadonlyMap<string, ModelProfile>;
  readonly tools: ReadonlyMap<string, ToolSpec>;
  readonly budget?: Budget;
  readonly nodes: ReadonlyMap<string, GraphNode>;
  readonly success?: { readonly items: readonly SuccessCriterion[]; readonly range: Range };
  readonly tracing?: Tracing;
  readonly policies: readonly Policy[];
  /** The range of each top-level key present, and `root` for the whole document. */
  readonly keys: ReadonlyMap<string, Range>;
  readonly root: Range;
  readonly suppressions: readonly Suppression[];
  /** Other names the graph is known by in its source (the compiled graph's variable), for `file#name`. */
  readonly aliases?: readonly string[];
  /**
   * The name its code gives it, when `name` is another one: the graph id of the langgraph.json that deploys it.
   * What an overlay's `source.graph` names, since it holds with or without a deployment.
   */
  readonly codeName?: string;
  /** Set for graphs read from code: the framework's own behaviour that the rules' messages must tell. */
  readonly runtime?: Runtime;
  /** An overlay's `source:`: the code file (and graph) whose topology this file's policies apply to. */
  readonly source?: { readonly file: Ref; readonly graph?: Ref };
}
