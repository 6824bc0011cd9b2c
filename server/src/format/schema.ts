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
    type: stateType,
    enum: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
    input: z.boolean().optional().describe('Provided by the caller: written before `entry`.'),
    data: z.array(z.string()).optional().describe('Data classes of the value, such as `pii`.'),
    description: z.string().optional(),
  }),
]);

export const modelSchema = z.strictObject({
  provider: z.string().optional(),
  model: z.string().optional(),
  input_usd_per_mtok: nonNegative.optional().describe('USD per million input tokens.'),
  output_usd_per_mtok: nonNegative.optional().describe('USD per million output tokens.'),
  allows: z.array(z.string()).optional().describe('Data classes this model may receive.'),
});

export const toolSchema = z.strictObject({
  effect: z.enum(['none', 'read', 'write']).optional(),
  timeout_s: z.number().positive().optional(),
  rate_limit: z.string().regex(RATE, 'must look like 20/s, 100/min or 1000/h').optional(),
  usd_per_call: nonNegative.optional(),
  idempotent: z.boolean().optional().describe('Default: true for `read`, false for `write`.'),
  description: z.string().optional(),
});

export const retrySchema = z.union([
  z.literal('none'),
  z.strictObject({
    attempts: positiveInt.describe('Attempts in all, the first included.'),
    backoff: z.enum(['none', 'fixed', 'exponential']).optional(),
    initial_s: nonNegative.optional(),
    max_s: nonNegative.optional(),
    on: z.array(z.string()).optional().describe('Failure classes that are retried, such as timeout, rate_limit, server_error.'),
  }),
]);

export const budgetSchema = z.strictObject({
  usd: nonNegative.optional(),
  tokens: positiveInt.optional(),
  steps: positiveInt.optional(),
  tool_calls: z.number().int().nonnegative().optional(),
  wall_s: z.number().positive().optional(),
});

export const defaultsSchema = z.strictObject({
  retry: retrySchema.optional(),
  timeout_s: z.number().positive().optional(),
  on_error: target.optional(),
});

// Keys every node may have.
const nodeCommon = {
  description: z.string().optional(),
  next: z.union([target, z.array(target).min(1)]).optional().describe('One target, or a list for parallel fan-out.'),
  routes: z.record(z.string(), target).optional().describe('Conditional transitions: route label to target.'),
  reads: z.array(stateRead).optional(),
  writes: z.array(z.string().min(1)).optional(),
  retry: retrySchema.optional(),
  timeout_s: z.number().positive().optional(),
  on_error: target.optional(),
  max_visits: positiveInt.optional().describe('Loop guard: the node runs at most this many times per run.'),
  on_exhausted: target.optional().describe('Where the run goes when max_visits is reached.'),
  approval: z.literal('human').optional(),
};

const modelCall = {
  model: z.string().min(1),
  fallback_models: z.array(z.string().min(1)).optional(),
  input_tokens: z.number().int().nonnegative().optional(),
  max_output_tokens: positiveInt.optional().describe('The hard output cap sent to the provider.'),
};

export const nodeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('llm'), ...nodeCommon, ...modelCall }),
  z.strictObject({ kind: z.literal('tool'), ...nodeCommon, tool: z.string().min(1) }),
  z.strictObject({ kind: z.literal('router'), ...nodeCommon }),
  z.strictObject({ kind: z.literal('function'), ...nodeCommon }),
  z.strictObject({
    kind: z.literal('agent'),
    ...nodeCommon,
    ...modelCall,
    tools: z.array(z.string().min(1)).optional(),
    max_iterations: positiveInt.optional().describe('Bound of the inner agent loop.'),
  }),
  z.strictObject({ kind: z.literal('subgraph'), ...nodeCommon, graph: z.string().min(1), passes: z.array(z.string().min(1)).optional() }),
  z.strictObject({ kind: z.literal('human'), ...nodeCommon }),
  z.strictObject({ kind: z.literal('handoff'), ...nodeCommon, to: z.string().min(1), passes: z.array(z.string().min(1)).optional() }),
]);

export const successSchema = z.strictObject({
  metric: z.string().min(1),
  target: z.union([z.string(), z.number()]),
  eval: z.string().optional(),
});

export const tracingSchema = z.strictObject({
  exporter: z.enum(['otlp', 'jsonl']),
  node_attribute: z.string().min(1).optional(),
});

export const policySchema = z.strictObject({
  id: z.string().min(1),
  tools: z.array(z.string()).optional(),
  data: z.array(z.string()).optional(),
  require: z.enum(['approval', 'human', 'model_allows']),
});

export const agentGraphSchema = z.strictObject({
    agentgraph: z.literal(1).describe('Format version.'),
    name: z.string().regex(ID, 'must match [a-z0-9][a-z0-9_-]*'),
    description: z.string().optional(),
    state: z.record(z.string(), stateKeySchema).optional(),
    models: z.record(z.string(), modelSchema).optional(),
    tools: z.record(z.string(), toolSchema).optional(),
    budget: budgetSchema.optional(),
    defaults: defaultsSchema.optional(),
    entry: z.string().min(1),
    on_error: target.optional(),
    nodes: z.record(z.string().refine((id) => id !== 'END', 'END is reserved for the end of a run and cannot be a node id'), nodeSchema),
    success: z.array(successSchema).optional(),
    tracing: tracingSchema.optional(),
    policies: z.array(policySchema).optional(),
  });

export type AgentGraphDocument = z.infer<typeof agentGraphSchema>;
export type NodeDocument = z.infer<typeof nodeSchema>;
