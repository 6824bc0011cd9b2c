// AG004: can every reachable node still reach END? A node with no next or routes is a dead end: a run that
// reaches it stops there without finishing, so the caller waits for an answer that never comes and the work
// done so far is lost. Failure and exhaustion transitions do not count as a way on: they only run when the
// node fails, so a node that succeeds still has nowhere to go. Only the root cause is reported: nodes that
// merely lead into a dead end are fixed with it, and a closed loop no transition leaves is AG204.
import type { Rule } from './rule.ts';

// A Command's target is a way on, and so is a branch whose targets are unknown (AG005), whatever the source.
const NORMAL = new Set(['next', 'fanout', 'route', 'command']);

export const AG004: Rule = {
  code: 'AG004',
  severity: 'error',
  title: 'Can every reachable node still reach END?',
  check({ graph, q, report }) {
    // LangGraph (Python and JS, since 2024) ends a run when no node is left to run: a node of code with no edge
    // out finishes the run as `add_edge(node, END)` would, so in code there is no dead end to report.
    if (graph.runtime) return;
    for (const id of q.reachable()) {
      const node = graph.nodes.get(id)!;
      // A dangling target counts as a way on: AG002 reports it, and the author meant to go somewhere.
      if (node.dynamic || node.out.some((t) => NORMAL.has(t.kind))) continue;
      const loop = q.loopOf(id);
      if (loop && q.exitsOf(loop).length === 0) continue;
      const notWays = node.out.map((t) => (t.kind === 'error' ? `on_error "${t.to}" only applies when it fails` : `on_exhausted "${t.to}" only applies when its guard trips`));
      const only = notWays.length > 0 ? ` (${notWays.join(', ')})` : '';
      report({
        range: node.range,
        message: `node "${id}" is a dead end: it has no next or routes${only}, so a run that reaches it stops without reaching END and never completes; add next: END or a transition to the node that should follow`,
        related: q.pred(id).slice(0, 5).map((t) => ({ message: `the run reaches "${id}" from "${t.from}"`, range: t.range })),
        data: { node: id },
      });
    }
  },
};
