// The LangGraph JS/TS frontend on small modules: what each construct of LANGGRAPH.md becomes in the IR. The
// oracle test (integration/langgraph-js-oracle.test.ts) checks the same against LangGraph JS itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { langgraphJsFrontend, parseJsGraphs } from '../../server/src/frontends/langgraph-js/index.ts';
import { frontendFor } from '../../server/src/frontends/index.ts';
import { scanSuppressions } from '../../server/src/frontends/suppressions.ts';
import type { AgentGraph } from '../../server/src/core/ir.ts';
import { resolve } from 'node:path';
import { lintFile } from '../support/lint.ts';

const HEAD = `import { Annotation, Command, END, START, StateGraph } from "@langchain/langgraph";\n`;
const parse = (body: string, uri = 'file:///w/graph.ts') => parseJsGraphs(HEAD + body, uri);
const edges = (g: AgentGraph) => [...g.nodes.values()].flatMap((n) => n.out.map((t) => `${t.from}>${t.to}:${t.kind}${t.inferred ? '?' : ''}${t.label ? `(${t.label})` : ''}`));

test('the JS frontend reads .ts, .tsx, .js, .mjs, .cjs, .mts, .cts (not .d.ts) and pre-checks for StateGraph', () => {
  for (const ext of ['ts', 'tsx', 'js', 'jsx', 'mjs', 'cjs', 'mts', 'cts']) assert.equal(frontendFor(`src/graph.${ext}`)?.id, 'langgraph-js', ext);
  assert.equal(frontendFor('src/types.d.ts'), undefined);
  assert.equal(frontendFor('a.agentgraph.json')?.id, 'yaml');
  assert.equal(langgraphJsFrontend.mayHoldGraph('export const x = 1;'), false);
  assert.equal(langgraphJsFrontend.mayHoldGraph('new StateGraph(S)'), true);
});

test('the three addNode forms, addSequence and joins', () => {
  const { graphs } = parse(`
const S = Annotation.Root({ a: Annotation<string>, b: Annotation<string> });
const f = async (s: typeof S.State) => ({ a: s.b });
export const g = new StateGraph(S)
  .addNode("one", f)
  .addNode({ two: f, three: f })
  .addNode([["four", f, { retryPolicy: { maxAttempts: 5 } }]])
  .addSequence([["five", f], ["six", f]])
  .addEdge(START, "one").addEdge(START, "two")
  .addEdge(["one", "two"], "three")
  .addEdge("three", "four").addEdge("four", "five").addEdge("six", END)
  .compile();`);
  const g = graphs[0];
  assert.deepEqual([...g.nodes.keys()], ['__start__', 'one', 'two', 'three', 'four', 'five', 'six']);
  assert.deepEqual(edges(g).filter((e) => !e.startsWith('__start__')), ['one>three:next', 'two>three:next', 'three>four:next', 'four>five:next', 'five>six:next', 'six>END:next']);
  assert.equal(g.nodes.get('four')!.retry?.attempts, 5);
  assert.equal(g.runtime?.language, 'typescript');
  assert.equal(g.runtime?.defaultSteps, 25);
  assert.deepEqual([...g.state.keys()], ['a', 'b']);
});

test('path maps, inferred routes, dynamic branches, ends and Commands', () => {
  const { graphs } = parse(`
const S = Annotation.Root({ n: Annotation<number>, next: Annotation<string> });
const route = (s: typeof S.State) => (s.n >= 3 ? END : "a");
const computed = (s: typeof S.State) => s.next;
const cmd = () => new Command({ goto: "b" });
const free = (s: typeof S.State) => new Command({ goto: s.next });
export const g = new StateGraph(S)
  .addNode("a", cmd, { ends: ["b", END] })
  .addNode("b", free)
  .addNode("c", async () => ({ n: 1 }))
  .addNode("d", cmd)
  .addEdge(START, "a")
  .addConditionalEdges("c", route)
  .addConditionalEdges({ source: "d", path: computed, pathMap: { go: "a", stop: END } })
  .compile();`);
  const g = graphs[0];
  assert.deepEqual(edges(g), ['a>b:command', 'a>END:command', 'c>END:route?', 'c>a:route?', 'd>a:route(go)', 'd>END:route(stop)', 'd>b:command?']);
  assert.ok(g.nodes.get('b')!.dynamic, 'a Command whose goto is computed is unknown');
  assert.equal(g.nodes.get('c')!.maxVisits?.value, 4, 'the ternary guard bounds the loop (its number, and the router may run once more)');
  assert.equal(g.nodes.get('c')!.onExhausted?.value, 'END');
});

test('recursionLimit in a config passed to invoke/stream/withConfig is the step budget; compile options', () => {
  const { graphs } = parse(`
const S = Annotation.Root({ q: Annotation<string> });
const builder = new StateGraph(S).addNode("ask", async () => ({ q: "x" })).addEdge(START, "ask");
export const app = builder.compile({ name: "asker", interruptBefore: ["ask"] });
const config = { recursionLimit: 40 };
export async function run() { return app.invoke({ q: "hi" }, config); }`);
  const g = graphs[0];
  assert.equal(g.name?.value, 'asker');
  assert.deepEqual(g.aliases, ['builder', 'app']);
  assert.equal(g.budget?.steps, 40);
  assert.equal(g.nodes.get('ask')!.approval?.value, 'human');
});

test('models: constructor options, initChatModel strings, prices, createAgent middleware', () => {
  const { graphs } = parse(`
import { ChatOpenAI } from "@langchain/openai";
import { createAgent, modelCallLimitMiddleware } from "langchain";
const S = Annotation.Root({ q: Annotation<string> });
const llm = new ChatOpenAI({ model: "gpt-4o-mini", maxTokens: 321 });
const agent = createAgent({ model: "anthropic:claude-3-5-haiku-20241022", tools: [], middleware: [modelCallLimitMiddleware({ runLimit: 4 })] });
async function ask(s: typeof S.State) { const r = await llm.invoke(s.q); return { q: String(r.content) }; }
export const g = new StateGraph(S).addNode("ask", ask).addNode("agent", agent).addEdge(START, "ask").addEdge("ask", "agent").compile();`);
  const g = graphs[0];
  const ask = g.nodes.get('ask')!;
  assert.equal(ask.kind, 'llm');
  assert.equal(ask.maxOutputTokens, 321);
  assert.equal(g.models.get('llm')?.model, 'gpt-4o-mini');
  assert.ok((g.models.get('llm')?.outputUsdPerMtok ?? 0) > 0, 'priced from the bundled table');
  assert.equal(g.nodes.get('agent')!.kind, 'agent');
  assert.equal(g.nodes.get('agent')!.maxIterations, 4);
});

test('a subgraph imported from another module: .js specifiers name the .ts file in TypeScript', () => {
  const src = `import { kycGraph } from "./kyc.js";\nimport { other } from "some-package";\nconst S = Annotation.Root({ q: Annotation<string> });\nexport const g = new StateGraph(S).addNode("kyc", kycGraph).addNode("pkgGraph", other).addEdge(START, "kyc").compile();`;
  assert.equal(parse(src).graphs[0].nodes.get('kyc')!.graph?.value, './kyc.ts#kycGraph');
  assert.equal(parse(src, 'file:///w/graph.js').graphs[0].nodes.get('kyc')!.graph?.value, './kyc.js#kycGraph');
  assert.equal(parse(src.replace('./kyc.js', './kyc.mjs'), 'file:///w/graph.mts').graphs[0].nodes.get('kyc')!.graph?.value, './kyc.mts#kycGraph');
  assert.equal(parse(src.replace('./kyc.js', './kyc'), 'file:///w/graph.ts').graphs[0].nodes.get('kyc')!.graph?.value, './kyc.ts#kycGraph');
  assert.equal(parse(src).graphs[0].nodes.get('pkgGraph')!.graph, undefined, 'a package import stays opaque');
});

test('CommonJS require and aliases are followed; a StateGraph not from LangGraph is not a graph', () => {
  const cjs = parseJsGraphs(`const lg = require("@langchain/langgraph");\nconst g = new lg.StateGraph(lg.MessagesAnnotation).addNode("a", () => ({})).addEdge(lg.START, "a");\nmodule.exports = { g };`, 'file:///w/g.cjs');
  assert.equal(cjs.graphs.length, 1);
  assert.equal(cjs.graphs[0].entry?.value, 'a');
  const other = parseJsGraphs(`import { StateGraph } from "./my-own.js";\nnew StateGraph().addNode("a", f);`, 'file:///w/g.ts');
  assert.equal(other.graphs.length, 0);
});

test('// disable comments; # comments keep their meaning in YAML and Python', () => {
  const text = 'a\n// agentgraph-disable-next-line AG202 -- reason\n\n// more\nb\n';
  assert.deepEqual(scanSuppressions(text, '//').map((s) => [s.codes, s.line, s.reason]), [[['AG202'], 4, 'reason']]);
  assert.deepEqual(scanSuppressions(text), []);
  assert.deepEqual(scanSuppressions('x\n# agentgraph-disable-file AG301\n').map((s) => s.codes), [['AG301']]);
});

test('broken and hostile text never throws', () => {
  for (const t of ['new StateGraph(', 'new StateGraph(S).addNode(', '}}}{{{ StateGraph ((( `${', 'new StateGraph(S).addEdge([...x], y).addNode({ ...n })', '\u0000StateGraph\uFFFF']) {
    const r = parseJsGraphs(t, 'file:///w/broken.ts');
    assert.ok(Array.isArray(r.graphs));
  }
  const r = parse('export const g = new StateGraph(S).addNode("a", f).addEdge(START, "a")\n  .addEdge("a", ');
  assert.equal(r.partial, true);
  assert.deepEqual([...r.graphs[0].nodes.keys()], ['a']);
});

test('a state read with a default (`state.k ?? 0`, `state.k || ""`) is optional, as Python\'s state.get("k", 0) is; a plain read is not', () => {
  const { graphs } = parse(`
const S = Annotation.Root({ n: Annotation<number>, label: Annotation<string>, total: Annotation<number> });
const f = (state: typeof S.State) => ({ n: (state.n ?? 0) + 1, label: state.label || "none", total: state.total + 1 });
export const g = new StateGraph(S).addNode("f", f).addEdge(START, "f").compile();
`);
  const reads = Object.fromEntries(graphs[0].nodes.get('f')!.reads.map((r) => [r.key, r.optional]));
  assert.deepEqual(reads, { n: true, label: true, total: false });
});

test('the real-traces TypeScript app: its counter read with `?? 0` gives no AG502 (the tool loop is guarded, nothing else is found but the overlay prompts)', () => {
  const path = resolve('test/fixtures/traces-real/js/graph.ts');
  const a = lintFile(path);
  assert.deepEqual(a.diagnostics.map((d) => d.code).sort(), ['AG301', 'AG601', 'AG701']);
});
