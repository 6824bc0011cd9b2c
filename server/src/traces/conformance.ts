// Conformance: what the traces show that the graph does not declare, as findings in the graph file (AG8xx).
// These rules read traces as well as the graph, so they are not `Rule`s of the catalog (rules/index.ts runs
// over a graph alone); they have their codes, severities, doc pages (docs/rules/AG80x.md) and settings all the
// same, and their findings go out with the lint findings of the graph file. They clear with the traces.
import type { AgDiagnostic, Severity } from '../core/diagnostic.ts';
import { effectiveSeverity, type RuleSeverities } from '../core/config.ts';
import type { AgentGraph, Range } from '../core/ir.ts';
import type { LineIndex } from '../core/lineIndex.ts';
import { END, START, type GraphContext } from './graphContext.ts';
import type { BudgetKey, GraphAggregate } from './aggregate.ts';
import { suppressionFor } from '../core/suppressed.ts';

export interface TraceRule {
  readonly code: string;
  readonly severity: Severity;
  readonly title: string;
}

/** The trace rules, in catalog order. Adding one: its code here, its check below, its doc page. */
export const TRACE_RULES: readonly TraceRule[] = [
  { code: 'AG801', severity: 'warning', title: 'Did runs take a transition that the graph does not declare (or start or end where it does not say)?' },
  { code: 'AG802', severity: 'warning', title: 'Did a loop run past its declared bound (`max_visits`, an agent\'s `max_iterations`)?' },
  { code: 'AG803', severity: 'warning', title: 'Did a run cost more than the budget (`usd`, `tokens`, `steps`, `tool_calls`, `wall_s`)?' },
  { code: 'AG804', severity: 'info', title: 'Does a node that runs should reach never appear in the traces of many runs?' },
  { code: 'AG805', severity: 'warning', title: 'Do the traced runs match the graph, or do most of their spans name no node of it?' },
];

export interface ConformanceOptions {
  /** AG804 speaks once this many finished runs are loaded (default 10). */
  readonly minRunsForUnseen?: number;
}

const BUDGET_FIELD: Record<BudgetKey, string> = { usd: 'usd', tokens: 'tokens', steps: 'steps', toolCalls: 'tool_calls', wallS: 'wall_s' };

const times = (n: number) => (n === 1 ? 'once' : `${n} times`);
const runs = (n: number) => (n === 1 ? '1 traced run' : `${n} traced runs`);
const quote = (s: string) => `"${s}"`;

function formatBudget(key: BudgetKey, v: number): string {
  switch (key) {
    case 'usd':
      return `$${v < 0.01 ? v.toPrecision(2) : v.toFixed(2)}`;
    case 'wallS':
      return `${Math.round(v * 10) / 10} s`;
    case 'toolCalls':
      return `${v} tool calls`;
    case 'steps':
      return `${v} steps`;
    default:
      return `${v} tokens`;
  }
}

/** The findings, with the rules' default severities (apply settings with `applySettings`). */
export function checkConformance(graph: AgentGraph, ctx: GraphContext, agg: GraphAggregate, options: ConformanceOptions = {}): AgDiagnostic[] {
  const out: AgDiagnostic[] = [];
  const report = (code: string, range: Range, message: string, data?: Record<string, unknown>) => {
    const rule = TRACE_RULES.find((r) => r.code === code)!;
    out.push({ code, severity: rule.severity, range, message, ...(data ? { data } : {}) });
  };
  const fig = agg.figures;
  const nodeRange = (id: string) => graph.nodes.get(id)?.range;

  // AG801: transitions taken that no edge allows.
  for (const e of fig.edges) {
    if (e.declared) continue;
    const fromKnown = e.from === START || graph.nodes.has(e.from);
    const toKnown = e.to === END || graph.nodes.has(e.to);
    if (!fromKnown || !toKnown) continue;
    const data = { from: e.from, to: e.to, count: e.count };
    if (e.from === START) {
      const range = graph.entry?.range ?? graph.keys.get('entry') ?? graph.root;
      report('AG801', range, `runs started at ${quote(e.to)} ${times(e.count)}, but the graph's entry is ${graph.entry ? quote(graph.entry.value) : 'not set'}: the analysis follows runs that never happen and misses the real ones; set entry to the node the code starts at`, data);
    } else if (e.to === END) {
      report('AG801', nodeRange(e.from) ?? graph.root, `runs ended after ${quote(e.from)} ${times(e.count)}, but the graph gives ${quote(e.from)} no transition to END: the graph says the run goes on, the code stops; add END to its next or routes, or fix the code that ends the run there`, data);
    } else {
      const how = e.failures === e.count ? ` after ${quote(e.from)} failed` : e.failures > 0 ? ` (${e.failures} after it failed)` : '';
      const fix = e.failures === e.count ? `declare it as the node's on_error, or fix the recovery in the code` : `add ${quote(e.to)} to the next or routes of ${quote(e.from)}, or fix the routing in the code`;
      report('AG801', nodeRange(e.from) ?? graph.root, `runs went from ${quote(e.from)} to ${quote(e.to)}${how} ${times(e.count)}, but the graph declares no such transition: recovery, loop and cost analysis miss this path; ${fix}`, data);
    }
  }

  // AG802: loops past their bound.
  for (const n of graph.nodes.values()) {
    const f = fig.nodes[n.id];
    if (!f) continue;
    if (n.maxVisits && f.maxVisitsPerRun > n.maxVisits.value && n.guard && !n.fields.has('max_visits')) {
      // The bound is a guard in the code (LangGraph), not a max_visits the user wrote: say so, and what breaks it.
      report('AG802', n.maxVisits.range, `a run visited ${quote(n.id)} ${f.maxVisitsPerRun} times, past the ${n.maxVisits.value} visits its guard in code allows (\`${n.guard.text}\`): the guard does not hold in real runs (the counter it tests is not advanced on every visit, or a run starts with a stale value), so the loop runs until the recursion limit trips; advance the counter in the node it bounds and reset it when a run starts, or set a recursion_limit`, { node: n.id, observed: f.maxVisitsPerRun, bound: n.maxVisits.value });
    } else if (n.maxVisits && f.maxVisitsPerRun > n.maxVisits.value) {
      report('AG802', n.fields.get('max_visits') ?? n.maxVisits.range, `a run visited ${quote(n.id)} ${f.maxVisitsPerRun} times, past its max_visits of ${n.maxVisits.value}: the loop guard is not enforced where the run happens, so the loop runs until the step budget trips or forever; enforce it in the orchestration (a visit counter in state, LangGraph's recursion_limit) or raise the bound`, { node: n.id, observed: f.maxVisitsPerRun, bound: n.maxVisits.value });
    }
    if (n.kind === 'agent' && n.maxIterations !== undefined && (f.maxIterations ?? 0) > n.maxIterations) {
      report('AG802', n.fields.get('max_iterations') ?? n.range, `one visit of agent ${quote(n.id)} made ${f.maxIterations} model calls, past its max_iterations of ${n.maxIterations}: the inner loop is not bounded in the code; pass the bound to the agent loop (e.g. max_iterations, recursion_limit)`, { node: n.id, observed: f.maxIterations, bound: n.maxIterations });
    }
  }

  // AG803: runs over budget.
  if (graph.budget) {
    for (const key of ['usd', 'tokens', 'steps', 'toolCalls', 'wallS'] as const) {
      const o = agg.overruns.get(key);
      const limit = ctx.budget?.[key];
      if (!o || limit === undefined) continue;
      const field = BUDGET_FIELD[key];
      const range = graph.budget.fields.get(field) ?? graph.budget.range;
      report('AG803', range, `${runs(o.runs)} went over budget.${field} of ${formatBudget(key, limit)} (the worst: ${formatBudget(key, key === 'usd' ? o.worst : Math.round(o.worst * 10) / 10)}, run ${o.worstRun.slice(0, 16)}): the budget is not enforced where the run happens; stop or degrade the run in the orchestration layer when it trips, or revisit the budget`, { budget: field, runs: o.runs, worst: o.worst, limit });
    }
  }

  // AG805: runs most of whose spans map to no node. Nothing above spoke from them (aggregate.ts leaves them
  // out): what they did says nothing true about this graph's transitions, loops or budget.
  const mismatched = fig.mismatchedRuns ?? 0;
  if (mismatched > 0) {
    const names = [...fig.unknownNames, ...fig.unmapped.names].filter((x, i, all) => all.findIndex((y) => y.name === x.name) === i).slice(0, 5).map((x) => quote(x.name));
    const range = graph.tracing?.range ?? graph.name?.range ?? graph.root;
    report('AG805', range, `${mismatched === 1 ? '1 traced run does' : `${mismatched} traced runs do`} not match the graph: most of their spans name no node of it${names.length ? ` (they name ${names.join(', ')})` : ''}, so no conformance finding is drawn from them; rename the graph's nodes to the code's (or the code's to the graph's), name the spans with the attribute agentgraph.node, or point the traces at the graph they ran`, { runs: mismatched, names: names.map((n) => n.slice(1, -1)) });
  }

  // AG804: nodes that never appear although runs should reach them.
  const min = options.minRunsForUnseen ?? 10;
  if (agg.finishedRuns >= min) {
    const hint = fig.unmapped.count > 0 || fig.unknownNames.length > 0
      ? ` (spans that match no node: ${[...fig.unknownNames, ...fig.unmapped.names].slice(0, 3).map((x) => quote(x.name)).join(', ')})`
      : '';
    for (const n of graph.nodes.values()) {
      if (!ctx.expected.has(n.id) || (fig.nodes[n.id]?.visits ?? 0) > 0) continue;
      report('AG804', n.range, `node ${quote(n.id)} did not run in any of the ${agg.finishedRuns} traced runs: the code may never route there, or its spans carry another name${hint}; check the routing, or name its spans with the attribute agentgraph.node: ${n.id}`, { node: n.id, runs: agg.finishedRuns });
    }
  }
  return out;
}

/** Applies the severity settings (project file, then editor) and the file's `agentgraph-disable` comments. */
export function applySettings(ds: readonly AgDiagnostic[], graph: AgentGraph, lines: LineIndex, layers: readonly (RuleSeverities | undefined)[]): AgDiagnostic[] {
  const out: AgDiagnostic[] = [];
  for (const d of ds) {
    const severity = effectiveSeverity(d.code, d.severity, ...layers);
    if (severity === 'off') continue;
    const line = lines.position(d.range.start).line;
    const s = suppressionFor(graph, line, d.code);
    out.push({ ...d, severity, ...(s ? { suppressed: { reason: s.reason ?? '' } } : {}) });
  }
  return out;
}
