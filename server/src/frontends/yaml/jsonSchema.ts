// Generates the JSON Schema contributed to VS Code (yamlValidation/jsonValidation) from the zod schema.
import { z } from 'zod';
import { agentGraphSchema } from './schema.ts';

export function agentGraphJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(agentGraphSchema, { target: 'draft-7', unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://github.com/agentgraph/agentgraph/schema/agentgraph.schema.json',
    title: 'AgentGraph agent graph file (format version 1)',
  };
}
