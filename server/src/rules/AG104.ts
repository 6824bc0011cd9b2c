// AG104: is recovery itself safe? A recovery target runs exactly when something has already gone wrong, often
// during the same outage; if it can fail with no retry and no on_error behind it, the failure it was meant to
// absorb crashes the run after all. And an on_error that leads back into the failing node's own loop retries
// forever when the failure persists (an expired key, a provider outage) unless max_visits bounds that cycle.
import { canFail } from '../core/ir.ts';
import type { Rule } from './rule.ts';
import { guardExample, wording, api } from './fixWording.ts';

export const AG104: Rule = {
  code: 'AG104',
  severity: 'warning',
  title: 'Can a recovery target itself fail with nothing behind it, or lead back into the failing node without a bound?',
  check({ graph, q, report }) {
    const reach = q.reachable();
    const targets = q.recoveryTargets();
    for (const id of reach) {
      const node = graph.nodes.get(id)!;
      const incoming = targets.get(id) ?? [];
      const isTarget = incoming.length > 0 || id === graph.onError?.value;
      const retries = !!node.retry && !node.retry.none && node.retry.attempts > 1;
      if (isTarget && canFail(node) && !node.onError && !retries) {
        const froms = [...new Set(incoming.map((t) => t.from))];
        const role = id === graph.onError?.value ? `the graph's on_error target` : `the recovery target of ${froms.map((f) => `"${f}"`).join(', ')}`;
        report({
          range: node.range,
          message: `node "${id}" is ${role} but can fail itself with nothing behind it (${node.retry?.none ? 'retry: none' : 'no retry'}, ${wording(graph, 'no on_error', (rt) => api(rt, 'no error_handler', 'no errorHandler'))}): a failure during recovery crashes the run; ${wording(graph, 'give it retry attempts or an on_error of its own', (rt) => api(rt, 'give its add_node a retry_policy= or an error_handler= of its own', 'give its addNode a retryPolicy or an errorHandler of its own'))}`,
          related: incoming.slice(0, 5).map((t) => ({ message: `"${t.from}" recovers to "${id}"`, range: t.range })),
          data: { node: id, recoveringNodes: froms },
        });
      }
      // An error transition inside one strongly connected set leads back to the failing node.
      for (const t of node.out) {
        if (t.kind !== 'error') continue;
        const loop = q.loopOf(id);
        if (!loop || !loop.includes(t.to) || loop.some((n) => graph.nodes.get(n)!.maxVisits)) continue;
        const via = t.origin === 'node' ? 'its on_error' : `its on_error (inherited from ${t.origin === 'defaults' ? 'defaults' : 'the graph'})`;
        const back = t.to === id ? 'back to itself' : `to "${t.to}", which leads back to "${id}"`;
        const cycle = q.cyclePath(loop);
        report({
          range: t.origin === 'node' ? t.range : node.range,
          message: `when node "${id}" fails, ${via} goes ${back}, and no ${wording(graph, 'max_visits', () => 'loop guard')} bounds that cycle: a failure that persists (an outage, an expired key) loops until the run is killed; ${wording(graph, 'add max_visits with on_exhausted to a node of the cycle, or recover to a node outside it', (rt) => `add a guard that exits the cycle (${guardExample(rt)}), or have the error handler route outside it`)}`,
          related: cycle.map((n) => ({ message: `node "${n}" of the cycle`, range: graph.nodes.get(n)!.range })),
          data: { node: id, recoveryTarget: t.to, loop: [...loop] },
        });
      }
    }
  },
};
