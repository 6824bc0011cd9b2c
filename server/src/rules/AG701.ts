// AG701: does the graph lack `success` criteria? A graph with no measurable target cannot be evaluated: nobody
// can say whether a prompt or model change made it better or worse, and regressions ship unnoticed.
import type { Rule } from './rule.ts';
import { needsOverlay, overlayFix } from './fixWording.ts';

export const AG701: Rule = {
  code: 'AG701',
  severity: 'info',
  title: 'Does the graph lack success criteria?',
  check({ graph, report }) {
    if (graph.success && graph.success.items.length > 0) return;
    // A `success` key without criteria (an empty list; AG001 also reports one of the wrong shape) is reported on
    // the key itself; a missing one on the graph's name.
    const key = graph.keys.get('success');
    const range = key ?? graph.name?.range ?? graph.keys.get('agentgraph') ?? graph.root;
    const what = key ? 'a success section with no criteria' : 'no success criteria';
    report({
      range,
      message: `graph${graph.name ? ` "${graph.name.value}"` : ''} has ${what}: nobody can tell whether a prompt or model change made it better or worse; ${
        needsOverlay(graph) ? overlayFix(graph, 'success: [{ metric, target, eval }]') : 'add success: [{ metric, target, eval }]'
      }`,
      data: { missing: 'success' },
    });
  },
};
