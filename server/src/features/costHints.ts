// The cost figures shown in the editor: a lens per graph with the worst-case run against the budget, and an
// inlay hint per model-calling node with what it can cost per run. Plain data over the analysis.
import type { AgentGraph, Range } from '../core/ir.ts';
import { formatPath, formatTokens, formatUsd, type WorstCase } from '../core/cost.ts';

export interface CostLens {
  readonly offset: number;
  readonly title: string;
  readonly tooltip: string;
}

/** "Worst case per run: $0.25 · 52,200 tokens (budget $0.40)"; undefined when there is nothing to cost. */
export function costLens(graph: AgentGraph | undefined, wc: WorstCase | undefined): CostLens | undefined {
  if (!graph || !wc || !graph.entry || !graph.nodes.has(graph.entry.value)) return undefined;
  const path = formatPath(wc.path, wc.pathVisits);
  if (wc.unbounded.length > 0) {
    // The same nodes, in the same order, as the readiness report names; a long list is cut in the title only.
    const all = quoted(wc.unbounded);
    const where = wc.unbounded.length <= 5 ? all : `${quoted(wc.unbounded.slice(0, 4))} and ${wc.unbounded.length - 4} more`;
    return {
      offset: 0,
      title: `Worst case per run: unbounded (${where} can run without limit)`,
      tooltip: `Nothing bounds how often ${all} run${wc.unbounded.length > 1 ? '' : 's'}: add max_visits (loops), max_iterations (agents) or budget.steps. The bounded part costs at least ${formatUsd(wc.usd)}.`,
    };
  }
  const budget = graph.budget;
  const parts: string[] = [];
  if (budget?.usd !== undefined) parts.push(`${wc.usd > budget.usd ? 'over ' : ''}budget ${formatUsd(budget.usd)}`);
  else if (budget?.tokens !== undefined) parts.push(`${wc.tokens > budget.tokens ? 'over ' : ''}budget ${formatTokens(budget.tokens)} tokens`);
  else parts.push('no budget');
  const lowerBound = wc.unpriced.size > 0 || wc.uncapped.length > 0 || wc.noInputEstimate.length > 0;
  const notes: string[] = [];
  if (wc.unpriced.size > 0) notes.push(`models without a price count as free: ${[...wc.unpriced.keys()].join(', ')}`);
  if (wc.uncapped.length > 0) notes.push(`nodes without max_output_tokens count no output: ${wc.uncapped.slice(0, 5).join(', ')}`);
  if (wc.noInputEstimate.length > 0) notes.push(`input not estimated (output tokens only) for: ${wc.noInputEstimate.slice(0, 5).join(', ')}; declare input_tokens${graph?.runtime ? ' in an overlay' : ''}`);
  const tokenLimit = budget?.usd !== undefined && budget.tokens !== undefined ? ` · ${formatTokens(budget.tokens)} token budget` : '';
  return {
    offset: 0,
    title: `Worst case per run: ${lowerBound ? 'at least ' : ''}${formatUsd(wc.usd)} · ${formatTokens(wc.tokens)} tokens (${parts.join(', ')})`,
    tooltip: [`Most expensive path: ${path}${tokenLimit}`, ...notes].join('\n'),
  };
}

export interface CostHint {
  /** Where the hint goes: the end of the line of the node's id. */
  readonly offset: number;
  readonly label: string;
  readonly tooltip: string;
}

/** One hint per llm and agent node whose id lies in `range`: its worst-case cost per run. */
export function costInlayHints(graph: AgentGraph | undefined, wc: WorstCase | undefined, text: string, range: Range = { start: 0, end: text.length }): CostHint[] {
  if (!graph || !wc) return [];
  const out: CostHint[] = [];
  for (const node of graph.nodes.values()) {
    if (node.kind !== 'llm' && node.kind !== 'agent') continue;
    if (node.range.start < range.start || node.range.start > range.end) continue;
    const c = wc.perNode.get(node.id);
    if (!c) continue;
    let end = text.indexOf('\n', node.range.end);
    if (end < 0) end = text.length;
    while (end > node.range.end && /\s/.test(text[end - 1])) end--;
    const per = formatUsd(c.perVisit.usd);
    // An agent without max_iterations costs without bound on every visit, however few its visits are.
    const endless = node.kind === 'agent' && node.maxIterations === undefined;
    let label: string;
    if (endless) label = `${per}/iteration, unbounded (no max_iterations)`;
    else if (!Number.isFinite(c.visits)) label = `${per}/visit, unbounded visits`;
    else if (c.visits > 1) label = `≤ ${formatUsd(c.usd)}/run (${c.visits} × ${per})`;
    else label = `≤ ${per}/run`;
    const caveat = node.maxOutputTokens === undefined ? ' Output is uncapped (no max_output_tokens) and counted as zero.' : '';
    out.push({
      offset: end,
      label,
      tooltip: endless
        ? `Worst case of "${node.id}": unbounded. Each iteration of its inner loop costs ${formatUsd(c.perVisit.usd)} and ${formatTokens(c.perVisit.tokens)} tokens (every retry attempt and fallback model included), and nothing limits the iterations: add max_iterations.${caveat}`
        : `Worst case of "${node.id}": ${formatUsd(c.perVisit.usd)} and ${formatTokens(c.perVisit.tokens)} tokens per visit (every retry attempt and fallback model included), ${Number.isFinite(c.visits) ? `${c.visits} visit${c.visits === 1 ? '' : 's'} per run at most` : 'no bound on visits'}.${caveat}`,
    });
  }
  return out;
}

/** `"a", "b" and "c"`. */
function quoted(ids: readonly string[]): string {
  const q = ids.map((id) => `"${id}"`);
  return q.length <= 1 ? q.join('') : `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
}
