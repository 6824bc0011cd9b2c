// AG301: does the graph lack a cost limit? Without budget.usd or budget.tokens nothing at the orchestration
// layer stops a run that loops, retries or generates far more than expected: the first sign of a runaway
// run is the provider's invoice. A budget turns that into one failed, bounded run.
import type { Rule } from './rule.ts';
import { formatUsd } from '../core/cost.ts';
import { needsOverlay, overlayFix } from './fixWording.ts';

export const AG301: Rule = {
  code: 'AG301',
  severity: 'warning',
  title: 'Does the graph lack both budget.usd and budget.tokens?',
  check({ graph, worstCase, report }) {
    const { budget } = graph;
    if (budget?.usd !== undefined || budget?.tokens !== undefined) return;
    const wc = worstCase();
    const hint = wc.unbounded.length === 0 && wc.usd > 0 ? ` (the worst-case run here costs ${formatUsd(wc.usd)})` : '';
    const name = graph.name ? `graph "${graph.name.value}"` : 'this graph';
    report({
      // In code, a budget can only be a recursion_limit: the finding goes on the graph, not on that limit.
      range: budget && !needsOverlay(graph) ? budget.range : graph.name?.range ?? graph.keys.get('agentgraph') ?? graph.root,
      message: needsOverlay(graph)
        ? `${name} has no cost limit: ${graph.runtime!.framework} has no budget of its own, so nothing stops a run that loops or retries from running up the bill${hint}; ${overlayFix(graph, 'budget: { usd: ..., tokens: ... }')}`
        : `${name} has no cost limit: without budget.usd or budget.tokens nothing stops a run that loops or retries from running up the bill; add budget.usd${hint} or budget.tokens`,
      data: { hasBudget: budget !== undefined, worstCaseUsd: wc.unbounded.length === 0 ? wc.usd : null, worstCaseTokens: wc.unbounded.length === 0 ? wc.tokens : null },
    });
  },
};
