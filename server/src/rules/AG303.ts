// AG303: does the worst-case run exceed the budget? The budget is enforced by the orchestration layer, so a
// run that may cost more than it is not cheaper: it is cut off midway, after it has been billed, and fails
// the user. Either the budget is too low for the graph, or the graph's bounds and retries are too loose.
import type { Rule } from './rule.ts';
import { formatPath, formatTokens, formatUsd, type WorstCase } from '../core/cost.ts';

export const AG303: Rule = {
  code: 'AG303',
  severity: 'warning',
  title: 'Does the worst-case run exceed budget.usd or budget.tokens?',
  check({ graph, worstCase, report }) {
    const budget = graph.budget;
    if (!budget || (budget.usd === undefined && budget.tokens === undefined)) return;
    const wc = worstCase();
    // With an unbounded loop or agent there is no worst case: AG201 and AG205 report that.
    if (wc.unbounded.length > 0) return;
    const lower = wc.unpriced.size > 0 || wc.uncapped.length > 0;
    const atLeast = lower ? 'at least ' : '';
    const why = `${wc.unpriced.size > 0 ? ', counting unpriced models as free' : ''}${wc.uncapped.length > 0 ? ', counting uncapped output as zero' : ''}`;
    if (budget.usd !== undefined && wc.usd > budget.usd) {
      const [usd, cap] = distinct(wc.usd, budget.usd);
      report({
        range: budget.fields.get('usd') ?? budget.range,
        message: `the worst-case run costs ${atLeast}${usd} (path ${formatPath(wc.path, wc.pathVisits)}${why}), over budget.usd ${cap}: such a run is cut off midway after it has been billed; raise budget.usd, or lower max_visits, retries or the model of "${costliest(wc, wc.path, 'usd')}"`,
        data: { worstCaseUsd: wc.usd, budgetUsd: budget.usd, path: [...wc.path], lowerBound: lower },
      });
    }
    if (budget.tokens !== undefined && wc.tokens > budget.tokens) {
      report({
        range: budget.fields.get('tokens') ?? budget.range,
        message: `the worst-case run uses ${wc.uncapped.length > 0 ? 'at least ' : ''}${formatTokens(wc.tokens)} tokens (path ${formatPath(wc.tokenPath, wc.tokenPathVisits)}${wc.uncapped.length > 0 ? ', counting uncapped output as zero' : ''}), over budget.tokens ${formatTokens(budget.tokens)}: such a run is cut off midway after it has been billed; raise budget.tokens, or lower max_visits, retries or the token limits of "${costliest(wc, wc.tokenPath, 'tokens')}"`,
        data: { worstCaseTokens: wc.tokens, budgetTokens: budget.tokens, path: [...wc.tokenPath], lowerBound: wc.uncapped.length > 0 },
      });
    }
  },
};

/** The node of a path that contributes most. */
function costliest(wc: WorstCase, path: readonly string[], by: 'usd' | 'tokens'): string {
  return path.reduce((a, b) => ((wc.perNode.get(b)?.[by] ?? 0) > (wc.perNode.get(a)?.[by] ?? 0) ? b : a), path[0]);
}

/** Both figures formatted so that they do not read the same ($0.40 over $0.40). */
function distinct(a: number, b: number): [string, string] {
  const fa = formatUsd(a);
  const fb = formatUsd(b);
  if (fa !== fb) return [fa, fb];
  const exact = (x: number) => `$${Number(x.toPrecision(8))}`;
  return [exact(a), exact(b)];
}
