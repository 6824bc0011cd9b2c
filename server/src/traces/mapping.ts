// How a span finds its node (docs/traces.md, "Naming the node of a span"): `extractSpan` keeps, per naming
// rule, the names a span offers; `ownName` picks the node with a graph's node set, first match wins:
//   0. the graph's `tracing.node_attribute`;
//   1. `agentgraph.node`, then `graph.node.id` (OpenInference);
//   2. LangGraph's `langgraph_node` (OpenInference `metadata` JSON or `langsmith.metadata.*`); inside a
//      subgraph, the parent graph's node that runs it (the first segment of `langgraph_checkpoint_ns`);
//   3. `gen_ai.agent.name`, `gen_ai.agent.id`;
//   4. `gen_ai.tool.name` / `tool.name`;
//   5. the span name without an `invoke_agent `, `execute_tool ` or `plan ` prefix;
//   6. a model call (and any span whose names match no node) belongs to its nearest named ancestor: the
//      aggregator resolves that, since ancestors arrive after their children.
import type { AttrValue, Attributes, SpanRecord, TraceSpan } from './model.ts';

/** The override attribute of this project: a span that carries it is named by it, whatever else it says. */
export const NODE_OVERRIDE_ATTRIBUTE = 'agentgraph.node';

const MODEL_OPERATIONS = new Set(['chat', 'text_completion', 'generate_content', 'embeddings', 'completion']);
const MODEL_KINDS = new Set(['LLM', 'EMBEDDING']);
const NAME_PREFIXES = ['invoke_agent ', 'execute_tool ', 'plan '];
const MAX_METADATA = 256 * 1024;

const str = (v: AttrValue | undefined): string | undefined =>
  typeof v === 'string' ? (v === '' ? undefined : v) : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;

const num = (v: AttrValue | undefined): number | undefined => {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
};

/** Parsed metadata strings: the spans of one LangGraph task repeat the same one. Read-only once parsed. */
const metadataCache = new Map<string, Record<string, unknown> | undefined>();
const METADATA_CACHE = 512;

/** OpenInference puts LangChain's run metadata in one JSON string attribute, `metadata`. */
function metadataOf(attrs: Attributes): Record<string, unknown> | undefined {
  const m = attrs.metadata;
  if (typeof m === 'string') {
    if (m.length > MAX_METADATA || m[0] !== '{') return undefined;
    if (metadataCache.has(m)) return metadataCache.get(m);
    let parsed: Record<string, unknown> | undefined;
    try {
      const v: unknown = JSON.parse(m);
      parsed = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
    } catch {
      parsed = undefined;
    }
    if (metadataCache.size >= METADATA_CACHE) metadataCache.clear();
    metadataCache.set(m, parsed);
    return parsed;
  }
  if (m && typeof m === 'object' && !Array.isArray(m)) return m as Record<string, unknown>;
  return undefined;
}

/** A LangGraph value from the span: its own attribute, LangSmith's `langsmith.metadata.<key>`, or OpenInference's metadata. */
function langgraphValue(attrs: Attributes, meta: Record<string, unknown> | undefined, key: string): AttrValue | undefined {
  const direct = attrs[key] ?? attrs[`langsmith.metadata.${key}`];
  if (direct !== undefined && direct !== null) return direct;
  const v = meta?.[key];
  return typeof v === 'string' || typeof v === 'number' ? v : undefined;
}

export interface ExtractOptions {
  /** Attribute names that graphs give as `tracing.node_attribute`: their values are kept. */
  readonly customAttributes?: ReadonlySet<string>;
}

/**
 * Every attribute key `extractSpan` reads of a span, and of its resource (`service.name`), besides the graphs'
 * `tracing.node_attribute`s. The receiver decodes no other attribute (`attributeFilter`), so a key read below
 * must be listed here: otlpSkim.test.ts checks that `extractSpan` reads nothing else.
 */
export const ATTRIBUTES_READ: ReadonlySet<string> = new Set([
  'gen_ai.operation.name', 'openinference.span.kind', 'metadata', NODE_OVERRIDE_ATTRIBUTE, 'graph.node.id',
  'langgraph_node', 'langsmith.metadata.langgraph_node', 'langgraph.node',
  'langgraph_checkpoint_ns', 'langsmith.metadata.langgraph_checkpoint_ns', 'langgraph_step', 'langsmith.metadata.langgraph_step',
  'gen_ai.agent.name', 'gen_ai.agent.id', 'gen_ai.tool.name', 'tool.name', 'gen_ai.tool.call.id', 'tool_call.id',
  'llm.request.type', 'error.type',
  'gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens', 'llm.token_count.prompt',
  'gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens', 'llm.token_count.completion', 'llm.cost.total',
  'gen_ai.response.model', 'gen_ai.request.model', 'llm.model_name', 'llm.provider', 'gen_ai.provider.name', 'gen_ai.system',
  'service.name',
]);

const LANGSMITH_METADATA = 'langsmith.metadata.';

/**
 * Whether `extractSpan` with `options` may read an attribute of this key: the attributes a decoder must keep
 * for it. It reads `options.customAttributes` at each call (a hub's set changes with its graphs).
 */
export function attributeFilter(options: ExtractOptions = {}): (key: string) => boolean {
  return (key) => {
    if (ATTRIBUTES_READ.has(key)) return true;
    const custom = options.customAttributes;
    if (custom === undefined || custom.size === 0) return false;
    return custom.has(key) || (key.startsWith(LANGSMITH_METADATA) && custom.has(key.slice(LANGSMITH_METADATA.length)));
  };
}

/** The graph-independent facts of an OTLP span. */
export function extractSpan(span: TraceSpan, options: ExtractOptions = {}): SpanRecord {
  const a = span.attributes;
  const op = str(a['gen_ai.operation.name']);
  const oiKind = str(a['openinference.span.kind']);
  const needsMeta = a.metadata !== undefined;
  const meta = needsMeta ? metadataOf(a) : undefined;

  let custom: Record<string, string> | undefined;
  for (const key of options.customAttributes ?? []) {
    const v = str(a[key]) ?? str(a[`langsmith.metadata.${key}`]) ?? str(meta?.[key] as AttrValue | undefined);
    if (v !== undefined) (custom ??= {})[key] = v;
  }

  const explicit = str(a[NODE_OVERRIDE_ATTRIBUTE]) ?? str(a['graph.node.id']);

  let langgraphNode = str(langgraphValue(a, meta, 'langgraph_node')) ?? str(a['langgraph.node']);
  const ns = str(langgraphValue(a, meta, 'langgraph_checkpoint_ns'));
  let visitKey: string | undefined;
  if (ns) {
    const bar = ns.indexOf('|');
    if (bar >= 0) {
      // Inside a subgraph: for this graph, the span is part of the node that runs the subgraph.
      visitKey = ns.slice(0, bar);
      const colon = visitKey.indexOf(':');
      langgraphNode = colon >= 0 ? visitKey.slice(0, colon) : visitKey;
    } else visitKey = ns;
  }
  const stepRaw = num(langgraphValue(a, meta, 'langgraph_step'));
  const step = stepRaw !== undefined && Number.isInteger(stepRaw) ? stepRaw : undefined;

  const agentName = str(a['gen_ai.agent.name']);
  const agentId = str(a['gen_ai.agent.id']);
  const agent = agentName && agentId ? [agentName, agentId] : agentName ? [agentName] : agentId ? [agentId] : undefined;
  const tool = str(a['gen_ai.tool.name']) ?? str(a['tool.name']);
  visitKey ??= str(a['gen_ai.tool.call.id']) ?? str(a['tool_call.id']);

  const modelCall = (op !== undefined && MODEL_OPERATIONS.has(op)) || (oiKind !== undefined && MODEL_KINDS.has(oiKind)) ||
    (op === undefined && oiKind === undefined && str(a['llm.request.type']) !== undefined);
  const workflow = op === 'invoke_workflow';

  let name: string | undefined;
  if (!modelCall && !workflow && span.name) {
    name = span.name;
    for (const p of NAME_PREFIXES) {
      if (name.startsWith(p)) {
        name = name.slice(p.length).trim();
        break;
      }
    }
    if (name === '') name = undefined;
  }

  const errorType = str(a['error.type']);
  const error = span.status.code === 2 || errorType !== undefined;
  const errorMessage = error ? (span.status.message ?? errorType) : undefined;

  const tokensIn = num(a['gen_ai.usage.input_tokens']) ?? num(a['gen_ai.usage.prompt_tokens']) ?? num(a['llm.token_count.prompt']) ?? 0;
  const tokensOut = num(a['gen_ai.usage.output_tokens']) ?? num(a['gen_ai.usage.completion_tokens']) ?? num(a['llm.token_count.completion']) ?? 0;
  const usd = num(a['llm.cost.total']);
  const model = str(a['gen_ai.response.model']) ?? str(a['gen_ai.request.model']) ?? str(a['llm.model_name']);
  const provider = model !== undefined ? str(a['llm.provider']) ?? str(a['gen_ai.provider.name']) ?? str(a['gen_ai.system']) : undefined;
  const service = str(span.resource['service.name']);

  // Built by assignment, not spreads: this runs for every span received.
  const r: { -readonly [K in keyof SpanRecord]: SpanRecord[K] } = {
    runId: span.traceId,
    spanId: span.spanId,
    rawName: span.name,
    modelCall,
    workflow,
    start: span.start,
    end: span.end,
    error,
    softErrors: 0,
    tokensIn: tokensIn > 0 ? tokensIn : 0,
    tokensOut: tokensOut > 0 ? tokensOut : 0,
    toolCalls: tool !== undefined ? 1 : 0,
  };
  if (span.parentSpanId) r.parentId = span.parentSpanId;
  if (name !== undefined) r.name = name;
  if (custom) r.custom = custom;
  if (explicit !== undefined) r.explicit = explicit;
  if (langgraphNode !== undefined) r.langgraphNode = langgraphNode;
  if (agent) r.agent = agent;
  if (tool !== undefined) r.tool = tool;
  if (step !== undefined) r.step = step;
  if (visitKey !== undefined) r.visitKey = visitKey;
  if (errorMessage !== undefined) r.errorMessage = errorMessage.slice(0, 500);
  if (usd !== undefined && usd >= 0) r.usd = usd;
  if (model !== undefined) r.model = model;
  if (provider !== undefined) r.provider = provider;
  if (service !== undefined && !service.startsWith('unknown_service')) r.service = service;
  return r;
}

/** What a graph needs to name spans: its node ids (null: take the first name offered) and its `tracing.node_attribute`. */
export interface Naming {
  readonly nodes: ReadonlySet<string> | null;
  readonly nodeAttribute?: string;
}

/**
 * The names a span offers for rules 0 to 4, in order. The first that is a node of the graph names the span;
 * when none is, the first is reported as a name the graph lacks.
 */
export function explicitNames(r: SpanRecord, naming: Naming): string[] {
  const out: string[] = [];
  const custom = naming.nodeAttribute ? r.custom?.[naming.nodeAttribute] : undefined;
  if (custom !== undefined) out.push(custom);
  if (r.explicit !== undefined) out.push(r.explicit);
  if (r.langgraphNode !== undefined) out.push(r.langgraphNode);
  if (r.agent) out.push(...r.agent);
  if (r.tool !== undefined) out.push(r.tool);
  return out;
}

/** The result of naming a span by its own attributes. */
export type OwnName =
  | { readonly node: string }
  /** The span names something the graph lacks (rules 0-4 when `explicit`, its span name otherwise): it inherits its ancestor's node. */
  | { readonly unknown: string; readonly explicit: boolean }
  | null;

export function ownName(r: SpanRecord, naming: Naming): OwnName {
  const names = explicitNames(r, naming);
  if (naming.nodes === null) {
    if (names.length > 0) return { node: names[0] };
    return r.name !== undefined ? { node: r.name } : null;
  }
  for (const n of names) if (naming.nodes.has(n)) return { node: n };
  if (r.name !== undefined && naming.nodes.has(r.name)) return { node: r.name };
  if (names.length > 0) return { unknown: names[0], explicit: true };
  return r.name !== undefined ? { unknown: r.name, explicit: false } : null;
}
