// AG205: does an agent node lack max_iterations? An agent node runs its own think-act loop inside one node:
// without a bound, a model that never decides it is done keeps calling tools and the model, and one visit
// of the node can cost more than the rest of the run together. max_iterations is that loop's guard.
import type { Rule } from './rule.ts';
import { recursionLimitConfig, wording, api } from './fixWording.ts';

export const AG205: Rule = {
  code: 'AG205',
  severity: 'error',
  title: 'Does an agent node lack max_iterations?',
  check({ graph, report }) {
    for (const node of graph.nodes.values()) {
      if (node.kind !== 'agent' || node.maxIterations !== undefined) continue;
      report({
        range: node.range,
        message: wording(
          graph,
          `agent node "${node.id}" has no max_iterations: its inner loop can call the model and its tools without end, with no cost ceiling; add max_iterations (such as 10)`,
          (rt) =>
            `agent node "${node.id}" (${api(rt, 'create_react_agent / create_agent', 'createReactAgent / createAgent')}) loops until the recursion limit, and ${rt.framework}'s default of ${rt.defaultSteps} lets it call the model and its tools ` +
            `${rt.defaultStepsBound ? `${rt.defaultSteps} times and then fail the run` : 'thousands of times in one run, with no cost ceiling'}; pass \`${recursionLimitConfig(rt)}\` in the config, or use ${api(rt, "create_agent's ModelCallLimitMiddleware(run_limit=N)", "createAgent's modelCallLimitMiddleware({ runLimit: N })")}`,
        ),
        // For a quick fix: insert `max_iterations: <suggested>` after the node's `kind` key.
        data: { node: node.id, field: 'max_iterations', suggested: 10, after: node.fields.get('kind') ?? null },
      });
    }
  },
};
