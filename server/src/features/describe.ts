// What AgentGraph knows about a node, a model, a tool or a state key, as Markdown: for hovers and for the
// documentation of completion items. Plain text over the IR, the graph queries and the worst-case cost.
import { END, canFail, type AgentGraph, type GraphNode } from '../core/ir.ts';
import type { GraphQueries } from '../core/queries.ts';
import { formatTokens, formatUsd, type NodeCost, type WorstCase } from '../core/cost.ts';

/** What the descriptions read: the graph, and when the analysis has them, its queries and worst case. */
export interface Facts {
  readonly graph: AgentGraph;
  readonly queries?: GraphQueries;
  readonly worstCase?: WorstCase;
  /** 1-based line of an offset in the graph's own file, for evidence read from code ("at line 48"). */
  readonly lineOf?: (offset: number) => number;
}

const code = (s: string) => '`' + s.replace(/`/g, "'") + '`';
const list = (xs: readonly string[], max = 12) => (xs.length === 0 ? '—' : xs.slice(0, max).map(code).join(', ') + (xs.length > max ? ` and ${xs.length - max} more` : ''));
const visitsText = (v: number) => (Number.isFinite(v) ? `${v} visit${v === 1 ? '' : 's'}` : 'unbounded visits');

function costText(c: { usd: number; tokens: number }): string {
  return `${formatUsd(c.usd)} · ${formatTokens(c.tokens)} tokens`;
}

/** One line for completion lists: kind, model or tool, where it goes. */
export function nodeSummary(graph: AgentGraph, node: GraphNode): string {
  const what = [node.kind ? `**${node.kind}** node` : 'node'];
  if (node.model) what.push(`model ${code(node.model.value)}`);
  if (node.tool) what.push(`tool ${code(node.tool.value)}`);
  if (node.to) what.push(`to ${code(node.to.value)}`);
  const next = node.out.filter((t) => t.kind === 'next' || t.kind === 'fanout' || t.kind === 'route' || t.kind === 'command').map((t) => (t.label ? `${t.label}: ${t.to}` : t.to));
  return what.join(' · ') + (next.length ? `\n\ngoes to ${list(next, 6)}` : '');
}

/** The hover of a node: kind, cost per visit and in the worst case, loop bound, failure, guaranteed state. */
export function describeNode(facts: Facts, id: string): string {
  const { graph, queries: q, worstCase: wc } = facts;
  const node = graph.nodes.get(id);
  if (!node) return `${code(id)}: no such node`;
  const lines: string[] = [];
  const head = [`**${id}** · ${node.kind ? `${node.kind} node` : 'node without a valid kind'}`];
  if (graph.entry?.value === id) head.push('entry');
  if (graph.onError?.value === id) head.push("the graph's recovery node");
  lines.push(head.join(' · '));
  const calls: string[] = [];
  if (node.model) {
    const m = graph.models.get(node.model.value);
    calls.push(`calls ${code(node.model.value)}${m?.model ? ` (${[m.provider, m.model].filter(Boolean).join(' ')})` : ''}`);
    if (node.fallbackModels.length) calls.push(`falls back to ${list(node.fallbackModels.map((f) => f.value))}`);
    if (node.inputTokens !== undefined || node.maxOutputTokens !== undefined) calls.push(`${formatTokens(node.inputTokens ?? 0)} in + ${node.maxOutputTokens === undefined ? 'uncapped' : formatTokens(node.maxOutputTokens)} out tokens per call`);
  }
  if (node.tool) calls.push(`calls tool ${code(node.tool.value)}`);
  if (node.kind === 'agent') calls.push(`tools ${list(node.tools.map((t) => t.value))}`, node.maxIterations !== undefined ? `at most ${node.maxIterations} iterations` : 'no max_iterations: the inner loop is unbounded');
  if (node.graph) calls.push(`runs ${code(node.graph.value)}`);
  if (node.to) calls.push(`hands over to ${code(node.to.value)}`);
  if (calls.length) lines.push(calls.join(' · '));

  // Cost.
  const c: NodeCost | undefined = wc?.perNode.get(id);
  if (c && (c.perVisit.usd > 0 || c.perVisit.tokens > 0 || node.kind === 'llm' || node.kind === 'agent' || node.kind === 'tool' || node.kind === 'subgraph')) {
    const attempts = node.retry && !node.retry.none && node.retry.attempts > 1 ? `, ${node.retry.attempts} attempts` : '';
    const fallbacks = node.fallbackModels.length ? ` and ${node.fallbackModels.length} fallback model${node.fallbackModels.length > 1 ? 's' : ''}` : '';
    lines.push(`**Cost per visit**: ${costText(c.perVisit)} (worst case${attempts}${fallbacks})`);
    if (node.kind === 'agent' && node.maxIterations === undefined) lines.push('**Worst case per run**: unbounded: nothing limits the iterations of its inner loop');
    else if (Number.isFinite(c.visits)) {
      lines.push(`**Worst case per run**: ${costText(c)} (${visitsText(c.visits)})${wc!.path.includes(id) ? ', on the most expensive path' : ''}`);
    } else lines.push('**Worst case per run**: unbounded: nothing limits how often it runs');
    const gaps: string[] = [];
    if (wc!.uncapped.includes(id)) gaps.push('no max_output_tokens: output counted as zero');
    if (node.model && wc!.unpriced.has(node.model.value)) gaps.push(`model ${code(node.model.value)} has no price: counted as free`);
    if (gaps.length) lines.push(`_${gaps.join('; ')}_`);
  }

  // Loop.
  const loop = q?.loopOf(id);
  if (loop) {
    const guards = loop.filter((n) => graph.nodes.get(n)?.maxVisits !== undefined);
    let bound: string;
    const at = (r: { start: number; uri?: string }) => (facts.lineOf && r.uri === undefined ? ` at line ${facts.lineOf(r.start)}` : '');
    if (node.guard) bound = `bounded here by a guard in code${at(node.guard.range)}: ${code(node.guard.text)} (at most ${node.maxVisits?.value ?? '?'} visits), then ${node.onExhausted ? `→ ${code(node.onExhausted.value)}` : 'the run fails'}`;
    else if (node.maxVisits) bound = `bounded here: max_visits ${node.maxVisits.value}, then ${node.onExhausted ? `→ ${code(node.onExhausted.value)}` : 'the run fails (no on_exhausted)'}`;
    else if (guards.length) bound = `bounded by max_visits on ${list(guards)}`;
    else if (graph.budget?.steps !== undefined) bound = `bounded only by budget.steps (${graph.budget.steps}), which fails the run`;
    else bound = 'unbounded: no max_visits in the loop and no budget.steps';
    lines.push(`**Loop**: ${list(loop, 8)}; ${bound}`);
  }

  // Failure.
  if (canFail(node)) {
    const retry = !node.retry ? 'no retry' : node.retry.none ? 'retry: none' : `${node.retry.attempts} attempts${node.retry.backoff ? `, ${node.retry.backoff}` : ''}${node.retry.origin === 'defaults' ? ' (from defaults)' : ''}`;
    const origin = node.onError?.origin === 'graph' ? " (the graph's on_error)" : node.onError?.origin === 'defaults' ? ' (from defaults)' : '';
    const goes = node.onError ? (node.onError.value === END ? 'then the run ends (on_error: END)' : `then → ${code(node.onError.value)}${origin}`) : 'then the run crashes: no on_error';
    lines.push(`**Can fail**: ${retry}; ${goes}`);
  } else if (node.handledInCode) {
    const line = facts.lineOf && node.handledInCode.uri === undefined ? ` at line ${facts.lineOf(node.handledInCode.start)}` : '';
    lines.push(`**Can fail**: no: handled in code${line} (its own \`except\`/\`catch\` or error handler goes on without failing the run)`);
  } else if (node.kind) {
    lines.push(`**Can fail**: no (${node.kind === 'human' ? 'a person' : 'local code'})${node.onError ? `; on_error → ${code(node.onError.value)}` : ''}`);
  }
  if (node.calledFromCode && node.graph) lines.push(`**Subgraph**: ${code(node.graph.value)}, invoked from the node's code rather than added as the node itself`);
  if (node.dynamic) lines.push('_Where this node goes next cannot be known from the code (AG005): the analysis does not guess._');

  // State.
  if (q) {
    const reach = q.reachable();
    if (!reach.has(id)) lines.push('_Not reachable from entry._');
    else {
      const g = [...(q.guaranteed().get(id) ?? [])];
      lines.push(`**Guaranteed state here**: ${list(g)}`);
    }
  }
  const rw: string[] = [];
  if (node.reads.length) rw.push(`reads ${list(node.reads.map((r) => r.key + (r.optional ? '?' : '')))}`);
  if (node.writes.length) rw.push(`writes ${list(node.writes.map((w) => w.value))}`);
  if (node.passes) rw.push(`passes ${list(node.passes.map((p) => p.value))}`);
  if (rw.length) lines.push(rw.join(' · '));
  return lines.join('\n\n');
}

/** The nodes that call a model (as primary or fallback). */
function modelUsers(graph: AgentGraph, name: string): string[] {
  return [...graph.nodes.values()].filter((n) => n.model?.value === name || n.fallbackModels.some((f) => f.value === name)).map((n) => n.id);
}

export function describeModel(facts: Facts | AgentGraph, name: string): string {
  const { graph, worstCase: wc } = 'graph' in facts ? facts : { graph: facts, worstCase: undefined };
  const m = graph.models.get(name);
  if (!m) return `${code(name)}: no such model in \`models\``;
  const lines = [`**${name}** · model${m.model ? ` · ${[m.provider, m.model].filter(Boolean).join(' ')}` : ''}`];
  lines.push(
    m.inputUsdPerMtok !== undefined && m.outputUsdPerMtok !== undefined
      ? `**Price**: $${m.inputUsdPerMtok} in, $${m.outputUsdPerMtok} out per million tokens`
      : '**Price**: not set: calls count as free in cost analysis (AG304)',
  );
  lines.push(`**Receives data**: ${m.allows.length ? list(m.allows) : 'no classified data (no `allows`)'}`);
  const users = modelUsers(graph, name);
  if (wc && users.length) {
    const spend = users.reduce((s, id) => s + (wc.perNode.get(id)?.usd ?? 0), 0);
    lines.push(`**Used by**: ${list(users)} · up to ${formatUsd(spend)} per run across them`);
  } else lines.push(`**Used by**: ${list(users)}`);
  return lines.join('\n\n');
}

export function describeTool(facts: Facts | AgentGraph, name: string): string {
  const { graph } = 'graph' in facts ? facts : { graph: facts };
  const t = graph.tools.get(name);
  if (!t) return `${code(name)}: no such tool in \`tools\``;
  const lines = [`**${name}** · tool${t.effect ? ` · effect ${t.effect}` : ''}${t.effect === 'write' || !t.idempotent ? ` · ${t.idempotent ? 'idempotent' : 'not idempotent'}` : ''}`];
  lines.push(`**Price**: ${t.usdPerCall !== undefined ? `${formatUsd(t.usdPerCall)} per call` : 'not set'}`);
  const limits = [t.timeoutS !== undefined ? `timeout ${t.timeoutS} s` : 'no timeout of its own', t.rateLimit ? `rate limit ${t.rateLimit}` : 'no rate limit'];
  lines.push(`**Limits**: ${limits.join(' · ')}`);
  const users = [...graph.nodes.values()].filter((n) => n.tool?.value === name || n.tools.some((x) => x.value === name)).map((n) => n.id);
  lines.push(`**Used by**: ${list(users)}`);
  const policies = graph.policies.filter((p) => p.tools.includes(name)).map((p) => p.id ?? '?');
  if (policies.length) lines.push(`**Policies**: ${list(policies)}`);
  return lines.join('\n\n');
}

export function describeStateKey(facts: Facts, name: string): string {
  const { graph, queries: q } = facts;
  const s = graph.state.get(name);
  const lines = [`**${name}** · state key${s?.type ? ` · ${s.type}` : ''}${s?.input ? ' · input (provided by the caller)' : ''}${s ? '' : ' · not declared in `state`'}`];
  const classes = [...(q?.dataClasses().get(name) ?? s?.data ?? [])];
  if (classes.length) lines.push(`**Data classes**: ${list(classes)}${s && classes.length > s.data.length ? ' (some flow in from keys its writers read)' : ''}`);
  const nodes = [...graph.nodes.values()];
  lines.push(`**Written by**: ${list(nodes.filter((n) => n.writes.some((w) => w.value === name)).map((n) => n.id))}`);
  lines.push(`**Read by**: ${list(nodes.filter((n) => n.reads.some((r) => r.key === name)).map((n) => n.id + (n.reads.find((r) => r.key === name)!.optional ? '?' : '')))}`);
  const passed = nodes.filter((n) => n.passes?.some((p) => p.value === name)).map((n) => n.id);
  if (passed.length) lines.push(`**Passed by**: ${list(passed)}`);
  return lines.join('\n\n');
}
