// The LangGraph JS oracle: asks the real `@langchain/langgraph` (a devDependency, never bundled) which graph
// each fixture module builds. Run it as `node --import tsx test/oracle/dump_js_graphs.ts FILE...`; it prints ONE
// JSON document on stdout:
//
//   [{ "file": "<path as given>",
//      "graphs": [{ "exports": ["graph"], "name": null, "nodes": ["a", "b"],
//                   "edges": [{ "source": "a", "target": "END", "conditional": false, "data": null }],
//                   "entry": ["a"], "dynamic": [], "implicit_end": [] }] },
//    { "file": "<path>", "error": "Error: ..." }]
//
// Each file is imported (its exports are the graphs it offers); every export that is a `StateGraph` builder or
// a compiled graph is reported once per builder, with the names it is exported under. A builder is compiled
// here when only the builder is exported. `nodes` exclude `__start__`/`__end__`; `__end__` is written "END";
// edges from `__start__` are listed only in `entry`. Edges are `compiled.getGraph().toJSON()` (no xray): what
// LangGraph JS itself draws. Two keys come from the builder, not the drawing: `dynamic` lists the sources
// ("START" for a conditional entry) of branches with no path map (LangGraph draws an edge to every other node
// and END for them), `implicit_end` the nodes whose `-> END` edge LangGraph added itself (a node that is the
// target of a static edge and the source of nothing). No network: the fixtures use fake chat models.
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

// Duck typing rather than instanceof: an ES module fixture loads LangGraph's ESM build, a CommonJS one its CJS
// build, and their classes differ.
type Builder = { nodes: Record<string, { ends?: string[] }>; branches: Record<string, Record<string, { ends?: unknown }>>; allEdges: Set<[string, string]>; compile(): Compiled };
type Compiled = { builder: Builder; name?: string; getGraph(): { toJSON(): unknown } };
const isBuilder = (v: unknown): v is Builder => !!v && typeof v === 'object' && typeof (v as Builder).compile === 'function' && 'branches' in v && 'nodes' in v;
const isCompiled = (v: unknown): v is Compiled => !!v && typeof v === 'object' && typeof (v as Compiled).getGraph === 'function' && isBuilder((v as Compiled).builder);

interface Edge { source: string; target: string; conditional: boolean; data: string | null }

// Whatever the fixtures print goes to stderr, so that stdout is only the JSON document.
const out = process.stdout.write.bind(process.stdout);
console.log = (...a: unknown[]) => console.error(...a);

const name = (id: string) => (id === '__end__' ? 'END' : id);

async function dump(file: string): Promise<unknown> {
  let mod: Record<string, unknown>;
  try {
    mod = await import(pathToFileURL(resolve(file)).href);
  } catch (e) {
    return { file, error: `${(e as Error).name}: ${(e as Error).message.split('\n')[0]}` };
  }
  // CommonJS modules come in as { default: module.exports } with the names copied alongside.
  const entries = Object.entries(mod).flatMap(([k, v]) => (k === 'default' && v && typeof v === 'object' && !isBuilder(v) && !isCompiled(v) ? Object.entries(v as object) : [[k, v] as [string, unknown]]));
  const byBuilder = new Map<object, { exports: string[]; compiled?: Compiled; builder: Builder }>();
  for (const [k, v] of entries) {
    let builder: Builder | undefined;
    let compiled: Compiled | undefined;
    if (isBuilder(v)) builder = v;
    else if (isCompiled(v)) {
      compiled = v;
      builder = v.builder;
    } else continue;
    const hit = byBuilder.get(builder) ?? { exports: [], builder };
    if (!hit.exports.includes(k)) hit.exports.push(k);
    hit.compiled ??= compiled;
    byBuilder.set(builder, hit);
  }
  const graphs = [];
  for (const g of byBuilder.values()) {
    let compiled = g.compiled;
    try {
      compiled ??= g.builder.compile();
    } catch (e) {
      return { file, error: `compile ${g.exports.join('/')}: ${(e as Error).message.split('\n')[0]}` };
    }
    const json = compiled.getGraph().toJSON() as { nodes: { id: string }[]; edges: { source: string; target: string; conditional?: boolean; data?: string }[] };
    const edges: Edge[] = json.edges.map((e) => ({ source: name(String(e.source)), target: name(String(e.target)), conditional: !!e.conditional, data: e.data ?? null }));
    const b = g.builder;
    const dynamic: string[] = [];
    for (const [src, branches] of Object.entries(b.branches)) for (const br of Object.values(branches)) if (br.ends === undefined) dynamic.push(src === '__start__' ? 'START' : src);
    const sources = new Set<string>([...[...b.allEdges].map(([s]) => s), ...Object.keys(b.branches), ...Object.entries(b.nodes).filter(([, n]) => n.ends !== undefined).map(([k]) => k)]);
    const declaredEnd = new Set([...b.allEdges].filter(([, t]) => t === '__end__').map(([s]) => s));
    const implicit = edges.filter((e) => e.target === 'END' && !sources.has(e.source) && !declaredEnd.has(e.source)).map((e) => e.source);
    graphs.push({
      exports: g.exports.sort(),
      name: compiled.name ?? null,
      nodes: json.nodes.map((n) => String(n.id)).filter((id) => id !== '__start__' && id !== '__end__').sort(),
      edges: edges.filter((e) => e.source !== '__start__').sort((x, y) => `${x.source}>${x.target}`.localeCompare(`${y.source}>${y.target}`)),
      entry: [...new Set(edges.filter((e) => e.source === '__start__').map((e) => e.target))].sort(),
      dynamic: [...new Set(dynamic)].sort(),
      implicit_end: [...new Set(implicit)].sort(),
    });
  }
  return { file, graphs };
}

void (async () => {
  const results = [];
  for (const f of process.argv.slice(2)) results.push(await dump(f));
  out(JSON.stringify(results, null, 1) + '\n');
})();
