// Completion as plain data: node ids wherever a target is expected, model and tool names, state keys, data
// classes, the keys of the format with their documentation (from the schema), the values of closed sets, and
// snippets for common node shapes. It reads the context from the text (features/cursor.ts), so it works while
// the document is incomplete; names come from the last graph that could be read. In an overlay (`source:`) the
// keys are the overlay form's, and the node ids under `nodes:` the code graph's.
import { END, type AgentGraph, type GraphNode, type Range } from '../core/ir.ts';
import { cursorContext, type CursorContext } from './cursor.ts';
import { formOf, keysAt, valuesAt, type Form, type KeyDoc } from './schemaDocs.ts';
import { describeModel, describeTool, nodeSummary } from './describe.ts';

export type CompletionKind = 'node' | 'end' | 'model' | 'tool' | 'state' | 'data' | 'key' | 'value' | 'snippet' | 'file';

export interface CompletionEntry {
  readonly label: string;
  readonly kind: CompletionKind;
  /** One line shown beside the label. */
  readonly detail?: string;
  /** Markdown. */
  readonly documentation?: string;
  readonly insertText: string;
  /** `insertText` is a snippet (tab stops `$1`, choices `${1|a,b|}`). */
  readonly snippet?: boolean;
  /** The range the completion replaces (offsets). */
  readonly range: Range;
  readonly sortText?: string;
  readonly filterText?: string;
  /** The editor should suggest again after inserting (a key whose value has completions of its own). */
  readonly retrigger?: boolean;
  /** The name this item stands for, when its documentation was left for later (`lazyDocs`): see `documentationOf`. */
  readonly ref?: { readonly kind: 'node' | 'model' | 'tool'; readonly name: string };
}

export interface CompletionInput {
  readonly text: string;
  readonly offset: number;
  /** The last graph read from this document (possibly from an earlier text), for names. */
  readonly graph?: AgentGraph;
  /** Relative paths of other agent graph files, for `graph:` of a subgraph node. */
  readonly graphFiles?: readonly string[];
  /** Offer snippets for new nodes (default true). */
  readonly snippets?: boolean;
  /** Leave out the documentation of node, model and tool names (a long list stays small); `documentationOf` gives it. */
  readonly lazyDocs?: boolean;
}

/** The documentation of a name left out of a completion item. */
export function documentationOf(graph: AgentGraph, ref: NonNullable<CompletionEntry['ref']>): string | undefined {
  if (ref.kind === 'node') {
    const node = graph.nodes.get(ref.name);
    return node ? nodeSummary(graph, node) : undefined;
  }
  return ref.kind === 'model' ? describeModel(graph, ref.name) : describeTool(graph, ref.name);
}

/** Keys whose value is a node id: (path predicate, key). */
function isTargetKey(path: readonly string[], key: string, form: Form): boolean {
  // An overlay declares no transitions, and its `entry` comes from the code.
  if (form === 'overlay') return false;
  if (path.length === 0) return key === 'entry' || key === 'on_error';
  if (path.length === 1 && path[0] === 'defaults') return key === 'on_error';
  if (path.length === 2 && path[0] === 'nodes') return key === 'next' || key === 'on_error' || key === 'on_exhausted';
  if (path.length === 3 && path[0] === 'nodes' && path[2] === 'routes') return true;
  return false;
}

function nameKind(path: readonly string[], key: string): 'model' | 'tool' | 'state' | 'data' | undefined {
  const inNode = path.length === 2 && path[0] === 'nodes';
  if (inNode && (key === 'model' || key === 'fallback_models')) return 'model';
  if (inNode && (key === 'tool' || key === 'tools')) return 'tool';
  if (inNode && (key === 'reads' || key === 'writes' || key === 'passes')) return 'state';
  if (path.length === 2 && path[0] === 'policies' && key === 'tools') return 'tool';
  if (path.length === 2 && path[0] === 'policies' && key === 'data') return 'data';
  if (path.length === 2 && path[0] === 'models' && key === 'allows') return 'data';
  if (path.length === 2 && path[0] === 'state' && key === 'data') return 'data';
  return undefined;
}

export function complete(input: CompletionInput): CompletionEntry[] {
  const ctx = cursorContext(input.text, input.offset);
  if (!ctx) return [];
  const form = formOf(input.text, input.graph);
  if (ctx.where === 'item') {
    // A block list item: the first key of a map item (policies, success), or a value of a list of names.
    const itemKeys = keysAt([...ctx.path, ctx.key, '-'], undefined, form);
    if (itemKeys.length > 0) return keyItems({ ...ctx, where: 'key', path: [...ctx.path, ctx.key, '-'] }, input, form);
    return valueItems({ ...ctx, where: 'value', key: ctx.key, inList: true }, input, form);
  }
  if (ctx.where === 'key') return keyItems(ctx, input, form);
  return valueItems(ctx, input, form);
}

type KeyCtx = CursorContext & { where: 'key' };
type ValueCtx = CursorContext & { where: 'value' };

function nodeOf(path: readonly string[], graph: AgentGraph | undefined): GraphNode | undefined {
  return path[0] === 'nodes' && path.length >= 2 ? graph?.nodes.get(path[1]) : undefined;
}

function kindAt(ctx: CursorContext, graph: AgentGraph | undefined, form: Form): string | undefined {
  // An overlay's node has no kind: its keys are the same whatever the code's node is.
  if (form === 'overlay' || !(ctx.path.length === 2 && ctx.path[0] === 'nodes')) return undefined;
  return ctx.siblings.get('kind') ?? nodeOf(ctx.path, graph)?.kind;
}

/** The text to insert for a value, quoted as the document needs. */
function valueText(ctx: CursorContext, value: string, isString = true): string {
  if (ctx.inQuotes || !isString) return value;
  if (ctx.json) return JSON.stringify(value);
  return /^[A-Za-z_][A-Za-z0-9_./-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(value) ? value : JSON.stringify(value);
}

function valueRange(ctx: CursorContext, text: string): { range: Range; lead: string } {
  // `next:|` with no space yet: the value needs one.
  return { range: ctx.range, lead: !ctx.inQuotes && text[ctx.range.start - 1] === ':' ? ' ' : '' };
}

function valueItems(ctx: ValueCtx, input: CompletionInput, form: Form): CompletionEntry[] {
  const { graph, text } = input;
  const { range, lead } = valueRange(ctx, text);
  const out: CompletionEntry[] = [];
  if (isTargetKey(ctx.path, ctx.key, form)) {
    const self = ctx.path[0] === 'nodes' ? ctx.path[1] : undefined;
    const recovery = ctx.key === 'on_error' || ctx.key === 'on_exhausted';
    let i = 0;
    for (const node of graph?.nodes.values() ?? []) {
      i++;
      // Recovery targets: people and handoffs first; the node itself last everywhere.
      const rank = node.id === self ? 3 : recovery && (node.kind === 'human' || node.kind === 'handoff') ? 0 : 1;
      out.push({
        label: node.id,
        kind: 'node',
        detail: node.kind ? `${node.kind} node` : 'node',
        ...(input.lazyDocs ? { ref: { kind: 'node' as const, name: node.id } } : { documentation: nodeSummary(graph!, node) }),
        insertText: lead + valueText(ctx, node.id),
        range,
        sortText: `${rank}${String(i).padStart(6, '0')}`,
      });
    }
    if (!(ctx.path.length === 0 && ctx.key === 'entry')) {
      out.push({ label: END, kind: 'end', detail: 'end of the run', documentation: 'Ends the run successfully.', insertText: lead + valueText(ctx, END), range, sortText: '2' });
    }
    return out;
  }
  const names = nameKind(ctx.path, ctx.key);
  if (names === 'model') {
    for (const m of graph?.models.values() ?? []) out.push({ label: m.name, kind: 'model', detail: [m.provider, m.model].filter(Boolean).join(' ') || 'model', ...(input.lazyDocs ? { ref: { kind: 'model' as const, name: m.name } } : { documentation: describeModel(graph!, m.name) }), insertText: lead + valueText(ctx, m.name), range });
    return out;
  }
  if (names === 'tool') {
    for (const t of graph?.tools.values() ?? []) out.push({ label: t.name, kind: 'tool', detail: t.effect ? `${t.effect} tool` : 'tool', ...(input.lazyDocs ? { ref: { kind: 'tool' as const, name: t.name } } : { documentation: describeTool(graph!, t.name) }), insertText: lead + valueText(ctx, t.name), range });
    return out;
  }
  if (names === 'state') {
    for (const s of graph?.state.values() ?? []) {
      const what = [s.type, s.input ? 'input' : undefined, s.data.length ? `data: ${s.data.join(', ')}` : undefined].filter(Boolean).join(' · ');
      out.push({ label: s.name, kind: 'state', detail: what || 'state key', insertText: lead + valueText(ctx, s.name), range });
    }
    return out;
  }
  if (names === 'data') {
    const classes = new Set<string>();
    for (const s of graph?.state.values() ?? []) s.data.forEach((d) => classes.add(d));
    for (const m of graph?.models.values() ?? []) m.allows.forEach((d) => classes.add(d));
    for (const p of graph?.policies ?? []) p.data.forEach((d) => classes.add(d));
    for (const c of classes) out.push({ label: c, kind: 'data', detail: 'data class', insertText: lead + valueText(ctx, c), range });
    return out;
  }
  if (form === 'graph' && ctx.path.length === 2 && ctx.path[0] === 'nodes' && ctx.key === 'graph') {
    for (const f of input.graphFiles ?? []) out.push({ label: f, kind: 'file', detail: 'agent graph file', insertText: lead + valueText(ctx, f), range });
    return out;
  }
  const kind = kindAt(ctx, graph, form);
  for (const v of valuesAt(ctx.path, ctx.key, kind, form)) {
    out.push({ label: v.value, kind: 'value', detail: ctx.key, documentation: v.doc, insertText: lead + valueText(ctx, v.value), range });
  }
  if (ctx.key === 'retry' && !ctx.inQuotes && !ctx.inList) {
    const snippet = ctx.json ? '{ "attempts": ${1:3}, "backoff": "${2|exponential,fixed,none|}" }' : '{ attempts: ${1:3}, backoff: ${2|exponential,fixed,none|} }';
    out.push({ label: '{ attempts, backoff }', kind: 'snippet', detail: 'retry transient failures', documentation: 'Retries timeouts, rate limits and server errors; do not retry a non-idempotent write.', insertText: lead + snippet, snippet: true, range, filterText: 'attempts' });
  }
  return out;
}

/** Keys that take a list: inserted as `key: [$1]`. */
function isList(k: KeyDoc): boolean {
  return k.type.startsWith('list of');
}

function hasValueCompletions(path: readonly string[], key: string, kind: string | undefined, form: Form): boolean {
  return isTargetKey(path, key, form) || nameKind(path, key) !== undefined || valuesAt(path, key, kind, form).length > 0 || (form === 'graph' && key === 'graph' && path[0] === 'nodes');
}

/** Keys an overlay may hold but that completion does not offer: `entry` is only checked against the code's. */
const OVERLAY_QUIET = new Set(['entry']);

function keyItems(ctx: KeyCtx, input: CompletionInput, form: Form): CompletionEntry[] {
  const { text, graph } = input;
  // In an overlay the nodes are the code's: offer the ones not refined yet, each with what code cannot say (none
  // while the code graph is not known: a new node there would apply to nothing).
  if (ctx.path.length === 1 && ctx.path[0] === 'nodes' && form === 'overlay') return graph?.source ? overlayNodeItems(ctx, graph) : [];
  if (ctx.path.length === 1 && ctx.path[0] === 'nodes') return input.snippets === false || ctx.json ? [] : nodeSnippets(ctx, graph);
  // Maps whose keys are names the user chooses: nothing to offer.
  if (ctx.path.length === 1 && ['models', 'tools', 'state'].includes(ctx.path[0])) return [];
  if (ctx.path.length === 3 && ctx.path[0] === 'nodes' && ctx.path[2] === 'routes') return [];
  const kind = kindAt(ctx, graph, form);
  const existing = new Set(ctx.siblings.keys());
  // A node's keys in the last graph read (an overlay's merged node also holds the code's: not written here).
  const node = form === 'graph' ? nodeOf(ctx.path, graph) : undefined;
  if (node && ctx.path.length === 2) for (const f of node.fields.keys()) existing.add(f);
  // Typing over an existing key (`ma|x_visits: 3`) replaces the name only.
  let range = ctx.range;
  let closeQuote = '';
  if (ctx.inQuotes && text[range.end] === '"') {
    range = { start: range.start, end: range.end + 1 };
    closeQuote = '"';
  }
  const colonAfter = /^\s*:/.test(text.slice(range.end, range.end + 20));
  const out: CompletionEntry[] = [];
  const keys = keysAt(ctx.path, kind, form);
  keys.forEach((k, i) => {
    if (existing.has(k.key) && k.key !== ctx.prefix) return;
    if (form === 'overlay' && ctx.path.length === 0 && OVERLAY_QUIET.has(k.key)) return;
    if (ctx.path.length === 2 && ctx.path[0] === 'nodes' && (k.key === 'next' ? existing.has('routes') : k.key === 'routes' ? existing.has('next') : false)) return;
    const name = ctx.json ? (ctx.inQuotes ? `${k.key}${closeQuote || '"'}` : `"${k.key}"`) : k.key;
    let insertText = colonAfter ? (ctx.json && ctx.inQuotes ? k.key : name) : `${name}: `;
    let snippet = false;
    if (!colonAfter && isList(k) && !(ctx.path.length === 2 && ctx.path[0] === 'nodes' && k.key === 'next')) {
      insertText = `${escapeSnippet(name)}: [$1]`;
      snippet = true;
    } else if (!colonAfter && !ctx.json && k.key === 'routes') {
      insertText = 'routes: { ${1:label}: $2 }';
      snippet = true;
    }
    const docs = [k.doc, `\`${k.key}\`: ${k.type}${k.required ? ' (required)' : ''}`, k.kinds ? `For ${k.kinds.map((x) => `\`${x}\``).join(', ')} nodes.` : undefined].filter(Boolean).join('\n\n');
    out.push({
      label: k.key,
      kind: 'key',
      detail: k.required ? `${k.type} · required` : k.type,
      documentation: docs,
      insertText,
      snippet,
      range,
      // Required keys first, then the schema's order.
      sortText: `${k.required ? 0 : 1}${String(i).padStart(3, '0')}`,
      retrigger: !colonAfter && hasValueCompletions(ctx.path, k.key, kind, form),
    });
  });
  return out;
}

function escapeSnippet(s: string): string {
  return s.replace(/[$}\\]/g, '\\$&');
}

function choice(values: readonly string[], fallback: string): string {
  const vs = values.slice(0, 30).map((v) => v.replace(/[,|\\$}]/g, '\\$&'));
  return vs.length > 0 ? `|${vs.join(',')}|` : `:${fallback}`;
}

/** Snippets for common node shapes, with the graph's own models, tools and nodes as choices. */
function overlayNodeItems(ctx: KeyCtx, graph: AgentGraph): CompletionEntry[] {
  const existing = new Set(ctx.siblings.keys());
  const out: CompletionEntry[] = [];
  for (const n of graph.nodes.values()) {
    if (n.id === '__start__' || existing.has(n.id)) continue;
    const calls = n.kind === 'llm' || n.kind === 'agent';
    const body = calls ? '{ input_tokens: ${1:1000} }' : n.kind === 'tool' ? '{ timeout_s: ${1:10} }' : '{ $1 }';
    out.push({
      label: n.id, kind: 'node', detail: `${n.kind ?? 'node'} node of the code`, ref: { kind: 'node', name: n.id },
      insertText: `${n.id}: ${body}`, snippet: true, range: ctx.range, filterText: n.id,
    });
  }
  return out;
}

function nodeSnippets(ctx: KeyCtx, graph: AgentGraph | undefined): CompletionEntry[] {
  const models = [...(graph?.models.keys() ?? [])];
  const tools = [...(graph?.tools.keys() ?? [])];
  const nodes = [...(graph?.nodes.keys() ?? [])];
  const targets = [END, ...nodes];
  const recovery = nodes.filter((id) => ['human', 'handoff'].includes(graph?.nodes.get(id)?.kind ?? ''));
  const needsOnError = !graph?.onError;
  const t = (n: number, values: readonly string[], fallback: string) => `\${${n}${choice(values, fallback)}}`;
  const onError = (n: number) => (needsOnError ? `\n  on_error: ${t(n, recovery.length ? recovery : nodes, 'escalate')}` : '');
  const shapes: { label: string; detail: string; body: string; doc: string }[] = [
    {
      label: 'llm node',
      detail: 'one model call, capped',
      doc: 'A model call with its cost inputs (`input_tokens`, `max_output_tokens`), its state keys and where it goes next.',
      body: `\${1:id}:\n  kind: llm\n  model: ${t(2, models, 'model')}\n  input_tokens: \${3:1000}\n  max_output_tokens: \${4:500}\n  reads: [$5]\n  writes: [$6]${onError(7)}\n  next: ${t(8, targets, 'END')}`,
    },
    {
      label: 'tool node',
      detail: 'one tool call, with recovery',
      doc: 'A tool call. For a non-idempotent write, use `retry: none` and `approval: human`.',
      body: `\${1:id}:\n  kind: tool\n  tool: ${t(2, tools, 'tool')}\n  reads: [$3]\n  writes: [$4]${onError(5)}\n  next: ${t(6, targets, 'END')}`,
    },
    {
      label: 'router node',
      detail: 'chooses a route',
      doc: 'Pure code that only chooses a route: a map from route label to target.',
      body: `\${1:id}:\n  kind: router\n  reads: [$2]\n  routes:\n    \${3:yes}: ${t(4, targets, 'END')}\n    \${5:no}: ${t(6, targets, 'END')}`,
    },
    {
      label: 'review loop node',
      detail: 'llm with routes and a loop guard',
      doc: 'A model that approves or sends work back, with `max_visits` and `on_exhausted` so the loop always ends.',
      body: `\${1:review}:\n  kind: llm\n  model: ${t(2, models, 'model')}\n  input_tokens: \${3:1000}\n  max_output_tokens: \${4:200}\n  reads: [$5]\n  routes: { approve: ${t(6, targets, 'END')}, revise: ${t(7, nodes, 'draft')} }\n  max_visits: \${8:3}\n  on_exhausted: ${t(9, recovery.length ? recovery : targets, 'escalate')}`,
    },
    {
      label: 'agent node',
      detail: 'inner agent loop, bounded',
      doc: 'An inner agent loop (such as ReAct), bounded by `max_iterations`, with its output capped.',
      body: `\${1:id}:\n  kind: agent\n  model: ${t(2, models, 'model')}\n  tools: [${t(3, tools, 'tool')}]\n  max_iterations: \${4:10}\n  input_tokens: \${5:4000}\n  max_output_tokens: \${6:1000}\n  reads: [$7]\n  writes: [$8]${onError(9)}\n  next: ${t(10, targets, 'END')}`,
    },
    {
      label: 'human node',
      detail: 'waits for a person',
      doc: 'Waits for a person: a good recovery target (`on_error`, `on_exhausted`).',
      body: `\${1:escalate}:\n  kind: human\n  reads: [$2]\n  next: ${t(3, targets, 'END')}`,
    },
    {
      label: 'handoff node',
      detail: 'hands the run over, with a contract',
      doc: 'Transfers the run to another agent or team; `passes` lists the state keys it must receive.',
      body: `\${1:handover}:\n  kind: handoff\n  to: \${2:team}\n  passes: [$3]\n  next: ${t(4, targets, 'END')}`,
    },
    {
      label: 'subgraph node',
      detail: 'runs another graph file',
      doc: 'Runs another agent graph file; `passes` must include each key it declares `input: true`.',
      body: `\${1:id}:\n  kind: subgraph\n  graph: \${2:./other.agentgraph.yaml}\n  passes: [$3]\n  writes: [$4]${onError(5)}\n  next: ${t(6, targets, 'END')}`,
    },
  ];
  // The id typed so far becomes the new node's id.
  const id = /^[a-z0-9][a-z0-9_-]*$/.test(ctx.prefix) ? ctx.prefix : undefined;
  return shapes.map((s, i) => ({
    label: s.label,
    kind: 'snippet' as const,
    detail: s.detail,
    documentation: s.doc + '\n\n```yaml\n' + s.body.replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1').replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d+/g, '') + '\n```',
    insertText: id ? s.body.replace(/^\$\{1:[^}]*\}/, `\${1:${id}}`) : s.body,
    snippet: true,
    range: ctx.range,
    sortText: String(i).padStart(2, '0'),
    filterText: ctx.prefix ? `${ctx.prefix} ${s.label}` : s.label,
  }));
}
