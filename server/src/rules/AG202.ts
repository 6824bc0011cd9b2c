// AG202: is a loop bounded only by budget.steps? The step budget does stop the cycle, but by failing the
// whole run when it trips: the user gets an error instead of the escalation or best-effort answer that a
// max_visits with on_exhausted would have produced, and every step spent before it is wasted.
import type { Rule } from './rule.ts';
import { cycleOf, guardsElsewhere, inTrappedLoop } from './loopCycle.ts';
import { guardFix, stepsBound, stepsName, wording } from './fixWording.ts';

export const AG202: Rule = {
  code: 'AG202',
  severity: 'warning',
  title: 'Is a loop bounded only by budget.steps, so that it ends by failing the run?',
  check({ graph, q, report }) {
    const bound = stepsBound(graph);
    if (!bound) return;
    const { steps, declared } = bound;
    const reach = q.reachable();
    for (const loop of q.unguardedLoops()) {
      if (!reach.has(loop[0]) || inTrappedLoop(q, loop[0])) continue;
      const c = cycleOf(graph, q, loop);
      const stepsRange = graph.budget?.fields.get('steps');
      report({
        range: c.range,
        message: wording(
          graph,
          `loop ${c.text} is bounded only by budget.steps (${steps})${guardsElsewhere(graph, q, loop)}: when it trips, the whole run fails instead of degrading; add max_visits and on_exhausted to "${c.closer}" so that the run goes to a fallback`,
          (rt) =>
            `loop ${c.text} is bounded only by ${stepsName(graph, steps, declared)}${guardsElsewhere(graph, q, loop)}: when it trips, ${rt.framework} fails the whole run with GraphRecursionError instead of degrading; ` +
            `add a guard that exits gracefully to a fallback node or END, ${guardFix(graph, rt, loop, c.closer)}`,
        ),
        related: stepsRange ? [...c.related, { message: wording(graph, `budget.steps: ${steps}`, () => `recursion_limit: ${steps}`), range: stepsRange }] : c.related,
        data: { loop: [...loop], cycle: [...c.path], guardNode: c.closer, steps },
      });
    }
  },
};
