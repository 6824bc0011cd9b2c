// AG204: is there a loop that no transition leaves? Once a run enters such a cycle it can never reach END:
// it either spins until a budget or the orchestrator's timeout kills it, or it waits forever, and no
// answer ever comes back. Failure (on_error) and exhaustion (on_exhausted) transitions are ways out too.
import type { Rule } from './rule.ts';
import { cycleOf } from './loopCycle.ts';

export const AG204: Rule = {
  code: 'AG204',
  severity: 'error',
  title: 'Is there a loop that no transition leaves?',
  check({ graph, q, report }) {
    const reach = q.reachable();
    for (const loop of q.loops()) {
      if (!reach.has(loop[0]) || q.exitsOf(loop).length > 0) continue;
      const c = cycleOf(graph, q, loop);
      report({
        range: graph.nodes.get(loop[0])!.range,
        message: `loop ${c.text} has no way out: no transition, failure or exhaustion leaves it, so a run that enters it never reaches END; add a route out of the loop, or max_visits with on_exhausted pointing outside it`,
        related: loop.map((id) => ({ message: `node "${id}" of the loop`, range: graph.nodes.get(id)!.range })),
        data: { loop: [...loop], cycle: [...c.path] },
      });
    }
  },
};
