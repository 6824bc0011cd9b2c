// `langgraph.json`, the LangGraph CLI / Platform configuration: its `graphs` map names the graphs a deployment
// serves, `"<graph id>": "./path/to/file.py:variable"` (or `{ "path": "...", "description": "..." }`). Read
// here as plain JSON with the place of every value, so that a finding about an entry lands on that entry; what
// the entries name (files, graphs) is resolved by the workspace (analysis/workspace.ts).
import type { AgDiagnostic } from '../../core/diagnostic.ts';
import type { Range } from '../../core/ir.ts';

export const LANGGRAPH_JSON = 'langgraph.json';

/** Whether a file (path or URI) is a LangGraph configuration file. */
export function isLanggraphJson(uriOrPath: string): boolean {
  const path = uriOrPath.replace(/[?#].*$/, '');
  return path === LANGGRAPH_JSON || path.endsWith('/' + LANGGRAPH_JSON) || path.endsWith('\\' + LANGGRAPH_JSON);
}

/** One entry of `graphs`. */
export interface DeployedGraph {
  /** The graph id (the key): what the deployment, its API and its traces call the graph. */
  readonly id: string;
  readonly idRange: Range;
  /** The import string as written, `./src/agent/graph.py:graph`, and the range of its JSON string. */
  readonly ref: string;
  readonly range: Range;
  /** The module part (a path when it holds a `/`, else a Python module name) and the variable after the `:`. */
  readonly module: string;
  readonly variable: string;
}

export interface LanggraphConfig {
  readonly graphs: readonly DeployedGraph[];
  /** Local dependencies (`"."`, `"./src"`): where a Python module name may be found. */
  readonly localDependencies: readonly string[];
  readonly diagnostics: AgDiagnostic[];
}

const LOAD_FAILS = 'a deployment (`langgraph dev`, `langgraph up`, LangGraph Platform) fails to load this config';

/** Reads a langgraph.json text; never throws. */
export function parseLanggraphJson(text: string): LanggraphConfig {
  const diagnostics: AgDiagnostic[] = [];
  const graphs: DeployedGraph[] = [];
  const localDependencies: string[] = [];
  const out = { graphs, localDependencies, diagnostics };
  let root: JsonValue;
  try {
    root = new JsonReader(text).document();
  } catch (e) {
    const err = e as JsonError;
    const at = typeof err.offset === 'number' ? Math.min(err.offset, text.length) : 0;
    diagnostics.push({ code: 'AG001', severity: 'error', range: { start: at, end: Math.min(at + 1, text.length) }, message: `langgraph.json is not valid JSON: ${err.message}; ${LOAD_FAILS}`, data: { syntaxError: true } });
    return out;
  }
  if (root.kind !== 'object') {
    diagnostics.push({ code: 'AG001', severity: 'error', range: root.range, message: `langgraph.json must be a JSON object with a "graphs" map; ${LOAD_FAILS}` });
    return out;
  }
  const deps = root.entries.find((e) => e.key === 'dependencies')?.value;
  if (deps?.kind === 'array') for (const d of deps.items) if (d.kind === 'string' && d.value.startsWith('.')) localDependencies.push(d.value);
  const entry = root.entries.find((e) => e.key === 'graphs');
  if (!entry) {
    diagnostics.push({ code: 'AG001', severity: 'warning', range: { start: root.range.start, end: root.range.start + 1 }, message: `langgraph.json has no "graphs": a deployment serves no graph; add one, such as "graphs": { "agent": "./src/agent/graph.py:graph" }` });
    return out;
  }
  if (entry.value.kind !== 'object') {
    diagnostics.push({ code: 'AG001', severity: 'error', range: entry.value.range, message: `"graphs" must map graph ids to "./path/to/file.py:variable" strings; ${LOAD_FAILS}` });
    return out;
  }
  for (const g of entry.value.entries) {
    let v: JsonValue | undefined = g.value;
    // The object form: { "path": "./file.py:graph", "description": "..." }.
    if (v.kind === 'object') {
      const path = v.entries.find((e) => e.key === 'path')?.value;
      if (!path) {
        diagnostics.push({ code: 'AG001', severity: 'error', range: v.range, message: `graph "${g.key}" has no "path": ${LOAD_FAILS}; write "path": "./path/to/file.py:variable"` });
        continue;
      }
      v = path;
    }
    if (v.kind !== 'string') {
      diagnostics.push({ code: 'AG001', severity: 'error', range: v.range, message: `graph "${g.key}" must be a "./path/to/file.py:variable" string (or { "path": ... }); ${LOAD_FAILS}` });
      continue;
    }
    // As the LangGraph CLI splits it: at the first colon.
    const colon = v.value.indexOf(':');
    const module = colon < 0 ? v.value : v.value.slice(0, colon);
    const variable = colon < 0 ? '' : v.value.slice(colon + 1);
    if (!module || !variable) {
      diagnostics.push({ code: 'AG001', severity: 'error', range: v.range, message: `graph "${g.key}": "${v.value}" is not in the form "<file or module>:<variable>"; ${LOAD_FAILS}; name the variable that holds the graph, such as "${module || './src/agent/graph.py'}:graph"` });
      continue;
    }
    graphs.push({ id: g.key, idRange: g.keyRange, ref: v.value, range: v.range, module, variable });
  }
  return out;
}

// ---- a small JSON reader that keeps offsets ------------------------------------------------------------------

type JsonValue =
  | { readonly kind: 'object'; readonly range: Range; readonly entries: readonly { key: string; keyRange: Range; value: JsonValue }[] }
  | { readonly kind: 'array'; readonly range: Range; readonly items: readonly JsonValue[] }
  | { readonly kind: 'string'; readonly range: Range; readonly value: string }
  | { readonly kind: 'other'; readonly range: Range };

interface JsonError extends Error {
  offset?: number;
}

class JsonReader {
  private i = 0;
  private depth = 0;
  constructor(private readonly s: string) {}

  document(): JsonValue {
    if (this.s.charCodeAt(0) === 0xfeff) this.i = 1;
    const v = this.value();
    this.ws();
    if (this.i < this.s.length) this.fail('unexpected text after the end of the document');
    return v;
  }

  private fail(message: string): never {
    const e = new Error(message) as JsonError;
    e.offset = this.i;
    throw e;
  }

  private ws(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i])) this.i++;
  }

  private value(): JsonValue {
    this.ws();
    if (this.i >= this.s.length) this.fail('unexpected end of the file');
    const c = this.s[this.i];
    const start = this.i;
    if (c === '{' || c === '[') {
      if (++this.depth > 200) this.fail('nested too deeply');
      const v = c === '{' ? this.object(start) : this.array(start);
      this.depth--;
      return v;
    }
    if (c === '"') return { kind: 'string', value: this.string(), range: { start, end: this.i } };
    const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(this.s.slice(this.i, this.i + 64));
    if (!m) this.fail(c === '/' ? 'comments are not allowed in JSON' : `unexpected "${c}"`);
    this.i += m[0].length;
    return { kind: 'other', range: { start, end: this.i } };
  }

  private object(start: number): JsonValue {
    this.i++;
    const entries: { key: string; keyRange: Range; value: JsonValue }[] = [];
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return { kind: 'object', entries, range: { start, end: this.i } };
    }
    for (let comma = -1; ; ) {
      this.ws();
      if (this.s[this.i] === '}' && comma >= 0) {
        this.i = comma;
        this.fail('a trailing comma is not allowed in JSON');
      }
      if (this.s[this.i] !== '"') this.fail('expected a "key" in double quotes');
      const keyStart = this.i;
      const key = this.string();
      const keyRange = { start: keyStart, end: this.i };
      this.ws();
      if (this.s[this.i] !== ':') this.fail('expected ":" after the key');
      this.i++;
      entries.push({ key, keyRange, value: this.value() });
      this.ws();
      if (this.s[this.i] === ',') {
        comma = this.i++;
        continue;
      }
      if (this.s[this.i] === '}') {
        this.i++;
        return { kind: 'object', entries, range: { start, end: this.i } };
      }
      this.fail('expected "," or "}"');
    }
  }

  private array(start: number): JsonValue {
    this.i++;
    const items: JsonValue[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return { kind: 'array', items, range: { start, end: this.i } };
    }
    for (let comma = -1; ; ) {
      this.ws();
      if (this.s[this.i] === ']' && comma >= 0) {
        this.i = comma;
        this.fail('a trailing comma is not allowed in JSON');
      }
      items.push(this.value());
      this.ws();
      if (this.s[this.i] === ',') {
        comma = this.i++;
        continue;
      }
      if (this.s[this.i] === ']') {
        this.i++;
        return { kind: 'array', items, range: { start, end: this.i } };
      }
      this.fail('expected "," or "]"');
    }
  }

  private string(): string {
    const start = this.i;
    this.i++;
    for (;;) {
      if (this.i >= this.s.length) {
        this.i = start;
        this.fail('a string is not closed');
      }
      const c = this.s.charCodeAt(this.i);
      if (c === 0x22) break;
      if (c < 0x20) this.fail('a control character (such as a line break) inside a string');
      this.i += c === 0x5c ? 2 : 1;
    }
    this.i++;
    try {
      return JSON.parse(this.s.slice(start, this.i)) as string;
    } catch {
      this.i = start;
      return this.fail('a string has an invalid escape');
    }
  }
}
