// AG305: does a tool call lack a timeout? A tool that hangs (a stuck connection, a slow partner API) holds
// the run, its worker and often a user's session until the orchestrator's global limit, if there is one;
// retries never start, because nothing ever reports a failure. A timeout turns a hang into a retryable error.
import type { Rule } from './rule.ts';
import { needsOverlay, overlayFix } from './fixWording.ts';

export const AG305: Rule = {
  code: 'AG305',
  severity: 'warning',
  title: 'Does a tool lack a timeout?',
  check({ graph, report }) {
    for (const node of graph.nodes.values()) {
      // A tool node's call, or each tool of an agent's inner loop; the node's timeout (own or from defaults)
      // bounds every attempt of the node, and so each call inside it.
      const refs = node.kind === 'tool' ? (node.tool ? [node.tool] : []) : node.kind === 'agent' ? node.tools : [];
      if (node.timeoutS) continue;
      for (const ref of refs) {
        const tool = graph.tools.get(ref.value);
        if (!tool || tool.timeoutS !== undefined) continue; // an undeclared tool is AG002
        report({
          range: node.kind === 'tool' ? node.range : ref.range,
          message: `node "${node.id}" calls tool "${tool.name}" with no timeout: a call that hangs holds the run until something outside kills it, and its retries never start; ${
            needsOverlay(graph)
              ? `give the tool's own calls a timeout and ${overlayFix(graph, `tools: { ${tool.name}: { timeout_s: 10 } }`)}`
              : 'add timeout_s to the tool, the node or defaults'
          }`,
          data: { node: node.id, tool: tool.name },
        });
      }
    }
  },
};
