// The agent graph format, version 1 (docs/format.md), as one zod schema: the single source of truth for
// validation (AG001), the TypeScript types of the raw document, and the JSON Schema in schema/.
import { z } from 'zod';

const ID = /^[a-z0-9][a-z0-9_-]*$/;
const RATE = /^\d+(\.\d+)?\/(s|min|h)$/;

const stateType = z.enum(['string', 'number', 'boolean', 'object', 'array']);
const nonNegative = z.number().nonnegative();
const positiveInt = z.number().int().positive();
const target = z.string().min(1).describe('A node id, or END');
const stateRead = z.string().min(1).describe('A state key; ending in `?` when the node copes without it');

export const stateKeySchema = z.union([
  stateType,
  z.strictObject({
    type: stateType.describe('The value type: string, number, boolean, object or array.'),
    enum: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
    input: z.boolean().optional().describe('Provided by the caller: written before `entry`.'),
    data: z.array(z.string()).optional().describe('Data classes of the value, such as `pii`.'),
    description: z.string().optional().describe('What the key holds.'),
  }),
]);

export const modelSchema = z.strictObject({
  provider: z.string().optional().describe('The provider, such as openai or anthropic.'),
  model: z.string().optional().describe("The provider's model name, such as gpt-4o-mini."),
  input_usd_per_mtok: nonNegative.optional().describe('USD per million input tokens.'),
  output_usd_per_mtok: nonNegative.optional().describe('USD per million output tokens.'),
  allows: z.array(z.string()).optional().describe('Data classes this model may receive.'),
});

export const toolSchema = z.strictObject({
  effect: z.enum(['none', 'read', 'write']).optional().describe('What a call changes outside: `none`, `read` (nothing) or `write` (a side effect).'),
  timeout_s: z.number().positive().optional().describe('Seconds a call may take before it counts as a timeout.'),
  rate_limit: z.string().regex(RATE, 'must look like 20/s, 100/min or 1000/h').optional().describe('Calls allowed per second, minute or hour: `20/s`, `100/min`, `1000/h`.'),
  usd_per_call: nonNegative.optional().describe('USD per call, used by cost analysis.'),
  idempotent: z.boolean().optional().describe('Default: true for `read`, false for `write`.'),
  description: z.string().optional().describe('What the tool does.'),
});

export const retrySchema = z.union([
  z.literal('none'),
  z.strictObject({
    attempts: positiveInt.describe('Attempts in all, the first included.'),
    backoff: z.enum(['none', 'fixed', 'exponential']).optional().describe('Wait between attempts: `none`, `fixed` or `exponential`.'),
    initial_s: nonNegative.optional().describe('Seconds before the first retry.'),
    max_s: nonNegative.optional().describe('Longest wait between attempts, in seconds.'),
    on: z.array(z.string()).optional().describe('Failure classes that are retried, such as timeout, rate_limit, server_error.'),
  }),
]);

export const budgetSchema = z.strictObject({
  usd: nonNegative.optional().describe('USD per run: the run fails once it would spend more.'),
  tokens: positiveInt.optional().describe('Model tokens (input and output) per run.'),
  steps: positiveInt.optional().describe('Node visits per run; also bounds every loop, by failing the run.'),
  tool_calls: z.number().int().nonnegative().optional().describe('Tool calls per run.'),
  wall_s: z.number().positive().optional().describe('Seconds a run may take from start to end.'),
});

export const defaultsSchema = z.strictObject({
  retry: retrySchema.optional().describe('Retry policy of every node that does not set its own.'),
  timeout_s: z.number().positive().optional().describe('Seconds per attempt, for every node that does not set its own.'),
  on_error: target.optional().describe('Recovery target of every node that does not set its own.'),
});

// Keys every node may have.
const nodeCommon = {
  description: z.string().optional().describe('What the node does, in one line.'),
  next: z.union([target, z.array(target).min(1)]).optional().describe('One target, or a list for parallel fan-out.'),
  routes: z.record(z.string(), target).optional().describe('Conditional transitions: route label to target.'),
  reads: z.array(stateRead).optional().describe('State keys the node uses; a key ending in `?` is optional.'),
  writes: z.array(z.string().min(1)).optional().describe('State keys the node produces.'),
  retry: retrySchema.optional().describe('`none`, or `{ attempts, backoff, initial_s?, max_s?, on? }`: how transient failures are retried.'),
  timeout_s: z.number().positive().optional().describe('Seconds per attempt.'),
  on_error: target.optional().describe('Recovery target when the node still fails after its retries and fallback models.'),
  max_visits: positiveInt.optional().describe('Loop guard: the node runs at most this many times per run.'),
  on_exhausted: target.optional().describe('Where the run goes when max_visits is reached.'),
  approval: z.literal('human').optional().describe('`human`: a person approves before the node runs.'),
};

const modelCall = {
  model: z.string().min(1).describe('The model profile it calls: a key of `models`.'),
  fallback_models: z.array(z.string().min(1)).optional().describe('Models tried in order when the primary fails after its retries.'),
  input_tokens: z.number().int().nonnegative().optional().describe('Estimated input tokens per call, used by cost analysis.'),
  max_output_tokens: positiveInt.optional().describe('The hard output cap sent to the provider.'),
};

export const nodeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('llm').describe('One model call.'), ...nodeCommon, ...modelCall }),
  z.strictObject({ kind: z.literal('tool').describe('One tool call.'), ...nodeCommon, tool: z.string().min(1).describe('The tool it calls: a key of `tools`.') }),
  z.strictObject({ kind: z.literal('router').describe('Pure code that only chooses a route.'), ...nodeCommon }),
  z.strictObject({ kind: z.literal('function').describe('Local code.'), ...nodeCommon }),
  z.strictObject({
    kind: z.literal('agent').describe('An inner agent loop, such as a ReAct agent.'),
    ...nodeCommon,
    ...modelCall,
    tools: z.array(z.string().min(1)).optional().describe('Tools the inner loop may call: keys of `tools`.'),
    max_iterations: positiveInt.optional().describe('Bound of the inner agent loop.'),
  }),
  z.strictObject({
    kind: z.literal('subgraph').describe('Runs another agent graph file.'),
    ...nodeCommon,
    graph: z.string().min(1).describe('Relative path of another agent graph file.'),
    passes: z.array(z.string().min(1)).optional().describe('The state keys the subgraph receives: its contract.'),
  }),
  z.strictObject({ kind: z.literal('human').describe('Waits for a person.'), ...nodeCommon }),
  z.strictObject({
    kind: z.literal('handoff').describe('Transfers the run to another agent or team.'),
    ...nodeCommon,
    to: z.string().min(1).describe('The receiver: another agent or team.'),
    passes: z.array(z.string().min(1)).optional().describe('The state keys the receiver must receive: its contract.'),
  }),
]);

export const successSchema = z.strictObject({
  metric: z.string().min(1).describe('What is measured, such as autonomous_resolution_rate.'),
  target: z.union([z.string(), z.number()]).describe('The bar to meet, such as ">= 0.80".'),
  eval: z.string().optional().describe('The evaluation set that measures it.'),
});

export const tracingSchema = z.strictObject({
  exporter: z.enum(['otlp', 'jsonl']).describe('Where spans go: `otlp` or `jsonl`.'),
  node_attribute: z.string().min(1).optional().describe('The span attribute that names the node, such as langgraph_node.'),
  service_name: z.string().min(1).optional().describe('The OTLP resource `service.name` of this graph\'s runs: runs of other services are left out of its figures.'),
});

export const policySchema = z.strictObject({
  id: z.string().min(1).describe('The policy id.'),
  tools: z.array(z.string()).optional().describe('The tools it covers: keys of `tools`.'),
  data: z.array(z.string()).optional().describe('The data classes it covers, such as `pii`.'),
  require: z.enum(['approval', 'human', 'model_allows']).describe('What it requires: `approval`, `human` or `model_allows`.'),
});

export const agentGraphSchema = z.strictObject({
    agentgraph: z.literal(1).describe('Format version.'),
    name: z.string().regex(ID, 'must match [a-z0-9][a-z0-9_-]*').describe('The graph id: lower case, digits, `_` and `-`.'),
    description: z.string().optional().describe('What the graph does, in one line.'),
    state: z.record(z.string(), stateKeySchema).optional().describe('The state keys that travel between nodes: `{ type, enum?, input?, data? }` or a bare type name.'),
    models: z.record(z.string(), modelSchema).optional().describe('Named model profiles, with prices in USD per million tokens.'),
    tools: z.record(z.string(), toolSchema).optional().describe('Named tools: effect, timeout, rate limit, price, idempotence.'),
    budget: budgetSchema.optional().describe('Per-run limits enforced by the orchestration layer: usd, tokens, steps, tool_calls, wall_s.'),
    defaults: defaultsSchema.optional().describe('Node keys inherited by every node that does not say otherwise: retry, timeout_s, on_error.'),
    entry: z.string().min(1).describe('The first node of a run.'),
    on_error: target.optional().describe('Graph-level recovery: where any failure that a node does not recover goes.'),
    nodes: z.record(z.string().refine((id) => id !== 'END', 'END is reserved for the end of a run and cannot be a node id'), nodeSchema).describe('The nodes: a map from node id to node.'),
    success: z.array(successSchema).optional().describe('Success criteria: `{ metric, target, eval? }` each.'),
    tracing: tracingSchema.optional().describe('How runtime spans name their node: `{ exporter, node_attribute? }`.'),
    policies: z.array(policySchema).optional().describe('Governance: `{ id, tools? or data?, require }` each.'),
  });

/** What an overlay may say of a node the code defines: the production facts code cannot say. No transitions. */
export const overlayNodeSchema = z.strictObject({
  description: nodeCommon.description,
  reads: nodeCommon.reads,
  writes: nodeCommon.writes,
  retry: nodeCommon.retry,
  timeout_s: nodeCommon.timeout_s,
  approval: nodeCommon.approval,
  input_tokens: modelCall.input_tokens,
  max_output_tokens: modelCall.max_output_tokens,
  fallback_models: modelCall.fallback_models,
  model: modelCall.model.optional(),
  tool: z.string().min(1).optional().describe('The tool it calls: a key of `tools`.'),
  passes: z.array(z.string().min(1)).optional().describe('The state keys a handoff or subgraph must receive: its contract.'),
});

export const sourceSchema = z.strictObject({
  file: z.string().min(1).describe('The LangGraph source file, relative to this file, such as ./graph.py.'),
  graph: z.string().min(1).optional().describe('The graph in it: its builder variable, compiled variable or compile(name=...); default: the file\'s main graph.'),
});

/** The key that makes a document an overlay: the frontend and the generated JSON Schema both tell the forms apart by it. */
export const OVERLAY_KEY = 'source';

/** Whether a document (as parsed) is an overlay, to be validated by `overlaySchema` rather than `agentGraphSchema`. */
export function isOverlayDocument(value: unknown): boolean {
  return !!value && typeof value === 'object' && OVERLAY_KEY in value;
}

/**
 * An overlay (`source:`): the production policies of a graph whose topology is read from code. `entry` and
 * `nodes` are optional, and no transition may be declared: they come from the code.
 */
export const overlaySchema = agentGraphSchema.omit({ entry: true, nodes: true, on_error: true, defaults: true }).extend({
  source: sourceSchema.describe('The code the graph is read from: `{ file, graph? }`.'),
  entry: z.string().min(1).optional().describe('Ignored for an overlay beyond a check: the entry comes from the code.'),
  nodes: z.record(z.string(), overlayNodeSchema).optional().describe('Refinements of nodes that the code defines: input tokens, output caps, timeouts, approval; no transitions.'),
  defaults: defaultsSchema.omit({ on_error: true }).optional().describe('retry and timeout_s for every node that does not set its own.'),
});

export type AgentGraphDocument = z.infer<typeof agentGraphSchema>;
export type NodeDocument = z.infer<typeof nodeSchema>;
