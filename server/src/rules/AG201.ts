// AG201: is there a loop that nothing bounds? A cycle with no max_visits on any of its nodes and no
// budget.steps runs for as long as the model keeps choosing the route back: a confused reviewer that always
// answers "revise" spins the run forever, holding a worker and billing every turn until someone kills it.
// A guarded loop can still hold an unguarded inner cycle; that cycle is reported on its own.
import type { Rule } from './rule.ts';
import { cycleOf, guardsElsewhere, inTrappedLoop } from './loopCycle.ts';
import { guardFix, recursionLimitConfig, stepsBound, wording } from './fixWording.ts';

export const AG201: Rule = {
  code: 'AG201',
  severity: 'error',
  title: 'Is there a loop with no max_visits on any of its nodes and no budget.steps?',
  check({ graph, q, report }) {
    // A step bound (budget.steps, a recursion_limit, LangGraph JS's default of 25) makes it AG202's.
    if (stepsBound(graph)) return;
    const reach = q.reachable();
    for (const loop of q.unguardedLoops()) {
      // Unreachable loops get AG003; loops with no way out get AG204, whose fix (a guarded exit) covers this.
      if (!reach.has(loop[0]) || inTrappedLoop(q, loop[0])) continue;
      const c = cycleOf(graph, q, loop);
      report({
        range: c.range,
        message: wording(
          graph,
          `loop ${c.text} has no bound: no node in it has max_visits${guardsElsewhere(graph, q, loop)} and there is no budget.steps, so a run that keeps taking this route never ends and is billed for every turn; add max_visits and on_exhausted to "${c.closer}"`,
          (rt) =>
            `loop ${c.text} has no bound: no guard in it exits the loop${guardsElsewhere(graph, q, loop)} and no recursion_limit is passed, and ${rt.framework}'s default recursion limit of ${rt.defaultSteps} is not a bound: ` +
            `a run that keeps taking this route goes on for about ten thousand billed steps before GraphRecursionError; add a guard ${guardFix(graph, rt, loop, c.closer)}, or pass \`${recursionLimitConfig(rt)}\` in the config`,
        ),
        related: c.related,
        data: { loop: [...loop], cycle: [...c.path], guardNode: c.closer },
      });
    }
  },
};
