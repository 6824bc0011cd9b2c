// AG102: does every node that calls out retry transient failures? Timeouts, rate limits and 5xx errors are
// routine for model providers and APIs and usually pass within seconds; a node that does not retry turns each
// of them into a failed step (or a failed run). Saying `retry: none` records a deliberate choice, such as for a
// non-idempotent write, and silences this rule.
import { CALLING_KINDS } from '../core/ir.ts';
import type { Rule } from './rule.ts';
import { wording, api } from './fixWording.ts';

const VERB: Record<string, string> = { llm: 'calls a model', tool: 'calls an external tool', agent: 'runs an agent loop', subgraph: 'runs a subgraph' };

export const AG102: Rule = {
  code: 'AG102',
  severity: 'info',
  title: 'Does every node that calls out retry transient failures, or say retry: none?',
  check({ graph, q, report }) {
    for (const id of q.reachable()) {
      const node = graph.nodes.get(id)!;
      if (!node.kind || !CALLING_KINDS.has(node.kind)) continue;
      const r = node.retry;
      if (!r && node.fields.has('retry')) continue; // an invalid retry is AG001's
      if (!r) {
        report({
          range: node.range,
          message: `node "${id}" ${VERB[node.kind]} but does not retry: a single timeout or rate-limit error fails the step; ${wording(graph, 'add retry: { attempts: 3, backoff: exponential } (on the node or in defaults), or say retry: none if it must not be retried', (rt) => api(rt, 'add retry_policy=RetryPolicy(max_attempts=3) to its add_node (or to set_node_defaults)', 'add retryPolicy: { maxAttempts: 3 } to its addNode options (or to setNodeDefaults)'))}`,
          data: { node: id },
        });
      } else if (!r.none && r.attempts < 2) {
        const where = r.origin === 'node' ? '' : ' (inherited from defaults)';
        report({
          range: r.origin === 'node' ? r.range : node.range,
          message: wording(
            graph,
            `retry of node "${id}" has attempts: 1${where}, which never retries: a single timeout or rate-limit error fails the step; use attempts: 2 or more, or say retry: none if that is the intent`,
            (rt) => `the retry policy of node "${id}" allows one attempt${r.origin === 'node' ? '' : api(rt, ' (from set_node_defaults)', ' (from setNodeDefaults)')}, which never retries: a single timeout or rate-limit error fails the step; use ${api(rt, 'RetryPolicy(max_attempts=3)', 'retryPolicy: { maxAttempts: 3 }')}`,
          ),
          data: { node: id, origin: r.origin },
        });
      }
    }
  },
};
