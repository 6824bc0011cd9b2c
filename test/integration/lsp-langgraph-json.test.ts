// langgraph.json over the protocol as VS Code speaks it (the file open in its own JSON language): the server
// publishes under its URI the entries a deployment could not load, at their values; the graph it names is the
// graph view's graph, titled by its graph id; an edit to langgraph.json re-analyses the code it names; a broken
// langgraph.json crashes nothing (its syntax errors are the JSON language's to report).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspTestClient } from '../support/lspClient.ts';
import type { GraphViewModel } from '../../common/graphModel.ts';

const GRAPH_PY = `from typing import TypedDict
from langgraph.graph import StateGraph, START

class S(TypedDict):
    x: int

def a(state: S): return {"x": 1}
def b(state: S): return {"x": 2}

inner = StateGraph(S)
inner.add_node("a", a)
inner.add_edge(START, "a")
inner_graph = inner.compile()

builder = StateGraph(S)
builder.add_node("b", b)
builder.add_edge(START, "b")
graph = builder.compile()
`;

let client: LspTestClient;
let dir: string;
let config: string;
let code: string;

function rangeOf(text: string, needle: string) {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `"${needle}" is not in the text`);
  const pos = (o: number) => {
    const lines = text.slice(0, o).split('\n');
    return { line: lines.length - 1, character: lines[lines.length - 1].length };
  };
  return { start: pos(at), end: pos(at + needle.length) };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'agentgraph-lsp-lgjson-'));
  mkdirSync(join(dir, 'src', 'agent'), { recursive: true });
  writeFileSync(join(dir, 'src', 'agent', 'graph.py'), GRAPH_PY);
  config = pathToFileURL(join(dir, 'langgraph.json')).toString();
  code = pathToFileURL(join(dir, 'src', 'agent', 'graph.py')).toString();
  client = new LspTestClient(dir);
  await client.initialize(pathToFileURL(dir).toString());
});

after(async () => {
  await client.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

test('langgraph.json: its broken entries at their values, its graph the view\'s, edits re-analyse the code', async () => {
  const text = '{\n  "dependencies": ["."],\n  "graphs": {\n    "kyc": "./src/agent/graph.py:inner_graph",\n    "support": "./src/agent/gaph.py:graph"\n  }\n}\n';
  writeFileSync(join(dir, 'langgraph.json'), text);
  const published = client.next(config);
  await client.open(config, text, 1, 'json');
  const { diagnostics } = await published;
  assert.deepEqual(diagnostics.map((d) => [d.code, d.severity, d.range]), [['AG002', 1, rangeOf(text, '"./src/agent/gaph.py:graph"')]]);
  assert.match(diagnostics[0].message, /does not exist .*a deployment fails to load graph "support"/);

  const codePublished = client.next(code);
  await client.open(code, GRAPH_PY);
  await codePublished;
  const view = await client.request<GraphViewModel | null>('agentgraph/graphView', { uri: code });
  assert.equal(view?.header.name, 'kyc', 'titled by its graph id');
  assert.ok(view?.nodes.some((n) => n.id === 'a'), 'the graph langgraph.json names is the file\'s main graph');
  // Not the YAML format's: no completion, no hover of the format's keys in langgraph.json.
  assert.deepEqual(await client.request('textDocument/completion', { textDocument: { uri: config }, position: { line: 1, character: 3 } }), []);

  // langgraph.json edited: the code it names is analysed again, under the new name.
  const next = text.replace('graph.py:inner_graph', 'graph.py:graph').replace('gaph.py', 'graph.py');
  const again = client.next(code, (p) => p.version === 1);
  const fixed = client.next(config, (p) => p.version === 2);
  await client.change(config, 2, [{ text: next }]);
  assert.deepEqual((await fixed).diagnostics, []);
  await again;
  const view2 = await client.request<GraphViewModel | null>('agentgraph/graphView', { uri: code });
  assert.equal(view2?.header.name, 'kyc');
  assert.ok(view2?.nodes.some((n) => n.id === 'b'), 'now the compiled "graph" is the main graph');

  // Broken JSON while typing: nothing crashes; its syntax error is the JSON language's to report.
  const broken = client.next(config, (p) => p.version === 3);
  const back = client.next(code, (p) => p.version === 1);
  await client.change(config, 3, [{ text: '{ "graphs": ' }]);
  assert.deepEqual((await broken).diagnostics, []);
  await back;
  const view3 = await client.request<GraphViewModel | null>('agentgraph/graphView', { uri: code });
  assert.equal(view3?.header.name, 'builder', 'no readable langgraph.json: the file\'s own main graph');
});
