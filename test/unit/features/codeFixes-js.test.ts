// The AG102 quick fix in LangGraph JS/TS: `retryPolicy: { maxAttempts: 3 }` in the node's addNode options, in
// every form of addNode our frontend reads options from. Each fix is applied and the module analysed again, as
// the editor would: the finding must be gone and nothing else about the graph changed. Whether LangGraph JS
// itself accepts the fixed code is test/integration/langgraph-js-retry-fix.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace, type FileHost } from '../../../server/src/analysis/workspace.ts';
import { codeFixes } from '../../../server/src/features/codeFixes.ts';
import { applyEdits } from '../../../server/src/frontends/yaml/textEdits.ts';

const PRELUDE = `import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { ChatOpenAI } from "@langchain/openai";

const State = Annotation.Root({ draft: Annotation<string> });
const model = new ChatOpenAI({ model: "gpt-4o-mini", maxTokens: 500 });

async function draft(state: typeof State.State) {
  return { draft: String((await model.invoke(state.draft)).content) };
}
async function review(state: typeof State.State) {
  return { draft: String((await model.invoke(state.draft)).content) };
}
const opts = { timeout: 30_000 };
`;

const URI = 'file:///app/graph.ts';

function analyse(text: string, uri = URI) {
  const map = new Map([[uri, text]]);
  const host: FileHost = { read: (u) => map.get(u), list: () => [...map.keys()] };
  return new Workspace(host).analyze(uri);
}

/** The module with the fix for `node` applied, or undefined when none is offered; checked re-analysed. */
function fixed(graph: string, node: string, uri = URI): string | undefined {
  const text = PRELUDE + graph;
  const a = analyse(text, uri);
  const ag102 = a.diagnostics.filter((d) => d.code === 'AG102');
  assert.ok(ag102.some((d) => d.data?.node === node), `AG102 on ${node} before: ${ag102.map((d) => d.data?.node).join(', ')}`);
  const fixes = codeFixes({ uri, text, graphs: a.graphs.map((g) => g.graph), worstCase: a.worstCase, exists: () => false }, ag102);
  const fix = fixes.find((f) => f.diagnostic.data?.node === node);
  if (!fix) return undefined;
  assert.equal(fix.title, `Retry "${node}" up to 3 times (retryPolicy: { maxAttempts: 3 })`);
  assert.equal(fix.preferred, true);
  assert.equal(fix.create, undefined);
  const after = applyEdits(text, fix.edits);
  const b = analyse(after, uri);
  assert.deepEqual(b.diagnostics.filter((d) => d.code === 'AG102' && d.data?.node === node), [], `AG102 on ${node} is gone:\n${after}`);
  assert.equal(b.graph?.nodes.get(node)?.retry?.attempts, 3);
  // The other findings stay (less the one fixed; their figures may change: a retry multiplies the worst case), and so does the graph.
  const codes = (ds: typeof a.diagnostics) => ds.filter((d) => !(d.code === 'AG102' && d.data?.node === node)).map((d) => `${d.code} ${String(d.data?.node ?? '')}`).sort();
  assert.deepEqual(codes(b.diagnostics), codes(a.diagnostics));
  assert.deepEqual([...b.graph!.nodes.keys()], [...a.graph!.nodes.keys()]);
  return after.slice(PRELUDE.length);
}

test('addNode with two arguments gets a third, the options object', () => {
  assert.equal(fixed(`export const graph = new StateGraph(State)
  .addNode("draft", draft)
  .addEdge(START, "draft")
  .addEdge("draft", END)
  .compile();
`, 'draft'), `export const graph = new StateGraph(State)
  .addNode("draft", draft, { retryPolicy: { maxAttempts: 3 } })
  .addEdge(START, "draft")
  .addEdge("draft", END)
  .compile();
`);
});

test('in a chain of addNode calls, each node gets its own edit, in its own call', () => {
  const chain = `export const graph = new StateGraph(State)
  .addNode("draft", draft).addNode("review", review)
  .addEdge(START, "draft").addEdge("draft", "review").addEdge("review", END)
  .compile();
`;
  assert.equal(fixed(chain, 'review'), chain.replace('review", review)', 'review", review, { retryPolicy: { maxAttempts: 3 } })'));
  assert.equal(fixed(chain, 'draft'), chain.replace('draft", draft)', 'draft", draft, { retryPolicy: { maxAttempts: 3 } })'));
});

test('a builder variable, a trailing comma and arguments on lines of their own keep their style', () => {
  assert.equal(fixed(`const builder = new StateGraph(State);
builder.addNode("draft", draft,);
builder.addEdge(START, "draft").addEdge("draft", END);
export const graph = builder.compile();
`, 'draft'), `const builder = new StateGraph(State);
builder.addNode("draft", draft, { retryPolicy: { maxAttempts: 3 } },);
builder.addEdge(START, "draft").addEdge("draft", END);
export const graph = builder.compile();
`);
  assert.equal(fixed(`export const graph = new StateGraph(State)
  .addNode(
    "draft",
    draft,
  )
  .addEdge(START, "draft")
  .addEdge("draft", END)
  .compile();
`, 'draft'), `export const graph = new StateGraph(State)
  .addNode(
    "draft",
    draft,
    { retryPolicy: { maxAttempts: 3 } },
  )
  .addEdge(START, "draft")
  .addEdge("draft", END)
  .compile();
`);
});

test('an options object written there gets the property, on its line or one line of its own', () => {
  const graph = (options: string) => `export const graph = new StateGraph(State)
  .addNode("draft", draft, ${options})
  .addEdge(START, "draft")
  .addEdge("draft", END)
  .compile();
`;
  const cases: [string, string][] = [
    ['{ timeout: 30_000 }', '{ timeout: 30_000, retryPolicy: { maxAttempts: 3 } }'],
    ['{ timeout: 30_000, }', '{ timeout: 30_000, retryPolicy: { maxAttempts: 3 }, }'],
    ['{}', '{ retryPolicy: { maxAttempts: 3 } }'],
    ['{ timeout: 30_000 } as const', '{ timeout: 30_000, retryPolicy: { maxAttempts: 3 } } as const'],
    ['{\n    timeout: 30_000,\n  }', '{\n    timeout: 30_000,\n    retryPolicy: { maxAttempts: 3 },\n  }'],
    ['{\n    timeout: 30_000 // per attempt\n  }', '{\n    timeout: 30_000, // per attempt\n    retryPolicy: { maxAttempts: 3 }\n  }'],
    ['{\n    timeout: 30_000 }', '{\n    timeout: 30_000,\n    retryPolicy: { maxAttempts: 3 } }'],
  ];
  for (const [before, after] of cases) assert.equal(fixed(graph(before), 'draft'), graph(after), before);
});

test('a tuple of addNode([...]) or addSequence([...]) gets the options as its third item', () => {
  assert.equal(fixed(`export const graph = new StateGraph(State)
  .addNode([["draft", draft], ["review", review, { timeout: 30_000 }]])
  .addEdge(START, "draft").addEdge("draft", "review").addEdge("review", END)
  .compile();
`, 'review'), `export const graph = new StateGraph(State)
  .addNode([["draft", draft], ["review", review, { timeout: 30_000, retryPolicy: { maxAttempts: 3 } }]])
  .addEdge(START, "draft").addEdge("draft", "review").addEdge("review", END)
  .compile();
`);
  assert.equal(fixed(`export const graph = new StateGraph(State)
  .addSequence([["draft", draft], ["review", review]])
  .addEdge(START, "draft").addEdge("review", END)
  .compile();
`, 'draft'), `export const graph = new StateGraph(State)
  .addSequence([["draft", draft, { retryPolicy: { maxAttempts: 3 } }], ["review", review]])
  .addEdge(START, "draft").addEdge("review", END)
  .compile();
`);
});

test('no fix where one edit cannot be right: the object form, shared or spread options, a retryPolicy already named', () => {
  const none = (graph: string, node = 'draft') => assert.equal(fixed(graph, node), undefined, graph);
  // addNode({ a: fnA }) and addSequence({ a: fnA }) take no options.
  none(`export const graph = new StateGraph(State)
  .addNode({ draft, review })
  .addEdge(START, "draft").addEdge("draft", "review").addEdge("review", END)
  .compile();
`);
  none(`export const graph = new StateGraph(State)
  .addSequence({ draft: draft, review: review })
  .addEdge(START, "draft").addEdge("review", END)
  .compile();
`, 'review');
  // A variable shared by other nodes; a spread that may hold a retry policy; an explicit retryPolicy: undefined.
  none(`export const graph = new StateGraph(State)
  .addNode("draft", draft, opts)
  .addEdge(START, "draft").addEdge("draft", END)
  .compile();
`);
  none(`export const graph = new StateGraph(State)
  .addNode("draft", draft, { ...opts, timeout: 10_000 })
  .addEdge(START, "draft").addEdge("draft", END)
  .compile();
`);
  none(`export const graph = new StateGraph(State)
  .addNode("draft", draft, { retryPolicy: undefined })
  .addEdge(START, "draft").addEdge("draft", END)
  .compile();
`);
});

test('a node whose name is a constant, in a plain .js module', () => {
  assert.equal(fixed(`const DRAFT = "draft";
export const graph = new StateGraph(State)
  .addNode(DRAFT, draft)
  .addEdge(START, DRAFT)
  .addEdge(DRAFT, END)
  .compile();
`, 'draft', 'file:///app/graph.js'), `const DRAFT = "draft";
export const graph = new StateGraph(State)
  .addNode(DRAFT, draft, { retryPolicy: { maxAttempts: 3 } })
  .addEdge(START, DRAFT)
  .addEdge(DRAFT, END)
  .compile();
`);
});
