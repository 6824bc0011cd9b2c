// The shapes that trace sources produce and the aggregator consumes. A decoded OTLP span (`TraceSpan`) keeps
// every attribute (the receiver's, only those `extractSpan` reads: `attributeFilter`); `extractSpan` (mapping.ts)
// reduces it to a `SpanRecord`, the compact, graph-independent facts the figures need. A LangGraph debug stream produces `SpanRecord`s directly. Times are nanoseconds since the
// epoch as BigInt: they exceed 2^53, so they are never held in a number.

/** An OTLP attribute value. `intValue`s are numbers when exact, else their decimal string. */
export type AttrValue = string | number | boolean | null | AttrValue[] | { [key: string]: AttrValue };

export type Attributes = Record<string, AttrValue>;

/** OTLP `Status.code`: 0 unset, 1 ok, 2 error. */
export type StatusCode = 0 | 1 | 2;

export interface SpanEvent {
  readonly name: string;
  readonly time?: bigint;
  readonly attributes: Attributes;
}

export interface TraceSpan {
  /** Lower-case hex, 32 digits. */
  readonly traceId: string;
  /** Lower-case hex, 16 digits. */
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  /** OTLP `SpanKind`: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  readonly kind: number;
  readonly start: bigint;
  readonly end: bigint;
  readonly status: { readonly code: StatusCode; readonly message?: string };
  readonly attributes: Attributes;
  readonly events: readonly SpanEvent[];
  /** The resource's attributes (shared by the spans of one `ResourceSpans`). */
  readonly resource: Attributes;
}

/**
 * What the figures need of one span, whatever its source. Candidate node names are kept per naming rule
 * (docs/traces.md): the graph decides which one names a node.
 */
export interface SpanRecord {
  /** The run: the OTLP trace id, or the LangGraph thread and invocation. */
  readonly runId: string;
  readonly spanId: string;
  readonly parentId?: string;
  /** The span name as sent. */
  readonly rawName: string;
  /** Rule 5: the span name without an `invoke_agent `, `execute_tool ` or `plan ` prefix; absent for model calls and workflow spans. */
  readonly name?: string;
  /** Values of the attributes that graphs name in `tracing.node_attribute`, by attribute name. */
  readonly custom?: Readonly<Record<string, string>>;
  /** Rule 1: `agentgraph.node`, then `graph.node.id`. */
  readonly explicit?: string;
  /** Rule 2: LangGraph's node (for a span inside a subgraph: the parent graph's node that runs the subgraph). */
  readonly langgraphNode?: string;
  /** Rule 3: `gen_ai.agent.name`, `gen_ai.agent.id`. */
  readonly agent?: readonly string[];
  /** Rule 4: `gen_ai.tool.name` / `tool.name`. */
  readonly tool?: string;
  /** LangGraph's superstep (`langgraph_step`). */
  readonly step?: number;
  /** Spans of one visit share it: LangGraph's checkpoint namespace, or `gen_ai.tool.call.id`. */
  readonly visitKey?: string;
  /** A model call: its usage is the one counted (agent and workflow spans repeat their children's). */
  readonly modelCall: boolean;
  /** A workflow span (`invoke_workflow`): the run itself, not a node. */
  readonly workflow: boolean;
  readonly start: bigint;
  /** Absent while the span is open (a debug `task` without its `task_result`). */
  readonly end?: bigint;
  readonly error: boolean;
  readonly errorMessage?: string;
  /** Failures the span absorbed (tool messages with `status: "error"`). */
  readonly softErrors: number;
  readonly tokensIn: number;
  readonly tokensOut: number;
  /** `llm.cost.total`, when the span carries it. */
  readonly usd?: number;
  /** The model named by the span (`gen_ai.request.model`, `llm.model_name`...), to find its price. */
  readonly model?: string;
  /** The model's provider as the span names it (`llm.provider`, `gen_ai.provider.name`, `gen_ai.system`). */
  readonly provider?: string;
  /** The OTLP resource's `service.name` (the SDK's `unknown_service` default left out): whose run it is. */
  readonly service?: string;
  /** Tool calls the span stands for. */
  readonly toolCalls: number;
}

/** What a source delivers: spans, and the end of a run where the source knows it (LangGraph's last checkpoint, a file's end). */
export type TraceEvent =
  | { readonly type: 'span'; readonly span: SpanRecord; readonly source: string }
  | { readonly type: 'runEnd'; readonly runId: string; readonly source: string };
