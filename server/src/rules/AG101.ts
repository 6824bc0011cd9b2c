// AG101: does every node that can fail have a recovery path? Model calls, tools, inner agents, subgraphs and
// handoffs fail in production (outages, rate limits, bad output); retries and fallback models make that rarer
// but not impossible. Without an on_error target (the node's own, from defaults, or the graph's) the first
// failure that outlasts the retries crashes the whole run and the user gets nothing.
import { canFail } from '../core/ir.ts';
import type { Rule } from './rule.ts';
import { wording, api } from './fixWording.ts';

const VERB: Record<string, string> = {
  llm: 'calls a model',
  tool: 'calls an external tool',
  agent: 'runs an agent loop',
  subgraph: 'runs a subgraph',
  handoff: 'hands the run off',
};

export const AG101: Rule = {
  code: 'AG101',
  severity: 'warning',
  title: 'Does every node that can fail have a recovery path (on_error)?',
  check({ graph, q, report }) {
    const targets = q.recoveryTargets();
    for (const id of q.reachable()) {
      const node = graph.nodes.get(id)!;
      // An on_error that names nothing is AG002's to report, not a missing recovery path.
      if (!canFail(node) || node.onError) continue;
      const retries = !!node.retry && !node.retry.none && node.retry.attempts > 1;
      // The graph's own on_error target needs a retry or an on_error of its own (FORMAT.md); a recovery target
      // with neither is reported by AG104, which says what that means for the nodes recovering to it.
      if (id === graph.onError?.value || (targets.has(id) && !retries)) continue;
      const fallbacks = node.fallbackModels.length > 0;
      const after = retries ? (fallbacks ? 'after its retries and fallback models fail' : 'after its retries fail') : fallbacks ? 'once its fallback models fail too' : 'on its first failure';
      report({
        range: node.range,
        message: `node "${id}" ${VERB[node.kind!]} but has no recovery path: ${after} the run crashes; ${wording(graph, 'add on_error (on the node, in defaults, or for the whole graph)', (rt) => api(rt, 'add error_handler= to its add_node (LangGraph >= 1.2)', 'add errorHandler to its addNode options') + ', or catch failures in the node function and route to a fallback')}`,
        data: { node: id, kind: node.kind },
      });
    }
  },
};
