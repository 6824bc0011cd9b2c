// The overlay of a code-defined graph: an agent graph file with `source: { file, graph? }` holds the production
// policies that code cannot say (budget, prices, input-token estimates, tool effects, data classes, success,
// tracing, policies, node refinements); the topology comes from the code. Both files are analysed over one
// merged graph; each keeps the findings whose place is in it: a node's or an edge's in the code, where its fix
// goes, the policies' in the overlay. A place in the other file is marked with that file's URI.
import type { AgDiagnostic } from '../core/diagnostic.ts';
import type { AgentGraph, GraphNode, ModelProfile, Range, Ref, ToolSpec, StateKey, Origin } from '../core/ir.ts';
import { isAgentGraphFile } from '../frontends/yaml/frontend.ts';
import { basename } from '../core/uris.ts';

/** Every source range in a value, marked as a place in `uri` (ranges already marked keep their file). */
export function inFile<T>(value: T, uri: string): T {
  return mark(value, uri) as T;
}

function mark(v: unknown, uri: string): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => mark(x, uri));
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, mark(x, uri)]));
  if (v instanceof Set) return v;
  const o = v as Record<string, unknown>;
  if (typeof o.start === 'number' && typeof o.end === 'number' && Object.keys(o).every((k) => k === 'start' || k === 'end' || k === 'uri')) {
    return o.uri === undefined ? { start: o.start, end: o.end, uri } : o;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) out[k] = mark(o[k], uri);
  return out;
}

/** Whether a finding's place is in another file than `uri`. */
export function elsewhere(d: AgDiagnostic, uri: string): boolean {
  const u = (d.range as Range & { uri?: string }).uri;
  return u !== undefined && u !== uri;
}

/** A quick look, without parsing, whether an agent graph file may be an overlay of the code file `codeUri`. */
export function mayOverlay(uri: string, text: string, codeUri: string): boolean {
  return isAgentGraphFile(uri) && /^source\s*:/m.test(text) && text.includes(basename(codeUri));
}

export interface Merged {
  readonly graph: AgentGraph;
  /** Findings about the overlay itself: node ids the code does not define. Placed in the overlay. */
  readonly diagnostics: AgDiagnostic[];
}

/**
 * The code's graph with the overlay's policies, seen from `perspective` (the file being analysed): ranges of
 * the other file are marked with its URI.
 */
export function merge(code: AgentGraph, overlay: AgentGraph, overlayUri: string, perspective: 'code' | 'overlay'): Merged {
  const c = perspective === 'overlay' ? inFile(code, code.uri) : code;
  const o = perspective === 'code' ? inFile(overlay, overlayUri) : overlay;
  const diagnostics: AgDiagnostic[] = [];

  const nodes = new Map<string, GraphNode>();
  for (const n of c.nodes.values()) nodes.set(n.id, n);
  for (const r of o.nodes.values()) {
    const n = nodes.get(r.id);
    if (!n) {
      const known = [...c.nodes.keys()].filter((k) => k !== '__start__');
      diagnostics.push({
        code: 'AG002', severity: 'error', range: r.range,
        message: `node "${r.id}" is not a node of ${code.name ? `graph "${code.name.value}"` : 'the code'}: what the overlay says of it applies to nothing; name one of ${known.map((k) => `"${k}"`).join(', ') || 'the nodes the code defines'}`,
        data: { ref: 'node', name: r.id },
      });
      continue;
    }
    nodes.set(n.id, refine(n, r));
  }
  const models = new Map<string, ModelProfile>(c.models);
  for (const [name, m] of o.models) models.set(name, { ...models.get(name), ...defined(m), allows: m.allows.length > 0 ? m.allows : models.get(name)?.allows ?? [] } as ModelProfile);
  const tools = new Map<string, ToolSpec>(c.tools);
  for (const [name, t] of o.tools) tools.set(name, { ...tools.get(name), ...defined(t) } as ToolSpec);
  const state = new Map<string, StateKey>(c.state);
  for (const [name, k] of o.state) state.set(name, { ...state.get(name), ...defined(k), data: k.data.length > 0 ? k.data : state.get(name)?.data ?? [] } as StateKey);
  const budget = o.budget || c.budget
    ? { ...c.budget, ...defined(o.budget ?? {}), steps: o.budget?.steps ?? c.budget?.steps, range: (o.budget ?? c.budget)!.range, fields: new Map([...(c.budget?.fields ?? []), ...(o.budget?.fields ?? [])]) }
    : undefined;

  return {
    graph: {
      ...c,
      uri: perspective === 'code' ? code.uri : overlayUri,
      // The code's name (what LangGraph and its traces call the graph), placed where the overlay names it.
      name: c.name && o.name ? { value: c.name.value, range: o.name.range } : c.name ?? o.name,
      description: o.description ?? c.description,
      state, models, tools, budget, nodes,
      success: o.success,
      tracing: o.tracing,
      policies: o.policies,
      keys: o.keys,
      // Graph-level findings (no budget, no tracing, no success criteria) belong in the overlay.
      root: o.root,
      suppressions: perspective === 'code' ? c.suppressions : o.suppressions,
      source: o.source,
    },
    diagnostics: perspective === 'overlay' ? diagnostics : [],
  };
}

function defined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || k === 'range' || k === 'name') continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (v instanceof Map && v.size === 0) continue;
    (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/** A code node refined by the overlay's node entry (what the code cannot say). */
function refine(n: GraphNode, r: GraphNode): GraphNode {
  const fields = new Map(n.fields);
  for (const [k, v] of r.fields) fields.set(k, v);
  const retry = r.retry ? { ...r.retry, origin: 'node' as Origin } : n.retry;
  return {
    ...n,
    fields,
    model: r.model ?? n.model,
    fallbackModels: r.fallbackModels.length > 0 ? r.fallbackModels : n.fallbackModels,
    inputTokens: r.inputTokens ?? n.inputTokens,
    maxOutputTokens: r.maxOutputTokens ?? n.maxOutputTokens,
    tool: r.tool ?? n.tool,
    passes: r.passes ?? n.passes,
    reads: r.reads.length > 0 ? r.reads : n.reads,
    writes: r.writes.length > 0 ? r.writes : n.writes,
    unknownReads: r.reads.length > 0 ? false : n.unknownReads,
    unknownWrites: r.writes.length > 0 ? false : n.unknownWrites,
    retry,
    timeoutS: r.timeoutS ?? n.timeoutS,
    approval: r.approval ?? n.approval,
  };
}

export type { Ref };
