// Turns zod issues into AG001 diagnostics: a message a person can act on, at the exact place in the source.
import { isMap, isSeq, type Document } from 'yaml';
import type { z } from 'zod';
import type { AgDiagnostic } from '../../core/diagnostic.ts';
import type { Range } from '../../core/ir.ts';
import { nodeSchema } from './schema.ts';
import { locate, rangeOf, getPair, type AnyNode } from './yamlAst.ts';

type Issue = z.core.$ZodIssue;

/** The keys each node kind accepts, read from the schema so that the two never disagree. */
const KEYS_BY_KIND: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  nodeSchema.options.map((o) => [String(o.shape.kind.value), new Set(Object.keys(o.shape))] as const),
);

export function issuesToDiagnostics(doc: Document, issues: readonly Issue[]): AgDiagnostic[] {
  const out: AgDiagnostic[] = [];
  for (const issue of issues) flatten(issue, [], doc, out);
  return out;
}

function flatten(issue: Issue, prefix: readonly PropertyKey[], doc: Document, out: AgDiagnostic[]): void {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // Follow the branch that got furthest into the value: its errors are the ones that explain the mistake.
    const deepest = issue.errors.reduce((best, errs) => (depth(errs) > depth(best) ? errs : best), issue.errors[0]);
    if (depth(deepest) > 0) {
      for (const e of deepest) flatten(e, path, doc, out);
      return;
    }
  }
  const loc = locate(doc, path);
  const root = rangeOf(doc.contents as AnyNode, { start: 0, end: 0 });
  const push = (message: string, range: Range) => out.push({ code: 'AG001', severity: 'error', message, range });
  const name = describePath(path);

  switch (issue.code) {
    case 'unrecognized_keys': {
      for (const key of issue.keys) {
        const pair = getPair(loc.node, key);
        const range = rangeOf(pair?.key as AnyNode, rangeOf(loc.node, root));
        push(unknownKeyMessage(doc, path, key), range);
      }
      return;
    }
    case 'invalid_type': {
      if (!loc.found) {
        const parent = path.slice(0, -1);
        const range = loc.key ? rangeOf(loc.key, root) : firstLine(doc, root);
        push(`${describePath(parent) || 'the document'} is missing the required key "${String(path[path.length - 1])}"${hint(path)}`, range);
      } else {
        push(`${name} should be ${article(issue.expected)}, found ${describeValue(loc.node)}`, rangeOf(loc.node, root));
      }
      return;
    }
    case 'invalid_union': {
      if ((issue as { note?: string }).note === 'No matching discriminator') {
        const options = (issue as { options?: unknown[] }).options ?? [];
        const range = loc.found ? rangeOf(loc.node, root) : loc.key ? rangeOf(loc.key, root) : root;
        if (!loc.found) push(`${describePath(path.slice(0, -1))} has no "kind": say what it is, one of ${options.join(', ')}`, range);
        else push(`${name} must be one of ${options.join(', ')}, found ${describeValue(loc.node)}${didYouMean(scalarText(loc.node), options.map(String))}`, range);
        return;
      }
      push(`${name} has an invalid value ${describeValue(loc.node)}${hint(path)}`, rangeOf(loc.node, root));
      return;
    }
    case 'invalid_value': {
      const values = issue.values.map((v) => JSON.stringify(v));
      const range = loc.found ? rangeOf(loc.node, root) : loc.key ? rangeOf(loc.key, root) : root;
      const expected = values.length === 1 ? values[0] : `one of ${values.join(', ')}`;
      push(`${name} must be ${expected}, found ${describeValue(loc.node)}${didYouMean(scalarText(loc.node), issue.values.map(String))}`, range);
      return;
    }
    case 'too_small':
      push(`${name} must be ${issue.inclusive === false ? 'greater than' : 'at least'} ${String(issue.minimum)}${issue.origin === 'array' ? ' item(s)' : issue.origin === 'string' ? ' character(s) long' : ''}, found ${describeValue(loc.node)}`, rangeOf(loc.node, root));
      return;
    case 'too_big':
      push(`${name} must be at most ${String(issue.maximum)}, found ${describeValue(loc.node)}`, rangeOf(loc.node, root));
      return;
    case 'invalid_key': {
      // A record key failed (the reserved END node id): report at the key itself.
      const parent = locate(doc, path.slice(0, -1));
      const pair = getPair(parent.node, String(path[path.length - 1]));
      const msg = issue.issues[0]?.message ?? 'invalid key';
      push(`${name}: ${msg}`, rangeOf(pair?.key as AnyNode, rangeOf(parent.node, root)));
      return;
    }
    case 'invalid_format':
      push(`${name} ${issue.message.startsWith('must') ? issue.message : `is not a valid ${issue.format}`}, found ${describeValue(loc.node)}`, rangeOf(loc.node, root));
      return;
    case 'not_multiple_of':
      push(`${name} must be a multiple of ${String(issue.divisor)}`, rangeOf(loc.node, root));
      return;
    case 'custom': {
      const range = loc.found && loc.key ? rangeOf(loc.key, root) : rangeOf(loc.node, root);
      push(issue.message, range);
      return;
    }
    default:
      push(`${name}: ${issue.message}`, rangeOf(loc.node, root));
  }
}

function depth(errors: readonly Issue[]): number {
  return Math.max(0, ...errors.map((e) => e.path.length + (e.code === 'unrecognized_keys' ? 1 : 0)));
}

function firstLine(doc: Document, root: Range): Range {
  const first = locate(doc, ['agentgraph']);
  return first.key ? rangeOf(first.key, root) : { start: root.start, end: root.start };
}

/** `nodes.classify.retry` -> `"retry" of node "classify"`. */
export function describePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '';
  const p = path.map(String);
  const leaf = p[p.length - 1];
  if (p[0] === 'nodes' && p.length >= 2) {
    if (p.length === 2) return `node "${p[1]}"`;
    return `"${p.slice(2).join('.')}" of node "${p[1]}"`;
  }
  if ((p[0] === 'models' || p[0] === 'tools' || p[0] === 'state') && p.length >= 2) {
    const what = p[0] === 'models' ? 'model' : p[0] === 'tools' ? 'tool' : 'state key';
    if (p.length === 2) return `${what} "${p[1]}"`;
    return `"${p.slice(2).join('.')}" of ${what} "${p[1]}"`;
  }
  if (p.length === 1) return `"${leaf}"`;
  return `"${p.join('.')}"`;
}

function unknownKeyMessage(doc: Document, path: readonly PropertyKey[], key: string): string {
  const where = describePath(path);
  if (path[0] === 'nodes' && path.length === 2) {
    const kind = (locate(doc, [...path, 'kind']).node as { value?: unknown } | undefined)?.value;
    const allowed = KEYS_BY_KIND.get(String(kind));
    const kinds = [...KEYS_BY_KIND].filter(([, keys]) => keys.has(key)).map(([k]) => k);
    if (kinds.length > 0) return `"${key}" does not apply to ${/^([aeiou]|llm)/.test(String(kind)) ? 'an' : 'a'} ${String(kind)} node (${where}); it is a key of ${kinds.join(', ')} nodes`;
    return `unknown key "${key}" in ${where}${didYouMean(key, allowed ? [...allowed] : [])}`;
  }
  return `unknown key "${key}"${where ? ` in ${where}` : ' at the top level'}${didYouMean(key, siblingsKnown(path))}`;
}

const TOP_KEYS = ['agentgraph', 'name', 'description', 'state', 'models', 'tools', 'budget', 'defaults', 'entry', 'on_error', 'nodes', 'success', 'tracing', 'policies'];
function siblingsKnown(path: readonly PropertyKey[]): string[] {
  if (path.length === 0) return TOP_KEYS;
  const section = String(path[0]);
  const known: Record<string, string[]> = {
    budget: ['usd', 'tokens', 'steps', 'tool_calls', 'wall_s'],
    defaults: ['retry', 'timeout_s', 'on_error'],
    models: ['provider', 'model', 'input_usd_per_mtok', 'output_usd_per_mtok', 'allows'],
    tools: ['effect', 'timeout_s', 'rate_limit', 'usd_per_call', 'idempotent', 'description'],
    tracing: ['exporter', 'node_attribute'],
    policies: ['id', 'tools', 'data', 'require'],
    success: ['metric', 'target', 'eval'],
    state: ['type', 'enum', 'input', 'data', 'description'],
  };
  return known[section] ?? [];
}

function hint(path: readonly PropertyKey[]): string {
  const leaf = String(path[path.length - 1]);
  const hints: Record<string, string> = {
    agentgraph: ': add `agentgraph: 1` as the first line',
    name: ': add a graph id such as `name: support-triage`',
    entry: ': name the first node, such as `entry: classify`',
    nodes: ': add a `nodes:` map with at least the entry node',
    retry: ': use `retry: none` or `retry: { attempts: 3, backoff: exponential }`',
    model: ': name a key of `models`',
    tool: ': name a key of `tools`',
    graph: ': give the relative path of the subgraph file',
    to: ': name the receiving agent or team',
  };
  return hints[leaf] ?? '';
}

function article(expected: string): string {
  const names: Record<string, string> = { record: 'a map', object: 'a map', array: 'a list', string: 'a string', number: 'a number', boolean: 'true or false', int: 'an integer' };
  return names[expected] ?? `a ${expected}`;
}

function scalarText(node: AnyNode): string {
  const v = (node as { value?: unknown } | undefined)?.value;
  return typeof v === 'string' ? v : '';
}

export function describeValue(node: AnyNode): string {
  if (node === undefined || node === null) return 'nothing';
  const v = (node as { value?: unknown }).value;
  if (isSeq(node)) return 'a list';
  if (isMap(node)) return 'a map';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  return String(v);
}

/** " (did you mean "x"?)" when a close candidate exists. */
export function didYouMean(value: string, candidates: readonly string[]): string {
  if (!value) return '';
  let best: string | undefined;
  let bestDist = Math.max(2, Math.floor(value.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(value.toLowerCase(), c.toLowerCase());
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  return best && best !== value ? ` (did you mean "${best}"?)` : '';
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
