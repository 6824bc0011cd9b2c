// AG401: does a node with a write tool run without `approval: human` or a policy that covers it? A write tool
// changes the world (issues a refund, sends an email, deletes a record). When the model decides alone, one
// hallucinated argument or prompt injection becomes a real side effect that nobody reviewed and nobody can undo.
import type { GraphNode, Ref } from '../core/ir.ts';
import type { Rule } from './rule.ts';

export const AG401: Rule = {
  code: 'AG401',
  severity: 'warning',
  title: 'Does a node with a write tool run without approval: human or a policy that covers it?',
  check({ graph, report }) {
    // A policy covers a tool when it names it and requires a person's approval.
    const covered = new Set(
      graph.policies.filter((p) => p.require === 'approval' || p.require === 'human').flatMap((p) => p.tools),
    );
    const usedTools = (n: GraphNode): readonly Ref[] =>
      n.kind === 'tool' ? (n.tool ? [n.tool] : []) : n.kind === 'agent' ? n.tools : [];
    for (const node of graph.nodes.values()) {
      if (node.approval) continue;
      for (const tool of usedTools(node)) {
        // Unknown tools are AG002's; a tool without a known effect is not assumed to write.
        if (graph.tools.get(tool.value)?.effect !== 'write' || covered.has(tool.value)) continue;
        const how = node.kind === 'agent' ? `lets its inner loop call write tool "${tool.value}"` : `calls write tool "${tool.value}"`;
        report({
          range: tool.range,
          message:
            `node "${node.id}" ${how} with no human approval: a wrong or injected argument becomes an unreviewed side effect in production; ` +
            `add approval: human to the node or a policy { tools: [${tool.value}], require: approval }`,
          data: { node: node.id, tool: tool.value },
        });
      }
    }
  },
};
