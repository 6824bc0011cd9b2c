// The names of a graph and where they are written: node ids, models, tools and state keys, each with its
// definition and its references. Go to definition, find references, rename, highlights, the outline and the
// workspace symbols read this index.
//
// Scope (the decision for rename and references): a graph file is its own namespace. Node ids, models and
// tools are referred to only inside the file that defines them; a subgraph is a separate graph whose nodes the
// parent never names. State keys are file-local too, except across a subgraph boundary: a key the parent
// `passes` to a subgraph node that the subgraph declares `input: true` is the same key on both sides, so it
// is renamed (and found) in both files, and further down when the subgraph passes it on. A `graph:` path is a
// reference to a file: go to definition opens it.
import { END, type AgentGraph, type Range } from '../core/ir.ts';
import { resolveRelative } from '../core/uris.ts';
import type { TextEdit } from '../frontends/yaml/textEdits.ts';

export type SymbolKind = 'node' | 'model' | 'tool' | 'state';

export interface Occurrence {
  readonly kind: SymbolKind | 'file';
  readonly name: string;
  /** The name as written (quotes and a read's `?` excluded). */
  readonly range: Range;
  readonly definition: boolean;
}

export interface SymbolIndex {
  /** Every occurrence, sorted by position. */
  readonly all: readonly Occurrence[];
  at(offset: number): Occurrence | undefined;
  of(kind: SymbolKind, name: string): readonly Occurrence[];
}

/** Places the IR does not keep (policy tools, `defaults.on_error`), found by the format's own reader. */
export interface ExtraRefs {
  readonly policyTools: readonly { value: string; range: Range }[];
  readonly defaultsOnError?: { value: string; range: Range };
}

/** The range of `name` inside a scalar as written: without quotes, and without a trailing `?`. */
function nameRange(text: string, r: Range, name: string): Range {
  let start = r.start;
  if (text[start] === '"' || text[start] === "'") start++;
  return text.startsWith(name, start) ? { start, end: start + name.length } : r;
}

export function buildIndex(graph: AgentGraph, text: string, extra?: ExtraRefs): SymbolIndex {
  const all: Occurrence[] = [];
  const seen = new Set<string>();
  const add = (kind: Occurrence['kind'], name: string, r: Range, definition = false) => {
    const range = nameRange(text, r, name);
    const k = `${kind}:${range.start}`;
    if (seen.has(k)) return;
    seen.add(k);
    all.push({ kind, name, range, definition });
  };
  for (const n of graph.nodes.values()) add('node', n.id, n.range, true);
  for (const m of graph.models.values()) add('model', m.name, m.range, true);
  for (const t of graph.tools.values()) add('tool', t.name, t.range, true);
  for (const s of graph.state.values()) add('state', s.name, s.range, true);
  if (graph.entry) add('node', graph.entry.value, graph.entry.range);
  if (graph.onError) add('node', graph.onError.value, graph.onError.range);
  for (const n of graph.nodes.values()) {
    for (const t of n.out) if (t.to !== END) add('node', t.to, t.range);
    if (n.model) add('model', n.model.value, n.model.range);
    n.fallbackModels.forEach((m) => add('model', m.value, m.range));
    if (n.tool) add('tool', n.tool.value, n.tool.range);
    n.tools.forEach((t) => add('tool', t.value, t.range));
    n.reads.forEach((r) => add('state', r.key, r.range));
    n.writes.forEach((w) => add('state', w.value, w.range));
    n.passes?.forEach((p) => add('state', p.value, p.range));
    if (n.graph) add('file', n.graph.value, n.graph.range);
  }
  if (extra?.defaultsOnError && extra.defaultsOnError.value !== END) add('node', extra.defaultsOnError.value, extra.defaultsOnError.range);
  extra?.policyTools.forEach((t) => add('tool', t.value, t.range));
  all.sort((a, b) => a.range.start - b.range.start);
  const byName = new Map<string, Occurrence[]>();
  for (const o of all) {
    const k = `${o.kind}:${o.name}`;
    (byName.get(k) ?? byName.set(k, []).get(k)!).push(o);
  }
  return {
    all,
    at(offset) {
      let lo = 0;
      let hi = all.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const r = all[mid].range;
        if (offset < r.start) hi = mid - 1;
        else if (offset > r.end) lo = mid + 1;
        else return all[mid];
      }
      return undefined;
    },
    of: (kind, name) => byName.get(`${kind}:${name}`) ?? [],
  };
}

/** What navigation needs of another file: its text and graph, and the files known to use it as a subgraph. */
export interface GraphSource {
  get(uri: string): { readonly text: string; readonly graph?: AgentGraph; readonly index?: SymbolIndex } | undefined;
  /** Files known to refer to `uri` through a subgraph node (directly). */
  parents(uri: string): readonly string[];
}

export interface Place {
  readonly uri: string;
  readonly range: Range;
}

function indexOf(source: GraphSource, uri: string): SymbolIndex | undefined {
  const f = source.get(uri);
  if (!f?.graph) return undefined;
  return f.index ?? buildIndex(f.graph, f.text);
}

/**
 * The files a state key is shared with across subgraph boundaries, the starting file included: each pair is a
 * file and the key's name there (the same name: passes and input keys match by name).
 */
export function linkedStateFiles(source: GraphSource, uri: string, key: string): string[] {
  const out = [uri];
  const seen = new Set(out);
  for (let i = 0; i < out.length; i++) {
    const here = out[i];
    const graph = source.get(here)?.graph;
    if (!graph) continue;
    const declaresInput = graph.state.get(key)?.input === true;
    // Down: subgraphs this file passes the key to, that take it as input.
    for (const n of graph.nodes.values()) {
      if (n.kind !== 'subgraph' || !n.graph || !n.passes?.some((p) => p.value === key)) continue;
      const child = resolveRelative(here, n.graph.value);
      if (seen.has(child)) continue;
      if (source.get(child)?.graph?.state.get(key)?.input) {
        seen.add(child);
        out.push(child);
      }
    }
    // Up: files that pass the key to this one, when this one takes it as input.
    if (!declaresInput) continue;
    for (const parent of source.parents(here)) {
      if (seen.has(parent)) continue;
      const pg = source.get(parent)?.graph;
      const passes = pg && [...pg.nodes.values()].some((n) => n.kind === 'subgraph' && n.graph && resolveRelative(parent, n.graph.value) === here && n.passes?.some((p) => p.value === key));
      if (passes) {
        seen.add(parent);
        out.push(parent);
      }
    }
  }
  return out;
}

/** Where the symbol under the cursor is defined; a `graph:` path leads to the file. */
export function definition(source: GraphSource, uri: string, index: SymbolIndex, offset: number): Place[] {
  const o = index.at(offset);
  if (!o) return [];
  if (o.kind === 'file') return [{ uri: resolveRelative(uri, o.name), range: { start: 0, end: 0 } }];
  const files = o.kind === 'state' ? linkedStateFiles(source, uri, o.name) : [uri];
  const out: Place[] = [];
  for (const f of files) {
    const idx = f === uri ? index : indexOf(source, f);
    for (const d of idx?.of(o.kind, o.name) ?? []) if (d.definition) out.push({ uri: f, range: d.range });
  }
  return out;
}

/** Every place the symbol under the cursor is written, in this file and the files it is shared with. */
export function references(source: GraphSource, uri: string, index: SymbolIndex, offset: number, includeDeclaration = true): Place[] {
  const o = index.at(offset);
  if (!o || o.kind === 'file') return [];
  const files = o.kind === 'state' ? linkedStateFiles(source, uri, o.name) : [uri];
  const out: Place[] = [];
  for (const f of files) {
    const idx = f === uri ? index : indexOf(source, f);
    for (const r of idx?.of(o.kind, o.name) ?? []) if (includeDeclaration || !r.definition) out.push({ uri: f, range: r.range });
  }
  return out;
}

const NODE_ID = /^[a-z0-9][a-z0-9_-]*$/;
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;

export type RenameCheck = { readonly range: Range; readonly placeholder: string; readonly kind: SymbolKind } | { readonly error: string };

/** Whether the symbol under the cursor can be renamed, and the range of its name. */
export function prepareRename(index: SymbolIndex, offset: number): RenameCheck {
  const o = index.at(offset);
  if (!o) return { error: 'put the cursor on a node id, a model, a tool or a state key to rename it' };
  if (o.kind === 'file') return { error: 'a graph: path names a file: rename the file itself, then update the path' };
  return { range: o.range, placeholder: o.name, kind: o.kind };
}

/**
 * The edits of a rename, per file; an error when the new name is not valid there or already taken. `isPlain`
 * says whether a name can be written unquoted (the format decides: `true` or `123` would not stay a string).
 */
export function renameEdits(
  source: GraphSource, uri: string, index: SymbolIndex, offset: number, newName: string, isPlain: (s: string) => boolean,
): { edits: Map<string, TextEdit[]> } | { error: string } {
  const check = prepareRename(index, offset);
  if ('error' in check) return check;
  const { kind, placeholder: oldName } = check;
  const what = kind === 'node' ? 'node id' : kind === 'state' ? 'state key' : kind;
  if (newName === oldName) return { edits: new Map() };
  if (kind === 'node' && newName === END) return { error: 'END is reserved for the end of a run and cannot be a node id; choose another name' };
  if (!(kind === 'node' ? NODE_ID : NAME).test(newName)) {
    return { error: `"${newName}" is not a valid ${what}: use ${kind === 'node' ? 'lower-case letters, digits, "_" and "-", starting with a letter or digit' : 'letters, digits, "_" and "-"'}` };
  }
  if (!isPlain(newName)) return { error: `"${newName}" would be read as a ${/^[0-9.+-]/.test(newName) ? 'number' : 'boolean or null'}, not a name; choose a name with a letter in it` };
  const files = kind === 'state' ? linkedStateFiles(source, uri, oldName) : [uri];
  const edits = new Map<string, TextEdit[]>();
  for (const f of files) {
    const idx = f === uri ? index : indexOf(source, f);
    if (!idx) continue;
    if (idx.of(kind, newName).length > 0) return { error: `${what} "${newName}" already exists${f === uri ? '' : ` in ${f}`}; renaming "${oldName}" to it would merge the two` };
    edits.set(f, idx.of(kind, oldName).map((o) => ({ range: o.range, newText: newName })));
  }
  return { edits };
}

/** One entry of the outline. */
export interface OutlineSymbol {
  readonly name: string;
  readonly detail?: string;
  readonly kind: 'section' | SymbolKind | 'criterion' | 'policy';
  /** The whole definition, and the name within it. */
  readonly range: Range;
  readonly selectionRange: Range;
  readonly children?: readonly OutlineSymbol[];
}

const SECTIONS = ['state', 'models', 'tools', 'budget', 'defaults', 'nodes', 'success', 'tracing', 'policies'];

/** The outline of a graph: its sections, and in them the nodes (with their kind), models, tools and state keys. */
export function outline(graph: AgentGraph, text: string): OutlineSymbol[] {
  const keys = [...graph.keys].sort((a, b) => a[1].start - b[1].start);
  // A section runs from its key to the next top-level key.
  const sectionEnd = (i: number) => {
    let end = i + 1 < keys.length ? keys[i + 1][1].start : graph.root.end;
    while (end > keys[i][1].end && /\s/.test(text[end - 1])) end--;
    return end;
  };
  const entriesEnd = <T extends { range: Range }>(items: readonly T[], j: number, end: number) => {
    let e = j + 1 < items.length ? items[j + 1].range.start : end;
    while (e > items[j].range.end && /\s/.test(text[e - 1])) e--;
    return e;
  };
  // A block sequence item's range runs on to the start of the next line: end it at its last character.
  const trimmed = (r: Range): Range => {
    let end = r.end;
    while (end > r.start && /\s/.test(text[end - 1])) end--;
    return { start: r.start, end };
  };
  const out: OutlineSymbol[] = [];
  keys.forEach(([key, range], i) => {
    if (!SECTIONS.includes(key)) return;
    const whole = { start: range.start, end: Math.max(range.end, sectionEnd(i)) };
    let children: OutlineSymbol[] | undefined;
    let detail: string | undefined;
    if (key === 'nodes') {
      children = [...graph.nodes.values()].map((n) => ({
        name: n.id,
        detail: n.kind ?? 'no kind',
        kind: 'node' as const,
        range: { start: n.range.start, end: Math.max(n.range.end, n.bodyRange.end) },
        selectionRange: n.range,
      }));
      detail = `${graph.nodes.size} node${graph.nodes.size === 1 ? '' : 's'}`;
    } else if (key === 'models' || key === 'tools' || key === 'state') {
      const items = [...(key === 'models' ? graph.models.values() : key === 'tools' ? graph.tools.values() : graph.state.values())].sort((a, b) => a.range.start - b.range.start);
      children = items.map((m, j) => ({
        name: m.name,
        detail: key === 'models' ? (m as { model?: string }).model : key === 'tools' ? (m as { effect?: string }).effect : (m as { type?: string }).type,
        kind: (key === 'models' ? 'model' : key === 'tools' ? 'tool' : 'state') as SymbolKind,
        range: { start: m.range.start, end: Math.min(whole.end, Math.max(m.range.end, entriesEnd(items, j, whole.end))) },
        selectionRange: m.range,
      }));
    } else if (key === 'success' && graph.success) {
      children = graph.success.items.map((s) => ({ name: s.metric ?? '?', detail: s.target, kind: 'criterion' as const, range: trimmed(s.range), selectionRange: trimmed(s.range) }));
    } else if (key === 'policies') {
      children = graph.policies.map((p) => ({ name: p.id ?? '?', detail: p.require, kind: 'policy' as const, range: trimmed(p.range), selectionRange: trimmed(p.range) }));
    }
    // A block value's range may run on into the blank lines after it: keep each child inside its section, and
    // its name inside it (VS Code rejects the whole outline when one selectionRange is outside its range).
    const inside = children?.filter((c) => c.range.start >= whole.start && c.range.start < whole.end).map((c) => {
      const range = { start: c.range.start, end: Math.min(c.range.end, whole.end) };
      const selStart = Math.min(Math.max(c.selectionRange.start, range.start), range.end);
      return { ...c, range, selectionRange: { start: selStart, end: Math.max(selStart, Math.min(c.selectionRange.end, range.end)) } };
    });
    out.push({ name: key, detail, kind: 'section', range: whole, selectionRange: range, ...(inside ? { children: inside } : {}) });
  });
  return out;
}

/** Workspace symbols of one graph that match `query` (letters in order, case-insensitive; empty matches all). */
export function workspaceSymbols(graph: AgentGraph, query: string): { name: string; kind: SymbolKind; container: string; range: Range }[] {
  const q = query.toLowerCase();
  const matches = (name: string) => {
    const n = name.toLowerCase();
    let i = 0;
    for (const c of n) if (c === q[i]) i++;
    return i === q.length;
  };
  const container = graph.name?.value ?? '';
  const out: { name: string; kind: SymbolKind; container: string; range: Range }[] = [];
  for (const n of graph.nodes.values()) if (matches(n.id)) out.push({ name: n.id, kind: 'node', container, range: n.range });
  for (const m of graph.models.values()) if (matches(m.name)) out.push({ name: m.name, kind: 'model', container, range: m.range });
  for (const t of graph.tools.values()) if (matches(t.name)) out.push({ name: t.name, kind: 'tool', container, range: t.range });
  return out;
}
