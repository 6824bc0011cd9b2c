// AG003: is every node reachable from `entry`? A node nothing leads to is dead code in the graph: it is
// never run, and whatever it was meant to do (a check, a recovery) silently never happens.
import type { Rule } from './rule.ts';

export const AG003: Rule = {
  code: 'AG003',
  severity: 'warning',
  title: 'Is every node reachable from entry?',
  check({ graph, q, report }) {
    if (!q.entry) return;
    const reach = q.reachable();
    for (const node of graph.nodes.values()) {
      if (reach.has(node.id)) continue;
      report({
        range: node.range,
        message: `node "${node.id}" is unreachable from entry "${q.entry.id}": it never runs in production; route to it from another node or delete it`,
      });
    }
  },
};
