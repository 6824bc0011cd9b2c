// AG203: does a loop guard lack on_exhausted? max_visits alone stops the loop by failing the run: the
// customer whose draft needed a fourth revision gets an error page instead of being handed to a person.
// on_exhausted names where the run goes instead (an escalation, a best-effort answer).
import type { Rule } from './rule.ts';
import { wording } from './fixWording.ts';

export const AG203: Rule = {
  code: 'AG203',
  severity: 'warning',
  title: 'Does a loop guard (max_visits) lack on_exhausted?',
  check({ graph, q, report }) {
    for (const node of graph.nodes.values()) {
      // Outside a loop a node runs once per path, so its guard can never trip.
      if (!node.maxVisits || node.onExhausted || !q.loopOf(node.id)) continue;
      report({
        range: node.fields.get('max_visits') ?? node.range,
        message: wording(
          graph,
          `node "${node.id}" has max_visits: ${node.maxVisits.value} but no on_exhausted: when the guard trips the run fails instead of degrading; add on_exhausted with a fallback node (an escalation or a best-effort answer)`,
          () => `the loop guard of node "${node.id}" does not send the run anywhere: when it trips the run fails instead of degrading; make the guard's branch exit the loop to a fallback node (an escalation or a best-effort answer) or END`,
        ),
        data: { node: node.id, maxVisits: node.maxVisits.value },
      });
    }
  },
};
