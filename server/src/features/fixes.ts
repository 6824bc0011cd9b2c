// Quick fixes for the rules where a fix is safe, as plain edits. Each fix reads the facts its rule put in the
// diagnostic's `data` (the node, the loop, the missing input...), writes in the style of the file (block or
// flow YAML, JSON) through format/textEdits.ts, and is checked before it is offered: the edited text must
// still parse, with no new AG001. A fix that cannot be made safely is not offered.
import { END, type AgentGraph } from '../core/ir.ts';
import type { GraphQueries } from '../core/queries.ts';
import type { WorstCase } from '../core/cost.ts';
import { formatTokens, formatUsd } from '../core/cost.ts';
import type { AgDiagnostic } from '../core/diagnostic.ts';
import { parseAgentGraph } from '../frontends/yaml/frontend.ts';
import { didYouMean } from '../frontends/yaml/issues.ts';
import { appendItems, applyEdits, insertKeys, parseForEdit, renderValue, setValue, type TextEdit, type Value } from '../frontends/yaml/textEdits.ts';

export interface Fix {
  readonly title: string;
  /** The diagnostic it fixes. */
  readonly diagnostic: AgDiagnostic;
  readonly edits: readonly TextEdit[];
  /** The fix to apply when the user asks for "the" fix. */
  readonly preferred?: boolean;
}

export interface FixInput {
  readonly uri: string;
  readonly text: string;
  readonly graph: AgentGraph;
  readonly queries?: GraphQueries;
  readonly worstCase?: WorstCase;
}

type Builder = (d: AgDiagnostic, data: Record<string, unknown>, input: FixInput, parsed: NonNullable<ReturnType<typeof parseForEdit>>) => Omit<Fix, 'diagnostic'>[];

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const q = (s: string) => `"${s}"`;

/** Where a recovery edge should point: the graph's recovery node, else existing recovery targets, people and handoffs. */
function recoveryCandidates(input: FixInput, exclude: ReadonlySet<string>): string[] {
  const { graph, queries } = input;
  const out: string[] = [];
  const add = (id: string | undefined) => id && id !== END && graph.nodes.has(id) && !exclude.has(id) && !out.includes(id) && out.push(id);
  add(graph.onError?.value);
  for (const id of queries?.recoveryTargets().keys() ?? []) add(id);
  for (const n of graph.nodes.values()) if (n.kind === 'human' || n.kind === 'handoff') add(n.id);
  return out;
}

/** Where a tripped loop guard should send the run: recovery first, then a way out of the loop, then END. */
function exhaustedTarget(input: FixInput, loop: readonly string[]): string {
  const members = new Set(loop);
  const recovery = recoveryCandidates(input, members);
  if (recovery.length > 0) return recovery[0];
  const exit = input.queries?.exitsOf(loop).find((t) => t.kind !== 'error' && t.kind !== 'exhausted' && (t.to === END || input.graph.nodes.has(t.to)));
  return exit?.to ?? END;
}

/** Before `next`/`routes` when the node has them (where a reader looks for transitions), else at the end. */
function beforeTransitions(input: FixInput, id: string): { before?: string } {
  const fields = input.graph.nodes.get(id)?.fields;
  return fields?.has('next') ? { before: 'next' } : fields?.has('routes') ? { before: 'routes' } : {};
}

function niceCeil(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 0;
  const p = Math.pow(10, Math.floor(Math.log10(x)));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * p >= x) return Number((m * p).toPrecision(6));
  return 10 * p;
}

const one = (title: string, edit: TextEdit | undefined, preferred = true): Omit<Fix, 'diagnostic'>[] => (edit ? [{ title, edits: [edit], preferred }] : []);

const BUILDERS: Record<string, Builder> = {
  // A failing node without a recovery path: point it (or the whole graph) at a recovery node.
  AG101(d, data, input, p) {
    const id = str(data.node);
    if (!id || !input.graph.nodes.has(id)) return [];
    const targets = recoveryCandidates(input, new Set([id]));
    if (targets.length === 0) {
      // Nowhere to recover to yet: add a person to escalate to, and make it the graph's recovery node.
      if (input.graph.onError || input.graph.keys.has('on_error')) return [];
      let name = 'escalate';
      for (let i = 2; input.graph.nodes.has(name); i++) name = `escalate_${i}`;
      const node = insertKeys(input.text, ['nodes'], [[name, { kind: 'human', next: END }]], {}, p);
      const onError = insertKeys(input.text, [], [['on_error', name]], { after: 'entry' }, p);
      return node && onError ? [{ title: `Add a human node ${q(name)} and make it the graph's on_error (recovers every node)`, edits: [node, onError], preferred: true }] : [];
    }
    const t = targets[0];
    const out = one(`Add on_error: ${t} to ${q(id)}`, insertKeys(input.text, ['nodes', id], [['on_error', t]], beforeTransitions(input, id), p));
    if (!input.graph.onError && !input.graph.keys.has('on_error')) {
      out.push(...one(`Set the graph's on_error to ${t} (recovers every node that has none)`, insertKeys(input.text, [], [['on_error', t]], { after: 'entry' }, p), false));
    }
    return out;
  },

  // A node that calls out without retry: retry transient failures, or say that it must not be retried.
  AG102(d, data, input, p) {
    const id = str(data.node);
    const node = id ? input.graph.nodes.get(id) : undefined;
    if (!id || !node || data.origin !== undefined || node.fields.has('retry')) return [];
    const writes = [node.tool, ...node.tools].some((t) => t && input.graph.tools.get(t.value)?.idempotent === false);
    const out: Omit<Fix, 'diagnostic'>[] = [];
    if (!writes) out.push(...one(`Retry ${q(id)}: retry: { attempts: 3, backoff: exponential }`, insertKeys(input.text, ['nodes', id], [['retry', { attempts: 3, backoff: 'exponential' }]], beforeTransitions(input, id), p)));
    out.push(...one(`Say ${q(id)} must not be retried: retry: none`, insertKeys(input.text, ['nodes', id], [['retry', 'none']], beforeTransitions(input, id), p), writes));
    return out;
  },

  // A retried non-idempotent write: stop retrying it.
  AG103(d, data, input, p) {
    const id = str(data.node);
    if (!id || !input.graph.nodes.has(id)) return [];
    return one(`Set retry: none on ${q(id)} (a retry could repeat the side effect)`, setValue(input.text, ['nodes', id], 'retry', 'none', beforeTransitions(input, id), p));
  },

  // An unbounded loop: guard the node that closes the cycle.
  AG201(d, data, input, p) {
    const id = str(data.guardNode);
    const loop = Array.isArray(data.loop) ? (data.loop as unknown[]).filter((x): x is string => typeof x === 'string') : [];
    const node = id ? input.graph.nodes.get(id) : undefined;
    if (!id || !node || node.maxVisits) return [];
    const entries: [string, Value][] = [['max_visits', 3]];
    const target = node.onExhausted ? undefined : exhaustedTarget(input, loop.length ? loop : [id]);
    if (target) entries.push(['on_exhausted', target]);
    return one(`Bound the loop: add max_visits: 3${target ? ` and on_exhausted: ${target}` : ''} to ${q(id)}`, insertKeys(input.text, ['nodes', id], entries, {}, p));
  },

  // A loop bounded only by budget.steps: the same guard, so that it degrades instead of failing the run.
  AG202(d, data, input, p) {
    return BUILDERS.AG201(d, data, input, p);
  },

  // A loop guard without a way out: say where the run goes when it trips.
  AG203(d, data, input, p) {
    const id = str(data.node);
    const loop = id ? input.queries?.loopOf(id) : undefined;
    if (!id || !loop) return [];
    const target = exhaustedTarget(input, loop);
    return one(`Add on_exhausted: ${target} to ${q(id)}`, insertKeys(input.text, ['nodes', id], [['on_exhausted', target]], { after: 'max_visits' }, p));
  },

  // An agent without max_iterations.
  AG205(d, data, input, p) {
    const id = str(data.node);
    if (!id || !input.graph.nodes.has(id)) return [];
    const n = typeof data.suggested === 'number' && data.suggested > 0 ? Math.floor(data.suggested) : 10;
    return one(`Add max_iterations: ${n} to ${q(id)}`, insertKeys(input.text, ['nodes', id], [['max_iterations', n]], { after: 'kind' }, p));
  },

  // No cost limit: a budget skeleton sized from the worst case.
  AG301(d, data, input, p) {
    const { graph } = input;
    const usdWorst = typeof data.worstCaseUsd === 'number' ? data.worstCaseUsd : undefined;
    const tokWorst = typeof data.worstCaseTokens === 'number' ? data.worstCaseTokens : undefined;
    const usd = usdWorst && usdWorst > 0 ? niceCeil(usdWorst * 1.25) : 1;
    const tokens = tokWorst && tokWorst > 0 ? Math.max(1000, niceCeil(tokWorst * 1.25)) : 100000;
    const why = usdWorst && usdWorst > 0 ? ` (worst case ${formatUsd(usdWorst)}, ${formatTokens(tokWorst ?? 0)} tokens)` : '';
    if (!graph.budget && !graph.keys.has('budget')) {
      const steps = Math.max(10, niceCeil(graph.nodes.size * 3));
      const place = graph.keys.has('defaults') ? { before: 'defaults' } : { before: 'entry' };
      return one(`Add a budget: usd ${usd}, tokens ${formatTokens(tokens)}, steps ${steps}${why}`, insertKeys(input.text, [], [['budget', { usd, tokens, steps }]], place, p));
    }
    return one(`Add usd ${usd} and tokens ${formatTokens(tokens)} to the budget${why}`, insertKeys(input.text, ['budget'], [['usd', usd], ['tokens', tokens]], {}, p));
  },

  // A model call without an output cap.
  AG302(d, data, input, p) {
    const id = str(data.node);
    const node = id ? input.graph.nodes.get(id) : undefined;
    if (!id || !node) return [];
    const after = node.fields.has('input_tokens') ? 'input_tokens' : node.fields.has('model') ? 'model' : 'kind';
    return one(`Add max_output_tokens: 1000 to ${q(id)}`, insertKeys(input.text, ['nodes', id], [['max_output_tokens', 1000]], { after }, p));
  },

  // A handoff or subgraph without a contract, or a subgraph input not passed.
  AG501(d, data, input, p) {
    const id = str(data.node);
    const node = id ? input.graph.nodes.get(id) : undefined;
    if (!id || !node) return [];
    const missing = str(data.missingInput);
    if (missing) {
      if (node.passes === undefined) return [];
      return one(`Add ${q(missing)} to the passes of ${q(id)}`, appendItems(input.text, ['nodes', id, 'passes'], [missing], p));
    }
    if (node.passes !== undefined) return [];
    const inputs = Array.isArray(data.inputs) ? (data.inputs as unknown[]).filter((x): x is string => typeof x === 'string') : [];
    let keys = inputs;
    if (keys.length === 0) keys = node.reads.filter((r) => !r.optional).map((r) => r.key);
    if (keys.length === 0) keys = [...(input.queries?.guaranteed().get(id) ?? [])].filter((k) => input.graph.state.has(k));
    if (keys.length === 0) return [];
    return one(`Add passes: [${keys.join(', ')}] to ${q(id)}`, insertKeys(input.text, ['nodes', id], [['passes', keys]], beforeTransitions(input, id), p));
  },

  // A reference that names nothing, with a close existing name: use that name.
  AG002(d, data, input) {
    const name = str(data.name);
    const ref = str(data.ref);
    if (!name || !ref) return [];
    const { graph } = input;
    const ids = [...graph.nodes.keys()];
    const candidates: Record<string, readonly string[]> = {
      entry: ids, on_error: ids, next: [...ids, END], fanout: [...ids, END], route: [...ids, END], error: [...ids, END], exhausted: [...ids, END],
      model: [...graph.models.keys()], 'fallback model': [...graph.models.keys()], tool: [...graph.tools.keys()], state: [...graph.state.keys()],
    };
    const best = /did you mean "(.*)"\?/.exec(didYouMean(name, candidates[ref] ?? []))?.[1];
    if (!best) return [];
    const { text } = input;
    const r = d.range;
    const quoted = text[r.start] === '"' || text[r.start] === "'";
    const start = quoted ? r.start + 1 : r.start;
    if (!text.startsWith(name, start)) return [];
    const json = /^\s*\{\s*"/.test(text.slice(0, 200));
    return one(`Change ${q(name)} to ${q(best)}`, { range: { start, end: start + name.length }, newText: quoted ? best : renderValue(best, json) });
  },
};

/** The rule codes that have quick fixes. */
export const FIXABLE = new Set(Object.keys(BUILDERS));

/** The quick fixes for these diagnostics (of the given text), each checked to leave a valid file. */
export function quickFixes(input: FixInput, diagnostics: readonly AgDiagnostic[]): Fix[] {
  const wanted = diagnostics.filter((d) => !d.suppressed && FIXABLE.has(d.code));
  if (wanted.length === 0) return [];
  const parsed = parseForEdit(input.text);
  if (!parsed) return [];
  const before = countAg001(input.text, input.uri);
  const out: Fix[] = [];
  for (const d of wanted) {
    let fixes: Omit<Fix, 'diagnostic'>[] = [];
    try {
      fixes = BUILDERS[d.code](d, d.data ?? {}, input, parsed);
    } catch {
      fixes = []; // A fix that cannot be computed is not offered; the diagnostic stays.
    }
    for (const f of fixes) if (leavesValidFile(input, f.edits, before)) out.push({ ...f, diagnostic: d });
  }
  return out;
}

function countAg001(text: string, uri: string): number {
  return parseAgentGraph(text, uri).diagnostics.filter((d) => d.code === 'AG001').length;
}

function leavesValidFile(input: FixInput, edits: readonly TextEdit[], ag001Before: number): boolean {
  if (edits.length === 0) return false;
  const after = parseAgentGraph(applyEdits(input.text, edits), input.uri);
  return !!after.graph && after.diagnostics.filter((d) => d.code === 'AG001').length <= ag001Before;
}

