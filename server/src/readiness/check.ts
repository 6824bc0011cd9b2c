// The production readiness check (RULES.md, "The readiness check"): for one graph, five checkpoints, each passed
// or failed with its evidence (the rules and nodes behind it, with their places), and what to do first. Where
// traces of real runs were measured, their figures join the evidence. Pure: it reads an Analysis and plain
// measurement objects, and knows nothing of LSP, the CLI or files, so the editor, the CLI and CI agree.
//
// Decisions the catalog leaves open (docs/readiness.md explains them to users):
// - The check runs the rules it names itself, at their default meaning: a rule turned off in the settings or in
//   agentgraph.config.json still counts here, so an editor setting cannot make a graph "ready" for CI.
// - A finding silenced by an `agentgraph-disable` comment with a reason (`-- reason`) is an accepted risk: it
//   does not fail its checkpoint and is listed as "accepted". Without a reason it still fails.
// - "Recover without a person" (checkpoint 5): what happens once a node's retries are spent needs nobody: it has
//   fallback models, its own code handles the failure (handledInCode), or its on_error path does not end in a
//   person: no `human` or `handoff` node can be reached from the recovery target along the graph's transitions
//   (further failures aside), or it is END. Retries alone do not count: the persistent failures still go to
//   whoever the recovery path names.
// - "Nameable in spans" (checkpoint 2): `tracing` names an exporter, and every node id survives as a span or
//   attribute value: no whitespace or control characters, no `|` or `:`, not LangGraph's `__start__`/`__end__`.
// - A trace measurement fails a checkpoint when it contradicts what the checkpoint relies on: observed failures
//   recovered below 80%, a node run more often than its max_visits, a run over its budget.
import { z } from 'zod';
import { canFail, END, FAILING_KINDS, type AgentGraph, type GraphNode, type Range } from '../core/ir.ts';
import type { GraphQueries } from '../core/queries.ts';
import { worstCase as computeWorstCase, formatTokens, formatUsd, type WorstCase } from '../core/cost.ts';
import type { Analysis } from '../analysis/workspace.ts';
import type { LineIndex } from '../core/lineIndex.ts';
import { basename } from '../core/uris.ts';
import type { Rule, RuleContext } from '../rules/rule.ts';
import { RULES } from '../rules/index.ts';
import { AG004 } from '../rules/AG004.ts';
import { AG101 } from '../rules/AG101.ts';
import { api, recursionLimitConfig, wording } from '../rules/fixWording.ts';
import { AG201 } from '../rules/AG201.ts';
import { AG204 } from '../rules/AG204.ts';
import { AG205 } from '../rules/AG205.ts';
import { AG301 } from '../rules/AG301.ts';
import { AG302 } from '../rules/AG302.ts';
import { AG303 } from '../rules/AG303.ts';
import { AG305 } from '../rules/AG305.ts';
import { AG306 } from '../rules/AG306.ts';
import { AG401 } from '../rules/AG401.ts';
import { AG402 } from '../rules/AG402.ts';
import { AG601 } from '../rules/AG601.ts';
import { AG701 } from '../rules/AG701.ts';
import { suppressionFor } from '../core/suppressed.ts';

export type CheckpointId = 1 | 2 | 3 | 4 | 5;

export const CHECKPOINT_TITLES: Readonly<Record<CheckpointId, string>> = {
  1: 'Measurable success',
  2: 'Tracing',
  3: 'Cost control at the orchestration layer',
  4: 'Governance inside the graph',
  5: 'Autonomous recovery',
};

/** Short names for table headers. */
export const CHECKPOINT_SHORT: Readonly<Record<CheckpointId, string>> = { 1: 'success', 2: 'tracing', 3: 'cost', 4: 'governance', 5: 'recovery' };

/** The share of nodes that can fail, and of observed failures, that must recover without a person. */
export const RECOVERY_THRESHOLD = 0.8;

export interface Evidence {
  /** `fail`: a reason the checkpoint fails; `accepted`: a finding suppressed with a reason; `info`: a supporting fact. */
  readonly kind: 'fail' | 'accepted' | 'info';
  readonly message: string;
  /** The rule behind it, when a rule is. */
  readonly code?: string;
  readonly node?: string;
  /** Where it is, as offsets into the graph's file. */
  readonly range: Range;
  /** `traces` when the figure was measured on real runs rather than read from the graph. */
  readonly source?: 'graph' | 'traces';
  /** For `accepted`: the reason given in the suppression comment. */
  readonly reason?: string;
}

export interface Checkpoint {
  readonly id: CheckpointId;
  readonly title: string;
  readonly passed: boolean;
  readonly evidence: readonly Evidence[];
  /** The one change that does most for this checkpoint; absent when it passes. */
  readonly firstFix?: Fix;
}

/** What to do, and where. */
export interface Fix {
  readonly text: string;
  readonly range: Range;
}

export interface ReadinessReport {
  /** The graph's name, or the file name when the graph has none. */
  readonly graph: string;
  readonly uri: string;
  readonly verdict: 'ready' | 'not-ready';
  /** The verdict in words, for every place that shows it (`verdictSummary`). */
  readonly summary: VerdictSummary;
  /**
   * Errors in the file that no checkpoint covers: those that keep it from being read as a graph (AG001, AG002),
   * and any other finding of a rule whose default severity is error. Not ready whatever the checkpoints say.
   */
  readonly blockers: readonly Evidence[];
  readonly checkpoints: readonly Checkpoint[];
  /** What to do first for the whole graph; absent when it is ready. */
  readonly firstFix?: Fix;
  /** Checkpoint 5's figure: reachable nodes that can fail, and how many of them recover without a person. */
  readonly recovery: { readonly canFail: number; readonly autonomous: number };
  /** The runs the trace figures come from, when traces were given. */
  readonly traces?: { readonly runs: number; readonly source?: string };
}

/**
 * The verdict in words. The status bar, the lens, the report and the CLI all show these, so that they never
 * disagree: a file with errors is "not ready (the file has errors)" everywhere, whatever its checkpoints say.
 */
export interface VerdictSummary {
  /** `5 of 5 checkpoints pass`, `1 of 5 checkpoints pass`, or `the file has errors` (the report, the CLI). */
  readonly detail: string;
  /** `ready`, `not ready (checkpoints 3, 5 fail)`, `not ready (the file has errors)`: the one line (the lens). */
  readonly line: string;
  /** `Ready`, `Not ready: 3/5`, `Not ready: errors` (the status bar). */
  readonly short: string;
  /** `is ready for production: all five checkpoints pass`, `is not ready for production: ...` (after the graph's name). */
  readonly sentence: string;
}

/** The one function that turns errors and checkpoints into the verdict and its words. */
export function verdictOf(blockers: readonly unknown[], checkpoints: readonly Pick<Checkpoint, 'id' | 'passed'>[]): { verdict: ReadinessReport['verdict']; summary: VerdictSummary } {
  const failed = checkpoints.filter((c) => !c.passed).map((c) => c.id);
  const passed = checkpoints.length - failed.length;
  if (blockers.length > 0) {
    return { verdict: 'not-ready', summary: { detail: 'the file has errors', line: 'not ready (the file has errors)', short: 'Not ready: errors', sentence: 'is not ready for production: the file has errors' } };
  }
  if (failed.length === 0) {
    return { verdict: 'ready', summary: { detail: `${passed} of 5 checkpoints pass`, line: 'ready', short: 'Ready', sentence: 'is ready for production: all five checkpoints pass' } };
  }
  const which = `checkpoint${failed.length === 1 ? '' : 's'} ${failed.join(', ')} fail${failed.length === 1 ? 's' : ''}`;
  return {
    verdict: 'not-ready',
    summary: { detail: `${passed} of 5 checkpoints pass`, line: `not ready (${which})`, short: `Not ready: ${passed}/5`, sentence: `is not ready for production: ${passed} of 5 checkpoints pass (${which})` },
  };
}

// --- Trace measurements ---------------------------------------------------------------------------------------

/**
 * What traces of real runs measured for one graph. Produced by the trace import (a later feature) and made by
 * hand in tests; plain JSON, so that it can cross a process boundary. Every figure is optional.
 */
export interface TraceMeasurements {
  /** How many runs the traces hold. */
  readonly runs: number;
  /** Where they come from, for the report: file names, or "OTLP receiver". */
  readonly source?: string;
  /**
   * Node failures that outlasted their retries, and how many of those the run recovered from (it went on to
   * END without a person); optionally per node id.
   */
  readonly failures?: {
    readonly observed: number;
    readonly recovered: number;
    readonly byNode?: Readonly<Record<string, { readonly observed: number; readonly recovered: number }>>;
  };
  /** Per node id: the most times it ran in one run (loop iterations). */
  readonly maxVisits?: Readonly<Record<string, number>>;
  /** The most node visits (steps) in one run. */
  readonly maxSteps?: number;
  /** Cost per run: the most expensive run and the mean, in USD and tokens. */
  readonly costPerRun?: {
    readonly maxUsd?: number;
    readonly meanUsd?: number;
    readonly maxTokens?: number;
    readonly meanTokens?: number;
  };
}

const count = z.number().int().nonnegative();
const amount = z.number().nonnegative().finite();
/** Validates measurements where they cross a boundary (a file, a message). */
export const traceMeasurementsSchema = z
  .strictObject({
    runs: count,
    source: z.string().optional(),
    failures: z
      .strictObject({
        observed: count,
        recovered: count,
        byNode: z.record(z.string(), z.strictObject({ observed: count, recovered: count })).optional(),
      })
      .refine((f) => f.recovered <= f.observed, 'recovered cannot exceed observed')
      .optional(),
    maxVisits: z.record(z.string(), count).optional(),
    maxSteps: count.optional(),
    costPerRun: z
      .strictObject({ maxUsd: amount.optional(), meanUsd: amount.optional(), maxTokens: amount.optional(), meanTokens: amount.optional() })
      .optional(),
  }) satisfies z.ZodType<TraceMeasurements>;

// --- The check ------------------------------------------------------------------------------------------------

/** Evidence while it is built: how urgent its fix is (lower first) and the fix itself. */
interface Item extends Evidence {
  readonly priority?: number;
  readonly fix?: string;
}

/** Fix priorities: what keeps a run from ending or leaks data first, what makes it observable last. */
const PRIORITY: Readonly<Record<string, number>> = {
  invalid: 0,
  AG204: 10,
  AG201: 11,
  AG004: 12,
  AG205: 13,
  unboundedCost: 43,
  AG402: 20,
  AG401: 21,
  AG101: 30,
  measured: 35,
  AG301: 40,
  steps: 41,
  AG303: 42,
  rate: 45,
  AG302: 50,
  AG305: 51,
  AG306: 52,
  AG601: 60,
  exporter: 61,
  names: 62,
  AG701: 70,
  target: 71,
  eval: 72,
};

export function checkReadiness(analysis: Analysis, traces?: TraceMeasurements): ReadinessReport {
  const { graph, queries: q } = analysis;
  const name = graph?.name?.value ?? basename(analysis.uri);
  const blockers: Item[] = analysis.diagnostics
    // Whatever severity they are given: a file that does not read as a graph is not ready.
    .filter((d) => (d.code === 'AG001' || d.code === 'AG002') && !d.suppressed)
    .map((d) => ({ kind: 'fail', message: d.message, code: d.code, range: d.range, priority: PRIORITY.invalid, fix: `correct the file: ${d.message}` }));
  if (!graph || !q) {
    if (blockers.length === 0) {
      blockers.push({ kind: 'fail', message: 'this file is not an agent graph the check can read', range: { start: 0, end: 0 }, priority: PRIORITY.invalid, fix: 'fix the errors in the file' });
    }
    const checkpoints = ([1, 2, 3, 4, 5] as const).map((id) => finish(id, [{ kind: 'fail', message: 'not checked: the file cannot be read as an agent graph', range: blockers[0].range }]));
    return {
      graph: name, uri: analysis.uri, ...verdictOf(blockers, checkpoints), blockers: blockers.map(publicEvidence),
      checkpoints: checkpoints.map(({ items: _items, ...c }) => c),
      firstFix: { text: blockers[0].fix!, range: blockers[0].range },
      recovery: { canFail: 0, autonomous: 0 },
    };
  }

  const wc = analysis.worstCase ?? computeWorstCase(graph, q);
  const run = ruleRunner(graph, q, wc, analysis.lines);
  const recovery = recoveryOf(graph, q);
  const at = (range: Range | undefined) => range ?? graph.name?.range ?? graph.keys.get('agentgraph') ?? graph.root;

  const checkpoints = [
    finish(1, successEvidence(graph, run, at)),
    finish(2, tracingEvidence(graph, run, at)),
    finish(3, costEvidence(graph, wc, run, at, traces)),
    finish(4, governanceEvidence(graph, q, run)),
    finish(5, recoveryEvidence(graph, q, recovery, run, at, traces)),
  ];
  // A graph with an error-level finding is never ready: each error rule belongs to a checkpoint (AG004 and
  // AG201/AG204 to 5, AG205 to 3); one that none runs (a rule added later) blocks on its own.
  for (const rule of RULES) {
    if (rule.severity !== 'error' || rule.code === 'AG001' || rule.code === 'AG002' || run.ran.has(rule.code)) continue;
    blockers.push(...run(rule).filter((e) => e.kind === 'fail').map((e) => ({ ...e, priority: PRIORITY.invalid })));
  }
  const verdict = verdictOf(blockers, checkpoints);
  const ready = verdict.verdict === 'ready';
  const urgent = [...blockers, ...checkpoints.flatMap((c) => c.items)].filter((e) => e.kind === 'fail' && e.fix).sort(byPriority)[0];
  return {
    graph: name,
    uri: analysis.uri,
    ...verdict,
    blockers: blockers.map(publicEvidence),
    checkpoints: checkpoints.map(({ items: _items, ...c }) => c),
    ...(ready || !urgent ? {} : { firstFix: { text: urgent.fix!, range: urgent.range } }),
    recovery: { canFail: recovery.length, autonomous: recovery.filter((r) => r.autonomous).length },
    ...(traces ? { traces: { runs: traces.runs, ...(traces.source ? { source: traces.source } : {}) } } : {}),
  };
}

function byPriority(a: Item, b: Item): number {
  return (a.priority ?? 99) - (b.priority ?? 99) || a.range.start - b.range.start;
}

function publicEvidence({ priority: _p, fix: _f, ...e }: Item): Evidence {
  return e;
}

function finish(id: CheckpointId, items: Item[]): Checkpoint & { items: Item[] } {
  const order = { fail: 0, accepted: 1, info: 2 };
  items.sort((a, b) => order[a.kind] - order[b.kind] || a.range.start - b.range.start);
  const passed = !items.some((e) => e.kind === 'fail');
  const first = passed ? undefined : items.filter((e) => e.kind === 'fail' && e.fix).sort(byPriority)[0];
  return { id, title: CHECKPOINT_TITLES[id], passed, evidence: items.map(publicEvidence), ...(first ? { firstFix: { text: first.fix!, range: first.range } } : {}), items };
}

// --- Rules, run at their default meaning, with suppressions applied -------------------------------------------

type Runner = ((rule: Rule) => Item[]) & { readonly ran: Set<string> };

function ruleRunner(graph: AgentGraph, q: GraphQueries, wc: WorstCase, lines: LineIndex): Runner {
  const ran = new Set<string>();
  return Object.assign((rule: Rule) => {
    ran.add(rule.code);
    const out: Item[] = [];
    const ctx: RuleContext = {
      graph,
      q,
      worstCase: () => wc,
      // None of the rules run here follows subgraph files.
      subgraph: () => undefined,
      report: (d) => {
        const node = typeof d.data?.node === 'string' ? d.data.node : undefined;
        const line = lines.position(d.range.start).line;
        const sup = suppressionFor(graph, line, rule.code);
        const base = { code: rule.code, range: d.range, ...(node !== undefined ? { node } : {}) };
        if (sup?.reason) out.push({ ...base, kind: 'accepted', message: d.message, reason: sup.reason });
        else {
          const message = sup ? `${d.message} (suppressed without a reason, so it still counts: give one after \`--\` to accept the risk)` : d.message;
          out.push({ ...base, kind: 'fail', message, priority: PRIORITY[rule.code], fix: fixOf(d.message, d.data) });
        }
      },
    };
    try {
      rule.check(ctx);
    } catch (e) {
      out.push({ kind: 'fail', code: rule.code, message: `internal error in rule ${rule.code}: ${(e as Error).message}; please report this`, range: graph.root });
    }
    return out;
  }, { ran });
}

/** A rule message ends with its fix after the last `; `: that clause, naming the node or tool it is about. */
function fixOf(message: string, data: Record<string, unknown> | undefined): string {
  const i = message.lastIndexOf('; ');
  const fix = i >= 0 ? message.slice(i + 2) : message;
  if (typeof data?.node === 'string' && !fix.includes(`"${data.node}"`)) return `node "${data.node}": ${fix}`;
  const cycle = Array.isArray(data?.cycle) ? data.cycle.map(String) : [];
  if (cycle.length > 0 && !fix.includes('"')) return `loop ${[...cycle, cycle[0]].map((id) => `"${id}"`).join(' -> ')}: ${fix}`;
  if (typeof data?.tool === 'string' && !fix.includes(`"${data.tool}"`)) return `tool "${data.tool}": ${fix}`;
  return fix;
}

type At = (range: Range | undefined) => Range;

// --- 1. Measurable success ------------------------------------------------------------------------------------

function successEvidence(graph: AgentGraph, run: Runner, at: At): Item[] {
  const items = run(AG701);
  const criteria = graph.success?.items ?? [];
  if (criteria.length === 0) return items;
  const label = (c: (typeof criteria)[number], i: number) => (c.metric ? `"${c.metric}"` : `number ${i + 1}`);
  criteria.forEach((c, i) => {
    if (c.target !== undefined && c.target !== '') return;
    items.push({
      kind: 'fail',
      message: `success criterion ${label(c, i)} has no target: nobody can tell whether a release meets it; add target (such as ">= 0.80")`,
      range: c.range,
      priority: PRIORITY.target,
      fix: `give success criterion ${label(c, i)} a target`,
    });
  });
  const evaluated = criteria.filter((c) => c.eval);
  if (evaluated.length === 0) {
    items.push({
      kind: 'fail',
      message: `no success criterion has an eval: the targets are never measured before a change ships; add eval (a dataset such as evals/${graph.name?.value ?? 'graph'}.jsonl) to at least one`,
      range: at(graph.keys.get('success')),
      priority: PRIORITY.eval,
      fix: `add eval: <dataset> to success criterion ${label(criteria[0], 0)}`,
    });
  }
  const withTarget = criteria.filter((c) => c.target !== undefined && c.target !== '').length;
  items.push({
    kind: 'info',
    message: `${criteria.length} success criteri${criteria.length === 1 ? 'on' : 'a'}, ${withTarget === criteria.length ? (criteria.length === 1 ? 'with a target' : 'each with a target') : `${withTarget} with a target`}; ${evaluated.length > 0 ? `measured by ${evaluated.map((c) => `${c.eval}${c.metric ? ` (${c.metric})` : ''}`).join(', ')}` : 'none measured'}`,
    range: at(graph.keys.get('success')),
  });
  return items;
}

// --- 2. Tracing -----------------------------------------------------------------------------------------------

/** Why a node id cannot name a span, or undefined when it can. */
export function unnameableReason(id: string): string | undefined {
  if (id.trim() === '') return 'is blank, and a span needs a name';
  if (/[\u0000-\u001f\u007f]/.test(id)) return 'contains control characters, which exporters drop or escape, so its spans no longer match the node';
  if (/\s/.test(id)) return 'contains whitespace: trace tools split span names at spaces ("execute_tool lookup"), so its spans are credited to another name';
  if (/[|:]/.test(id)) return 'contains "|" or ":", which LangGraph uses to separate nesting levels in langgraph_checkpoint_ns, so its spans cannot be told from a subgraph\'s';
  if (id === '__start__' || id === '__end__') return `is LangGraph's own "${id}", so its spans mix with the runtime's`;
  return undefined;
}

function tracingEvidence(graph: AgentGraph, run: Runner, at: At): Item[] {
  const items = run(AG601);
  const tracing = graph.tracing;
  if (!tracing) return items;
  const range = at(graph.keys.get('tracing') ?? tracing.range);
  if (tracing.exporter !== 'otlp' && tracing.exporter !== 'jsonl') {
    items.push({
      kind: 'fail',
      message: `tracing has no exporter${tracing.exporter ? ` it knows ("${tracing.exporter}")` : ''}: spans go nowhere, so a failing run cannot be traced to a node; add exporter: otlp (or jsonl)`,
      range,
      priority: PRIORITY.exporter,
      fix: 'add tracing.exporter: otlp',
    });
  }
  const attr = tracing.nodeAttribute;
  if (attr !== undefined && /\s/.test(attr)) {
    items.push({
      kind: 'fail',
      message: `tracing.node_attribute "${attr}" contains whitespace, which no span attribute key does, so no span is matched to a node; use the attribute your runtime sets, such as langgraph_node`,
      range,
      priority: PRIORITY.names,
      fix: 'set tracing.node_attribute to the attribute your runtime sets (such as langgraph_node)',
    });
  }
  let bad = 0;
  for (const node of graph.nodes.values()) {
    const why = unnameableReason(node.id);
    if (!why) continue;
    bad++;
    const suggestion = node.id.replace(/[\u0000-\u001f\u007f]/g, '').trim().replace(/[\s|:]+/g, '_').replace(/^__(start|end)__$/, '$1_node') || 'step';
    items.push({
      kind: 'fail',
      message: `node id "${node.id}" ${why}; rename the node (such as "${suggestion}")`,
      node: node.id,
      range: node.range,
      priority: PRIORITY.names,
      fix: `rename node "${node.id}" to a span-safe id such as "${suggestion}"`,
    });
  }
  if (bad === 0 && (tracing.exporter === 'otlp' || tracing.exporter === 'jsonl')) {
    items.push({
      kind: 'info',
      message: `spans are exported as ${tracing.exporter} and name their node by ${attr ? `the attribute "${attr}"` : 'their span name'}; all ${graph.nodes.size} node ids are valid span names`,
      range,
    });
  }
  return items;
}

// --- 3. Cost control ------------------------------------------------------------------------------------------

function costEvidence(graph: AgentGraph, wc: WorstCase, run: Runner, at: At, traces: TraceMeasurements | undefined): Item[] {
  const items = [...run(AG301), ...run(AG302), ...run(AG303), ...run(AG305), ...run(AG306), ...run(AG205)];
  const budget = graph.budget;
  const bounded = wc.unbounded.length === 0;
  if (budget?.steps === undefined) {
    const steps = bounded ? worstSteps(wc) : undefined;
    items.push({
      kind: 'fail',
      message: wording(
        graph,
        `${budget ? 'budget has no steps' : 'there is no budget.steps'}: nothing bounds how many nodes a run visits, and a loop through free nodes (routers, functions, unpriced tools) never reaches a cost limit; add budget.steps${steps ? ` (the worst-case run takes ${steps} steps)` : ' (such as 30)'}`,
        (rt) => `no recursion limit is passed to the compiled graph: ${rt.defaultStepsBound ? `${rt.framework}'s default of ${rt.defaultSteps} steps fails the run rather than bounding it gracefully` : `${rt.framework}'s default of ${rt.defaultSteps} steps bounds nothing`}, and a loop through free nodes never reaches a cost limit; pass \`${recursionLimitConfig(rt).replace('N', String(steps ?? 30))}\` in the config of invoke/stream${steps ? ` (the worst-case run takes ${steps} steps)` : ''}`,
      ),
      range: at(budget?.range),
      priority: PRIORITY.steps,
      fix: wording(graph, `add budget.steps${steps ? ` (at least ${steps}, the worst-case run)` : ''}`, (rt) => `pass ${recursionLimitConfig(rt).replace('N', String(steps ?? 30))} in the config of invoke/stream`),
    });
  }
  if (!bounded) {
    // No worst case at all: the budget cannot be checked, so cost is not under control (the cause is AG201 or
    // AG205, whose own findings say where).
    items.push({
      kind: 'fail',
      message: `the worst-case cost cannot be compared with the budget: ${quoteList(wc.unbounded)} may run without bound (see AG201, AG205), so only the budget stops such a run; bound ${wc.unbounded.length === 1 ? 'it' : 'them'} (max_visits and on_exhausted on a loop, max_iterations on an agent)`,
      range: at(budget?.range),
      priority: PRIORITY.unboundedCost,
      fix: `bound ${quoteList(wc.unbounded)} (max_visits and on_exhausted on a loop, max_iterations on an agent) so that the worst case can be checked against the budget`,
    });
  } else if (budget && (budget.usd !== undefined || budget.tokens !== undefined)) {
    const lower = wc.unpriced.size > 0 || wc.uncapped.length > 0 ? 'at least ' : '';
    const parts: string[] = [];
    if (budget.usd !== undefined) parts.push(`${lower}${formatUsd(wc.usd)} of budget.usd ${formatUsd(budget.usd)}`);
    if (budget.tokens !== undefined) parts.push(`${lower}${formatTokens(wc.tokens)} of budget.tokens ${formatTokens(budget.tokens)}`);
    items.push({ kind: 'info', message: `the worst-case run uses ${parts.join(' and ')}`, range: at(budget.range) });
  }
  const cost = traces?.costPerRun;
  if (traces && cost) {
    const runs = `${traces.runs} run${traces.runs === 1 ? '' : 's'}`;
    if (cost.maxUsd !== undefined && budget?.usd !== undefined && cost.maxUsd > budget.usd) {
      items.push(measured(`the most expensive of ${runs} cost ${formatUsd(cost.maxUsd)}, over budget.usd ${formatUsd(budget.usd)}: the orchestration layer does not enforce the budget; make it stop a run at budget.usd`, at(budget.fields.get('usd')), 'enforce budget.usd in the orchestration layer (a run went over it)'));
    } else if (cost.maxUsd !== undefined || cost.meanUsd !== undefined) {
      const figures = [cost.meanUsd !== undefined ? `${formatUsd(cost.meanUsd)} on average` : '', cost.maxUsd !== undefined ? `${formatUsd(cost.maxUsd)} at most` : ''].filter(Boolean).join(', ');
      items.push({ kind: 'info', source: 'traces', message: `observed cost per run over ${runs}: ${figures}${budget?.usd !== undefined ? ` (budget.usd ${formatUsd(budget.usd)})` : ''}`, range: at(budget?.fields.get('usd') ?? budget?.range) });
    }
    if (cost.maxTokens !== undefined && budget?.tokens !== undefined && cost.maxTokens > budget.tokens) {
      items.push(measured(`the largest of ${runs} used ${formatTokens(cost.maxTokens)} tokens, over budget.tokens ${formatTokens(budget.tokens)}: the orchestration layer does not enforce the budget; make it stop a run at budget.tokens`, at(budget.fields.get('tokens')), 'enforce budget.tokens in the orchestration layer (a run went over it)'));
    } else if (cost.maxTokens !== undefined || cost.meanTokens !== undefined) {
      const figures = [cost.meanTokens !== undefined ? `${formatTokens(cost.meanTokens)} on average` : '', cost.maxTokens !== undefined ? `${formatTokens(cost.maxTokens)} at most` : ''].filter(Boolean).join(', ');
      items.push({ kind: 'info', source: 'traces', message: `observed tokens per run over ${runs}: ${figures}${budget?.tokens !== undefined ? ` (budget.tokens ${formatTokens(budget.tokens)})` : ''}`, range: at(budget?.fields.get('tokens') ?? budget?.range) });
    }
  }
  if (traces?.maxSteps !== undefined && budget?.steps !== undefined) {
    if (traces.maxSteps > budget.steps) {
      items.push(measured(`a run took ${traces.maxSteps} steps, over budget.steps ${budget.steps}: the orchestration layer does not enforce the step limit; make it stop a run at budget.steps`, at(budget.fields.get('steps')), 'enforce budget.steps in the orchestration layer (a run went over it)'));
    } else {
      items.push({ kind: 'info', source: 'traces', message: `the longest of ${traces.runs} runs took ${traces.maxSteps} of budget.steps ${budget.steps}`, range: at(budget.fields.get('steps')) });
    }
  }
  return items;
}

/** Node visits along the worst-case path. */
function worstSteps(wc: WorstCase): number {
  return wc.path.reduce((sum, id) => sum + (wc.pathVisits.get(id) ?? 1), 0);
}

function measured(message: string, range: Range, fix: string, node?: string): Item {
  return { kind: 'fail', source: 'traces', message, range, priority: PRIORITY.measured, fix, ...(node !== undefined ? { node } : {}) };
}

// --- 4. Governance --------------------------------------------------------------------------------------------

function governanceEvidence(graph: AgentGraph, q: GraphQueries, run: Runner): Item[] {
  const items = [...run(AG401), ...run(AG402)];
  const range = graph.name?.range ?? graph.root;
  const writes = [...graph.tools.values()].filter((t) => t.effect === 'write');
  const used = new Set([...graph.nodes.values()].flatMap((n) => (n.kind === 'tool' && n.tool ? [n.tool.value] : n.kind === 'agent' ? n.tools.map((t) => t.value) : [])));
  const writing = writes.filter((t) => used.has(t.name));
  if (!items.some((e) => e.code === 'AG401')) {
    items.push({
      kind: 'info',
      message: writing.length === 0 ? 'no node calls a write tool' : `write tool${writing.length === 1 ? '' : 's'} ${quoteList(writing.map((t) => t.name))} ${writing.length === 1 ? 'is' : 'are'} behind human approval or a policy`,
      range: writing[0]?.range ?? range,
    });
  }
  const classes = new Set([...graph.state.values()].flatMap((s) => s.data));
  if (!items.some((e) => e.code === 'AG402')) {
    const reaches = [...graph.nodes.values()].some((n) => (n.kind === 'llm' || n.kind === 'agent') && q.classesAt(n.id).size > 0);
    items.push({
      kind: 'info',
      message: classes.size === 0 ? 'no state key carries classified data (data: [...])' : `classified data (${[...classes].join(', ')}) ${reaches ? 'reaches only models that allow it' : 'reaches no model'}`,
      range,
    });
  }
  return items;
}

// --- 5. Autonomous recovery -----------------------------------------------------------------------------------

interface NodeRecovery {
  readonly node: GraphNode;
  readonly autonomous: boolean;
  /** For a node that does not recover on its own: whether its failure goes to a person or crashes the run. */
  readonly outcome?: 'person' | 'crash';
  /** Why it does or does not recover without a person, for the evidence. */
  readonly why: string;
}

/**
 * For each reachable node that calls out (FORMAT.md's kinds that can fail, those whose own code handles their
 * failures included), whether it recovers without a person once its retries are spent, and why.
 */
export function recoveryOf(graph: AgentGraph, q: GraphQueries): NodeRecovery[] {
  const out: NodeRecovery[] = [];
  const personOnPath = new Map<string, GraphNode | undefined>();
  for (const id of q.reachable()) {
    const node = graph.nodes.get(id)!;
    if (!canFail(node) && !(node.kind && FAILING_KINDS.has(node.kind) && node.handledInCode)) continue;
    const retries = !!node.retry && !node.retry.none && node.retry.attempts > 1;
    const after = retries ? `after its ${node.retry!.attempts} attempts, ` : '';
    const fallbacks = node.fallbackModels.length > 0;
    const toEnd = node.onError?.value === END;
    const target = node.onError && graph.nodes.get(node.onError.value);
    let person: GraphNode | undefined;
    if (target) {
      if (!personOnPath.has(target.id)) personOnPath.set(target.id, firstPersonFrom(graph, q, target.id));
      person = personOnPath.get(target.id);
    }
    if (node.handledInCode) {
      out.push({ node, autonomous: true, why: 'its own code handles its failures' });
    } else if (fallbacks) {
      out.push({ node, autonomous: true, why: `${after}fallback models ${quoteList(node.fallbackModels.map((f) => f.value))}` });
    } else if (toEnd) {
      out.push({ node, autonomous: true, why: `${after}on_error END ends the run without a person` });
    } else if (target && !person) {
      out.push({ node, autonomous: true, why: `${after}on_error "${target.id}" goes on without a person` });
    } else {
      const no = node.retry?.none ? 'retry: none' : retries ? `${node.retry!.attempts} attempts (retries absorb transient errors, not persistent ones)` : 'no retry';
      const noFallback = node.kind === 'llm' || node.kind === 'agent' ? ', no fallback models' : '';
      const recovery = !node.onError
        ? 'and no on_error, so the run crashes'
        : !target
          ? `and its on_error "${node.onError.value}" names no node`
          : person!.id === target.id
            ? `and its on_error "${target.id}" is a ${person!.kind} node`
            : `and its on_error "${target.id}" can lead to ${person!.kind} node "${person!.id}"`;
      out.push({ node, autonomous: false, outcome: target ? 'person' : 'crash', why: `${no}${noFallback}, ${recovery}` });
    }
  }
  return out;
}

/**
 * The first `human` or `handoff` node a run can reach from `start` (itself included) along its transitions,
 * further failures aside: a recovery path "ends in a person" when any way it can continue reaches one.
 */
function firstPersonFrom(graph: AgentGraph, q: GraphQueries, start: string): GraphNode | undefined {
  const seen = new Set([start]);
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = graph.nodes.get(queue[i])!;
    if (node.kind === 'human' || node.kind === 'handoff') return node;
    for (const t of q.succ(node.id)) {
      if (t.kind === 'error' || t.to === END || seen.has(t.to)) continue;
      seen.add(t.to);
      queue.push(t.to);
    }
  }
  return undefined;
}

function recoveryEvidence(graph: AgentGraph, q: GraphQueries, recovery: NodeRecovery[], run: Runner, at: At, traces: TraceMeasurements | undefined): Item[] {
  const items = [...run(AG101), ...run(AG201), ...run(AG204), ...run(AG004)];
  const autonomous = recovery.filter((r) => r.autonomous).length;
  const total = recovery.length;
  const rate = total === 0 ? 1 : autonomous / total;
  const passes = rate >= RECOVERY_THRESHOLD;
  const needPerson = recovery.filter((r) => !r.autonomous);
  const figure = total === 0 ? 'no reachable node can fail' : `${autonomous} of ${total} nodes that can fail (${percent(rate)}) recover without a person`;
  if (passes) items.push({ kind: 'info', message: `${figure}, at least ${percent(RECOVERY_THRESHOLD)}`, range: at(undefined) });
  else {
    const first = needPerson[0];
    const more = needPerson.length > 1 ? ` (and ${needPerson.length - 1} more node${needPerson.length === 2 ? '' : 's'})` : '';
    items.push({
      kind: 'fail',
      message: `${figure}, below ${percent(RECOVERY_THRESHOLD)}: too many failures stop the run or wait for someone once the retries are spent; for ${quoteList(needPerson.map((r) => r.node.id))}, ${wording(graph, 'add an on_error path that goes on without a person (or fallback_models for model calls)', (rt) => api(rt, 'add an error_handler= that goes on without a person (or .with_fallbacks([...]) on the model)', 'add an errorHandler that goes on without a person (or .withFallbacks([...]) on the model)'))}`,
      range: at(undefined),
      // After the per-node items, whose fixes point at the node itself.
      priority: PRIORITY.rate + 1,
      fix: `node "${first.node.id}": ${ownRecoveryFix(graph, first.node)}${more}`,
    });
  }
  // A node without any recovery path already has its AG101 finding; the others are listed on their own.
  const withoutPath = new Set(items.filter((e) => e.code === 'AG101').map((e) => e.node));
  for (const r of needPerson) {
    if (withoutPath.has(r.node.id)) continue;
    const lead = r.outcome === 'person' ? 'needs a person when it fails' : 'does not recover on its own';
    items.push({ kind: passes ? 'info' : 'fail', message: `node "${r.node.id}" ${lead}: ${r.why}`, node: r.node.id, range: r.node.range, priority: PRIORITY.rate, fix: `node "${r.node.id}": ${ownRecoveryFix(graph, r.node)}` });
  }
  // Several nodes without a recovery path are fixed at once by one graph-level on_error.
  const missing = items.filter((e) => e.code === 'AG101' && e.kind === 'fail');
  if (missing.length > 1) {
    const fix = wording(
      graph,
      `add a graph-level on_error (a node that answers without the failed step), or on_error on ${quoteList(missing.map((e) => e.node ?? '?'))}`,
      (rt) => api(rt, `add set_node_defaults(error_handler=...) (a handler that answers without the failed step), or error_handler= on ${quoteList(missing.map((e) => e.node ?? '?'))}`, `add setNodeDefaults({ errorHandler }) (a handler that answers without the failed step), or errorHandler on ${quoteList(missing.map((e) => e.node ?? '?'))}`),
    );
    for (let i = 0; i < items.length; i++) if (items[i].code === 'AG101' && items[i].kind === 'fail') items[i] = { ...items[i], fix };
  }
  if (traces) items.push(...measuredRecovery(graph, q, traces, at));
  return items;
}

/** How a node that needs a person could recover on its own. A non-idempotent write is not to be retried blindly (AG103). */
function ownRecoveryFix(graph: AgentGraph, node: GraphNode): string {
  const tool = node.kind === 'tool' && node.tool ? graph.tools.get(node.tool.value) : undefined;
  const rt = graph.runtime;
  const onError = rt ? api(rt, 'an error_handler=', 'an errorHandler') : 'an on_error';
  if (tool && tool.effect === 'write' && !tool.idempotent) {
    return `give it ${onError} that goes on without a person (retries alone do not: and tool "${tool.name}" is not idempotent)`;
  }
  if (node.kind === 'llm' || node.kind === 'agent') return `add ${rt ? api(rt, '.with_fallbacks([...]) to its model', '.withFallbacks([...]) to its model') : 'fallback_models'}, or ${onError} that goes on without a person (retries alone do not)`;
  return `add ${onError} that goes on without a person (retries alone do not)`;
}

function measuredRecovery(graph: AgentGraph, q: GraphQueries, traces: TraceMeasurements, at: At): Item[] {
  const items: Item[] = [];
  const runs = `${traces.runs} run${traces.runs === 1 ? '' : 's'}`;
  const f = traces.failures;
  if (f) {
    const rate = f.observed === 0 ? 1 : f.recovered / f.observed;
    if (f.observed === 0) items.push({ kind: 'info', source: 'traces', message: `no failure observed in ${runs}`, range: at(undefined) });
    else if (rate >= RECOVERY_THRESHOLD) {
      items.push({ kind: 'info', source: 'traces', message: `${f.recovered} of ${f.observed} failures observed in ${runs} (${percent(rate)}) were recovered without a person`, range: at(undefined) });
    } else {
      const worst = Object.entries(f.byNode ?? {})
        .filter(([, n]) => n.observed > n.recovered)
        .sort((a, b) => b[1].observed - b[1].recovered - (a[1].observed - a[1].recovered))[0]?.[0];
      items.push(measured(`only ${f.recovered} of ${f.observed} failures observed in ${runs} (${percent(rate)}) were recovered, below ${percent(RECOVERY_THRESHOLD)}: real runs fail where the graph promises recovery; check the recovery paths of the failing nodes`, at(undefined), worst ? `make failures of node "${worst}" recover (most unrecovered failures in the traces)` : 'make the observed failures recover (see the traces)'));
    }
    for (const [id, n] of Object.entries(f.byNode ?? {})) {
      const node = graph.nodes.get(id);
      if (n.observed === 0) continue;
      items.push({ kind: 'info', source: 'traces', message: `node "${id}" failed ${n.observed} time${n.observed === 1 ? '' : 's'} in ${runs}, ${n.recovered} recovered${node ? '' : ' (no such node in the graph: the traces may belong to another version)'}`, node: id, range: at(node?.range) });
    }
  }
  for (const [id, visits] of Object.entries(traces.maxVisits ?? {})) {
    const node = graph.nodes.get(id);
    if (!node) continue;
    const bound = node.maxVisits?.value;
    if (bound !== undefined && visits > bound) {
      items.push(measured(`node "${id}" ran ${visits} times in one run, over its max_visits ${bound}: the runtime does not enforce the loop guard, so the loop is unbounded in production; enforce max_visits (and on_exhausted) in the orchestration layer`, node.maxVisits!.range, `enforce max_visits of "${id}" in the orchestration layer (a run went over it)`, id));
    } else if (bound !== undefined) {
      items.push({ kind: 'info', source: 'traces', message: `node "${id}" ran at most ${visits} of its max_visits ${bound} times in one run${visits === bound ? ': the guard tripped, so on_exhausted was taken' : ''}`, node: id, range: node.maxVisits!.range });
    } else if (q.loopOf(id)) {
      items.push({ kind: 'info', source: 'traces', message: `node "${id}" ran up to ${visits} times in one run, in a loop it does not guard itself`, node: id, range: node.range });
    }
  }
  return items;
}

function percent(rate: number): string {
  return `${Math.floor(rate * 100 + 1e-9)}%`;
}

/** `"a", "b" and "c"`. */
export function quoteList(ids: readonly string[]): string {
  const q = ids.map((id) => `"${id}"`);
  return q.length <= 1 ? q.join('') : `${q.slice(0, -1).join(', ')} and ${q[q.length - 1]}`;
}
