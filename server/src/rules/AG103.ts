// AG103: is a non-idempotent write tool retried? A retry after a timeout cannot know whether the first call
// went through: the refund was issued, the email sent, the ticket filed, and only the answer was lost. Retrying
// a call that is not idempotent repeats the side effect, and customers get refunded twice.
import type { Rule } from './rule.ts';

export const AG103: Rule = {
  code: 'AG103',
  severity: 'warning',
  title: 'Is a non-idempotent write tool retried (duplicate side effects)?',
  check({ graph, q, report }) {
    for (const id of q.reachable()) {
      const node = graph.nodes.get(id)!;
      const r = node.retry;
      if (!r || r.none || r.attempts < 2) continue;
      const used = node.kind === 'tool' ? [node.tool] : node.kind === 'agent' ? node.tools : [];
      const unsafe = used.filter((t) => t && graph.tools.get(t.value)?.idempotent === false).map((t) => t!.value);
      if (unsafe.length === 0) continue;
      const tools = unsafe.map((t) => `"${t}"`).join(', ');
      const from = r.origin === 'node' ? '' : ', retry from defaults';
      const what = node.kind === 'agent' ? `retries an agent loop that may call ${tools} (up to ${r.attempts} attempts${from}), and ${tools} ${unsafe.length > 1 ? 'are' : 'is'}` : `retries tool ${tools} (up to ${r.attempts} attempts${from}), but the tool is`;
      report({
        range: r.origin === 'node' ? r.range : node.range,
        message: `node "${id}" ${what} not idempotent: a retry after a timeout repeats a side effect that may already have happened; set retry: none on the node and recover with on_error, or make the tool idempotent (an idempotency key) and mark it idempotent: true`,
        data: { node: id, tools: unsafe, retryOrigin: r.origin },
      });
    }
  },
};
