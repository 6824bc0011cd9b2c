// The YAML/JSON frontend: source text -> IR with source ranges, plus AG001 for everything the format rejects.
// JSON goes through the same path: the `yaml` parser reads JSON as the YAML it is.
import { parseDocument, isCollection, isMap, isSeq, visit, type Document } from 'yaml';
import type { AgDiagnostic } from '../../core/diagnostic.ts';
import {
  END, FAILING_KINDS, NODE_KINDS,
  type AgentGraph, type GraphNode, type NodeKind, type Origin, type Range, type Ref, type RetryPolicy, type StateKey,
  type ModelProfile, type ToolSpec, type Policy, type SuccessCriterion, type Transition, type StateRead,
} from '../../core/ir.ts';
import { agentGraphSchema, isOverlayDocument, overlaySchema } from './schema.ts';
import { issuesToDiagnostics } from './issues.ts';
import { scanSuppressions } from '../suppressions.ts';
import { bool, get, getPair, keyName, num, pairs, rangeOf, str, strItems, type AnyNode } from './yamlAst.ts';

import { MAX_SOURCE_CHARS } from '../frontend.ts';

export { MAX_SOURCE_CHARS };

export interface FrontendResult {
  /** Undefined when the text is not a readable document at all (syntax error, binary, too large). */
  readonly graph?: AgentGraph;
  readonly diagnostics: AgDiagnostic[];
}

export function isAgentGraphFile(path: string): boolean {
  return /\.agentgraph\.(ya?ml|json)$/i.test(path);
}

export function parseAgentGraph(text: string, uri: string): FrontendResult {
  const start: Range = { start: 0, end: Math.min(text.indexOf('\n') >= 0 ? text.indexOf('\n') : text.length, 200) };
  if (text.length > MAX_SOURCE_CHARS) {
    const mb = (text.length / (1024 * 1024)).toFixed(1);
    return fatal(`this file is ${mb} MB, over the ${MAX_SOURCE_CHARS / 1024 / 1024} MB that AgentGraph analyses: a graph this large is generated or not an agent graph; split it into subgraph files`, start);
  }
  if (looksBinary(text)) {
    return fatal('this file is binary, not an agent graph: save it as UTF-8 YAML or JSON', start);
  }

  let doc: Document;
  try {
    // logLevel 'error': the library's warnings become findings below; it never writes to the console itself.
    doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, keepSourceTokens: false, logLevel: 'error' });
  } catch (e) {
    return fatal(`this file cannot be read as YAML: ${(e as Error).message}`, start);
  }
  if (doc.errors.length > 0) {
    const diagnostics = doc.errors.slice(0, 20).map((e): AgDiagnostic => {
      const [s, t] = e.pos;
      return { code: 'AG001', severity: 'error', message: `syntax error: ${firstSentence(e.message)}`, range: { start: s, end: Math.max(t, s + 1) } };
    });
    return { diagnostics };
  }
  if (!isMap(doc.contents)) {
    const what = doc.contents === null ? 'empty' : 'not a map of keys';
    return fatal(`this document is ${what}: an agent graph starts with \`agentgraph: 1\`, \`name\`, \`entry\` and \`nodes\``, start);
  }

  const yamlFindings = yamlWarnings(doc, text);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    return fatal(`this document cannot be expanded: ${(e as Error).message}`, start);
  }
  const isOverlay = isOverlayDocument(value);
  const parsed = (isOverlay ? overlaySchema : agentGraphSchema).safeParse(value);
  const diagnostics = [...yamlFindings, ...(parsed.success ? [] : issuesToDiagnostics(doc, parsed.error.issues))];
  // `next` with `routes` is checked here rather than in the schema, so that it is reported alongside other
  // mistakes in the same node (a zod refinement only runs once everything else passes).
  for (const p of pairs(get(doc.contents as AnyNode, 'nodes'))) {
    const routes = getPair(p.value as AnyNode, 'routes');
    if (routes && getPair(p.value as AnyNode, 'next')) {
      const id = keyName(p) ?? '?';
      diagnostics.push({ code: 'AG001', severity: 'error', range: rangeOf(routes.key as AnyNode, rangeOf(p.key as AnyNode, { start: 0, end: 0 })), message: `node "${id}" has both next and routes: a node either goes on unconditionally or chooses a route; keep one` });
    }
  }
  if (isOverlay) {
    // An overlay declares no transitions: say so plainly instead of the schema's "does not apply" message.
    const TRANSITIONS = ['next', 'routes', 'on_error', 'on_exhausted', 'max_visits', 'kind'];
    const places: Range[] = [];
    for (const p of pairs(get(doc.contents as AnyNode, 'nodes'))) {
      for (const f of pairs(p.value as AnyNode)) {
        const k = keyName(f);
        if (k && TRANSITIONS.includes(k)) places.push(rangeOf(f.key as AnyNode, start));
      }
    }
    for (const k of ['on_error']) {
      const pair = getPair(doc.contents as AnyNode, k);
      if (pair) places.push(rangeOf(pair.key as AnyNode, start));
    }
    for (const r of places) {
      const lineEnd = text.indexOf('\n', r.start) < 0 ? text.length : text.indexOf('\n', r.start);
      for (let i = diagnostics.length - 1; i >= 0; i--) if (diagnostics[i].range.start >= r.start && diagnostics[i].range.start <= lineEnd) diagnostics.splice(i, 1);
      diagnostics.push({ code: 'AG001', severity: 'error', range: r, message: `"${text.slice(r.start, r.end)}" cannot be set in an overlay: the graph's nodes, edges and loop guards come from its source code (source:); change them there, and keep production policies (budget, prices, input_tokens, tools, tracing, success) here` });
    }
  }
  const graph = buildGraph(doc, text, uri);
  return { graph, diagnostics };
}

/**
 * What the `yaml` library would warn about, as findings at their place: a key that is a list or a map (`? [a, b]`,
 * which would be read as the text "[ a, b ]"), and the document's own warnings (an unknown tag, say).
 */
function yamlWarnings(doc: Document, text: string): AgDiagnostic[] {
  const out: AgDiagnostic[] = [];
  visit(doc, {
    Pair(_, pair) {
      if (!isCollection(pair.key) || !pair.key.range || out.length >= 20) return;
      const [start, end] = pair.key.range;
      let shown = text.slice(start, end).trim().replace(/\s+/g, ' ');
      if (shown.length > 40) shown = `${shown.slice(0, 39)}…`;
      out.push({
        code: 'AG001', severity: 'error', range: { start, end: Math.max(end, start + 1) },
        message: `a key must be a name, not a ${isSeq(pair.key) ? 'list' : 'map'} (${shown}): write the key as plain text`,
      });
    },
  });
  for (const w of doc.warnings.slice(0, 20)) {
    const [s, t] = w.pos;
    out.push({ code: 'AG001', severity: 'warning', message: `YAML: ${firstSentence(w.message)}`, range: { start: s, end: Math.max(t, s + 1) } });
  }
  return out;
}

function fatal(message: string, range: Range): FrontendResult {
  return { diagnostics: [{ code: 'AG001', severity: 'error', message, range }] };
}

function firstSentence(message: string): string {
  const line = message.split('\n')[0].trim();
  return line.charAt(0).toLowerCase() + line.slice(1);
}

function looksBinary(text: string): boolean {
  const head = text.slice(0, 8192);
  if (head.includes('\u0000')) return true;
  let odd = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c === 0xfffd || (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12)) odd++;
  }
  return head.length > 0 && odd / head.length > 0.1;
}

// Building the IR. Lenient on purpose: AG001 has already reported every deviation from the schema, so here
// a value of the wrong type is skipped and the rest of the graph is still analysed while the user types.

function buildGraph(doc: Document, text: string, uri: string): AgentGraph {
  const root = doc.contents as AnyNode;
  const rootRange = rangeOf(root, { start: 0, end: text.length });
  const keys = new Map<string, Range>();
  for (const p of pairs(root)) {
    const k = keyName(p);
    if (k !== undefined) keys.set(k, rangeOf(p.key as AnyNode, rootRange));
  }
  const ref = (n: AnyNode): Ref | undefined => {
    const s = str(n);
    return s === undefined ? undefined : { value: s, range: rangeOf(n, rootRange) };
  };
  const numRef = (n: AnyNode): Ref<number> | undefined => {
    const v = num(n);
    return v === undefined ? undefined : { value: v, range: rangeOf(n, rootRange) };
  };

  const state = new Map<string, StateKey>();
  for (const p of pairs(get(root, 'state'))) {
    const name = keyName(p);
    if (name === undefined) continue;
    const v = p.value as AnyNode;
    state.set(name, {
      name,
      type: str(v) ?? str(get(v, 'type')),
      input: bool(get(v, 'input')) ?? false,
      data: strItems(get(v, 'data')).map((d) => d.value),
      range: rangeOf(p.key as AnyNode, rootRange),
    });
  }

  const models = new Map<string, ModelProfile>();
  for (const p of pairs(get(root, 'models'))) {
    const name = keyName(p);
    if (name === undefined) continue;
    const v = p.value as AnyNode;
    models.set(name, {
      name,
      provider: str(get(v, 'provider')),
      model: str(get(v, 'model')),
      inputUsdPerMtok: num(get(v, 'input_usd_per_mtok')),
      outputUsdPerMtok: num(get(v, 'output_usd_per_mtok')),
      allows: strItems(get(v, 'allows')).map((d) => d.value),
      range: rangeOf(p.key as AnyNode, rootRange),
    });
  }

  const tools = new Map<string, ToolSpec>();
  for (const p of pairs(get(root, 'tools'))) {
    const name = keyName(p);
    if (name === undefined) continue;
    const v = p.value as AnyNode;
    const effectRaw = str(get(v, 'effect'));
    const effect = effectRaw === 'none' || effectRaw === 'read' || effectRaw === 'write' ? effectRaw : undefined;
    tools.set(name, {
      name,
      effect,
      timeoutS: num(get(v, 'timeout_s')),
      rateLimit: str(get(v, 'rate_limit')),
      usdPerCall: num(get(v, 'usd_per_call')),
      idempotent: bool(get(v, 'idempotent')) ?? effect !== 'write',
      range: rangeOf(p.key as AnyNode, rootRange),
    });
  }

  const budgetNode = get(root, 'budget');
  const budget = isMap(budgetNode)
    ? {
        usd: num(get(budgetNode, 'usd')),
        tokens: num(get(budgetNode, 'tokens')),
        steps: num(get(budgetNode, 'steps')),
        toolCalls: num(get(budgetNode, 'tool_calls')),
        wallS: num(get(budgetNode, 'wall_s')),
        range: keys.get('budget') ?? rootRange,
        fields: keyRanges(budgetNode, keys.get('budget') ?? rootRange),
      }
    : undefined;

  const defaults = get(root, 'defaults');
  const defaultRetry = retryOf(getPair(defaults, 'retry'), 'defaults', rootRange);
  const defaultTimeout = numRef(get(defaults, 'timeout_s'));
  const defaultOnError = ref(get(defaults, 'on_error'));
  const graphOnError = ref(get(root, 'on_error'));

  const nodes = new Map<string, GraphNode>();
  for (const p of pairs(get(root, 'nodes'))) {
    const id = keyName(p);
    if (id === undefined || nodes.has(id)) continue;
    const v = p.value as AnyNode;
    const idRange = rangeOf(p.key as AnyNode, rootRange);
    const fields = new Map<string, Range>();
    for (const f of pairs(v)) {
      const k = keyName(f);
      if (k !== undefined) fields.set(k, rangeOf(f.key as AnyNode, idRange));
    }
    const kindRaw = str(get(v, 'kind'));
    const kind = (NODE_KINDS as readonly string[]).includes(kindRaw ?? '') ? (kindRaw as NodeKind) : undefined;

    const out: Transition[] = [];
    const nextNode = get(v, 'next');
    const nextItems = strItems(nextNode);
    const fanout = nextItems.length > 1 || (nextItems.length === 1 && str(nextNode) === undefined);
    for (const t of nextItems) out.push({ from: id, to: t.value, kind: fanout && nextItems.length > 1 ? 'fanout' : 'next', range: t.range, origin: 'node' });
    for (const r of pairs(get(v, 'routes'))) {
      const label = keyName(r);
      const target = ref(r.value as AnyNode);
      if (label !== undefined && target) out.push({ from: id, to: target.value, kind: 'route', label, range: target.range, origin: 'node' });
    }

    // The effective recovery target: the node's own, then `defaults`, then the graph's. The graph's target is
    // the last resort: neither the graph's nor an inherited on_error applies to it.
    const own = ref(get(v, 'on_error'));
    let onError: (Ref & { origin: Origin }) | undefined;
    if (own) onError = { ...own, origin: 'node' };
    else if (defaultOnError && defaultOnError.value !== id && graphOnError?.value !== id) onError = { ...defaultOnError, origin: 'defaults' };
    else if (graphOnError && graphOnError.value !== id) onError = { ...graphOnError, origin: 'graph' };
    const canFail = kind !== undefined && FAILING_KINDS.has(kind);
    if (onError && (canFail || onError.origin === 'node')) out.push({ from: id, to: onError.value, kind: 'error', range: onError.range, origin: onError.origin });

    const onExhausted = ref(get(v, 'on_exhausted'));
    if (onExhausted) out.push({ from: id, to: onExhausted.value, kind: 'exhausted', range: onExhausted.range, origin: 'node' });

    const ownTimeout = numRef(get(v, 'timeout_s'));
    const timeoutS = ownTimeout ? { ...ownTimeout, origin: 'node' as Origin } : defaultTimeout ? { ...defaultTimeout, origin: 'defaults' as Origin } : undefined;
    const reads: StateRead[] = strItems(get(v, 'reads')).map((r) =>
      r.value.endsWith('?') ? { key: r.value.slice(0, -1), optional: true, range: r.range } : { key: r.value, optional: false, range: r.range },
    );
    const passesNode = get(v, 'passes');
    const approvalNode = get(v, 'approval');

    nodes.set(id, {
      id,
      kind,
      range: idRange,
      bodyRange: rangeOf(v, idRange),
      fields,
      model: ref(get(v, 'model')),
      fallbackModels: strItems(get(v, 'fallback_models')),
      inputTokens: num(get(v, 'input_tokens')),
      maxOutputTokens: num(get(v, 'max_output_tokens')),
      tool: ref(get(v, 'tool')),
      tools: strItems(get(v, 'tools')),
      maxIterations: num(get(v, 'max_iterations')),
      graph: ref(get(v, 'graph')),
      to: ref(get(v, 'to')),
      passes: passesNode === undefined ? undefined : strItems(passesNode),
      reads,
      writes: strItems(get(v, 'writes')),
      retry: retryOf(getPair(v, 'retry'), 'node', idRange) ?? defaultRetry,
      timeoutS,
      onError,
      maxVisits: numRef(get(v, 'max_visits')),
      onExhausted,
      approval: str(approvalNode) === 'human' ? { value: 'human', range: rangeOf(approvalNode, idRange) } : undefined,
      out,
    });
  }

  const successNode = get(root, 'success');
  const successItems: SuccessCriterion[] = [];
  if (successNode && 'items' in (successNode as object)) {
    for (const item of (successNode as { items: AnyNode[] }).items) {
      const target = get(item, 'target');
      successItems.push({
        metric: str(get(item, 'metric')),
        target: str(target) ?? (num(target) !== undefined ? String(num(target)) : undefined),
        eval: str(get(item, 'eval')),
        range: rangeOf(item, rootRange),
      });
    }
  }

  const tracingNode = get(root, 'tracing');
  const policies: Policy[] = [];
  const policiesNode = get(root, 'policies');
  if (policiesNode && 'items' in (policiesNode as object)) {
    for (const item of (policiesNode as { items: AnyNode[] }).items) {
      const req = str(get(item, 'require'));
      policies.push({
        id: str(get(item, 'id')),
        tools: strItems(get(item, 'tools')).map((t) => t.value),
        data: strItems(get(item, 'data')).map((t) => t.value),
        require: req === 'approval' || req === 'human' || req === 'model_allows' ? req : undefined,
        range: rangeOf(item, rootRange),
      });
    }
  }

  return {
    uri,
    name: ref(get(root, 'name')),
    source: sourceOf(get(root, 'source'), ref),
    description: str(get(root, 'description')),
    entry: ref(get(root, 'entry')),
    onError: graphOnError,
    state,
    models,
    tools,
    budget,
    nodes,
    success: isSeq(successNode) ? { items: successItems, range: keys.get('success') ?? rootRange } : undefined,
    tracing: isMap(tracingNode)
      ? { exporter: str(get(tracingNode, 'exporter')), nodeAttribute: str(get(tracingNode, 'node_attribute')), serviceName: str(get(tracingNode, 'service_name')), range: keys.get('tracing') ?? rootRange }
      : undefined,
    policies,
    keys,
    root: rootRange,
    suppressions: scanSuppressions(text),
  };
}

function sourceOf(n: AnyNode, ref: (n: AnyNode) => Ref | undefined): AgentGraph['source'] {
  if (!isMap(n)) return undefined;
  const file = ref(get(n, 'file'));
  return file ? { file, graph: ref(get(n, 'graph')) } : undefined;
}

function keyRanges(map: AnyNode, fallback: Range): Map<string, Range> {
  const out = new Map<string, Range>();
  for (const p of pairs(map)) {
    const k = keyName(p);
    if (k !== undefined) out.set(k, rangeOf(p.key as AnyNode, fallback));
  }
  return out;
}

function retryOf(pair: ReturnType<typeof getPair>, origin: Origin, fallback: Range): RetryPolicy | undefined {
  if (!pair) return undefined;
  const v = pair.value as AnyNode;
  const range = rangeOf(pair.key as AnyNode, fallback);
  if (str(v) === 'none') return { none: true, attempts: 1, range, origin };
  if (!isMap(v)) return undefined;
  const attempts = num(get(v, 'attempts'));
  const backoff = str(get(v, 'backoff'));
  return {
    none: false,
    attempts: attempts !== undefined && attempts >= 1 ? Math.floor(attempts) : 1,
    backoff: backoff === 'none' || backoff === 'fixed' || backoff === 'exponential' ? backoff : undefined,
    on: strItems(get(v, 'on')).map((o) => o.value),
    range,
    origin,
  };
}

export { END };
