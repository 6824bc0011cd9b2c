// Generates the JSON Schema contributed to VS Code (yamlValidation/jsonValidation) from the zod schema.
import { z } from 'zod';
import { OVERLAY_KEY, agentGraphSchema, overlaySchema } from './schema.ts';

const OPTIONS = { target: 'draft-7', unrepresentable: 'any', io: 'input' } as const;

/** The graph form alone (`entry` and `nodes` required): the keys that completion and hover document. */
export function graphJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(agentGraphSchema, OPTIONS) as Record<string, unknown>;
}

/** The overlay form alone (`source:`, `overlaySchema`): the keys that completion and hover document in an overlay. */
export function overlayJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(overlaySchema, OPTIONS) as Record<string, unknown>;
}

/**
 * The JSON Schema of an agent graph file: both forms the format has, told apart as the YAML frontend tells them
 * (a document with `source` is an overlay on a graph read from code, validated by `overlaySchema`; any other is
 * a graph, `agentGraphSchema`). Both are generated from zod in one pass, then put under if/then/else rather than
 * the anyOf zod writes for a union, so that a validator reports the errors of the form the file is in, never a
 * mix of both.
 */
export function agentGraphJsonSchema(): Record<string, unknown> {
  const { anyOf, ...rest } = z.toJSONSchema(z.union([agentGraphSchema, overlaySchema]), OPTIONS) as Record<string, unknown> & { anyOf: unknown[] };
  const [graph, overlay] = anyOf;
  return {
    ...rest,
    $id: 'https://github.com/agentgraph/agentgraph/schema/agentgraph.schema.json',
    title: 'AgentGraph agent graph file (format version 1)',
    description: `An agent graph (\`entry\` and \`nodes\`), or with \`${OVERLAY_KEY}:\` an overlay: the production policies of a LangGraph graph read from code.`,
    if: { type: 'object', required: [OVERLAY_KEY] },
    then: overlay,
    else: graph,
  };
}
