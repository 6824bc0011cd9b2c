// langgraph.json: the graphs a LangGraph deployment serves. Its entries name graphs (by graph id, the main graph
// of their file), and an entry that a deployment could not load is reported at its place in langgraph.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace, type FileHost } from '../../server/src/analysis/workspace.ts';
import { isLanggraphJson, parseLanggraphJson } from '../../server/src/frontends/langgraph/langgraphJson.ts';

const GRAPH_PY = `from typing import TypedDict
from langgraph.graph import StateGraph, START, END

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

helper = 1
`;

function host(files: Record<string, string>): FileHost & { files: Record<string, string> } {
  return {
    files,
    read: (uri) => files[uri],
    list: (folder) => Object.keys(files).filter((u) => u.startsWith(folder + '/') && !u.slice(folder.length + 1).includes('/')),
  };
}

const CONFIG = 'file:///app/langgraph.json';
const PY = 'file:///app/src/agent/graph.py';

test('parses graphs in both documented forms, with the place of each value', () => {
  const text = '{\n  "dependencies": ["."],\n  "graphs": {\n    "agent": "./src/agent/graph.py:graph",\n    "research": { "path": "./src/research.ts:workflow", "description": "x" }\n  },\n  "env": ".env"\n}';
  const c = parseLanggraphJson(text);
  assert.deepEqual(c.diagnostics, []);
  assert.deepEqual(c.graphs.map((g) => [g.id, g.module, g.variable, text.slice(g.range.start, g.range.end)]), [
    ['agent', './src/agent/graph.py', 'graph', '"./src/agent/graph.py:graph"'],
    ['research', './src/research.ts', 'workflow', '"./src/research.ts:workflow"'],
  ]);
  assert.deepEqual(c.localDependencies, ['.']);
  assert.ok(isLanggraphJson(CONFIG) && isLanggraphJson('langgraph.json') && !isLanggraphJson('file:///app/my-langgraph.json'));
});

test('malformed langgraph.json: a finding at the place, never a throw', () => {
  for (const [text, at, says] of [
    ['{ "graphs": { "agent": "./g.py:graph", } }', 37, 'trailing comma'],
    ['{ "graphs": ', 12, 'end of the file'],
    ['[1, 2]', 0, 'JSON object'],
    ['{ "graphs": ["./g.py:graph"] }', 12, 'must map graph ids'],
    ['{ "graphs": { "agent": "./g.py" } }', 23, 'not in the form'],
    ['{ "graphs": { "agent": 3 } }', 23, 'must be a'],
    ['{ "graphs": { "agent": { "description": "d" } } }', 23, 'has no "path"'],
    ['{ "dependencies": ["."] }', 0, 'no "graphs"'],
    ['{ "graphs": { "a": "\\q" } }', 19, 'invalid escape'],
    ['\u0000\u0001', 0, 'not valid JSON'],
  ] as const) {
    const c = parseLanggraphJson(text);
    assert.equal(c.diagnostics.length, 1, text);
    assert.equal(c.diagnostics[0].code, 'AG001');
    assert.equal(c.diagnostics[0].range.start, at, text);
    assert.ok(c.diagnostics[0].message.includes(says), `${text}: ${c.diagnostics[0].message}`);
  }
  for (let n = 0; n < 200; n++) parseLanggraphJson('{"graphs": {"a": "./x.py:g"'.slice(0, n));
  parseLanggraphJson('['.repeat(100_000));
});

test('the graph langgraph.json names is the main graph of its file, named by its graph id', () => {
  const files = host({ [PY]: GRAPH_PY });
  const before = new Workspace(files).analyze(PY);
  assert.equal(before.graph?.name?.value, 'builder', 'without langgraph.json: the last unused builder');

  files.files[CONFIG] = '{ "graphs": { "kyc": "./src/agent/graph.py:inner_graph" } }';
  const ws = new Workspace(files);
  const a = ws.analyze(PY);
  assert.equal(a.graph?.name?.value, 'kyc');
  assert.deepEqual(a.graph?.aliases, ['inner', 'inner_graph'], 'its own names still address it');
  assert.ok(a.graph?.nodes.has('a'));
  assert.equal(a.graphs.length, 2);
  assert.equal(ws.graphOf(`${PY}#inner`)?.graph?.name?.value, 'kyc');
  assert.equal(ws.graphOf(`${PY}#kyc`)?.graph?.name?.value, 'kyc', 'addressed by its graph id');
  assert.ok(ws.dependentsOf(CONFIG).includes(PY), 'a change to langgraph.json re-analyses the files below it');

  // langgraph.json changes: the file is parsed again under the new names.
  files.files[CONFIG] = '{ "graphs": { "agent": "./src/agent/graph.py:graph", "other": "./src/agent/graph.py:builder" } }';
  ws.fileChanged(CONFIG);
  const b = ws.analyze(PY);
  assert.equal(b.graph?.name?.value, 'agent');
  assert.deepEqual(b.graph?.aliases, ['builder', 'graph', 'other'], 'a second id for the same graph is another name');
  assert.equal(b.graphs[1].graph.name?.value, 'inner');
});

test('an entry a deployment could not load is reported at its value in langgraph.json', () => {
  const text = JSON.stringify({
    dependencies: ['.'],
    graphs: {
      agent: './src/agent/graph.py:graph',
      missing: './src/agent/grpah.py:graph',
      typo: './src/agent/graph.py:grpah',
      notagraph: './src/agent/graph.py:helper',
      described: { path: './src/agent/graph.py:builder', description: 'the app' },
      installed: 'some_package.graphs:graph',
    },
  }, null, 2);
  const ws = new Workspace(host({ [PY]: GRAPH_PY, [CONFIG]: text }));
  const a = ws.analyze(CONFIG);
  const found = a.diagnostics.map((d) => [d.code, d.severity, text.slice(d.range.start, d.range.end)]);
  assert.deepEqual(found, [
    ['AG002', 'error', '"./src/agent/grpah.py:graph"'],
    ['AG002', 'error', '"./src/agent/graph.py:grpah"'],
    ['AG002', 'warning', '"./src/agent/graph.py:helper"'],
  ]);
  const [missing, typo, helper] = a.diagnostics;
  assert.match(missing.message, /"\.\/src\/agent\/grpah\.py" does not exist .*a deployment fails to load graph "missing"/);
  assert.match(typo.message, /"graph\.py" defines no "grpah" \(the graphs there: "builder" or "graph", "inner" or "inner_graph"\): a deployment fails to load graph "typo"; .*such as "\.\/src\/agent\/graph\.py:graph"/);
  assert.match(helper.message, /AgentGraph reads no graph named "helper" in "graph\.py".*if "helper" is not a graph .*a deployment fails to load graph "notagraph"/);
  assert.deepEqual(a.dependencies, [PY, 'file:///app/src/agent/grpah.py'], 'the files it names, the missing one too: creating it re-checks');
  assert.ok(ws.dependentsOf(PY).includes(CONFIG), 'a change to the code re-checks langgraph.json');
});

test('a Python module name is found under the config or its local dependencies', () => {
  const text = '{ "dependencies": ["./src"], "graphs": { "agent": "agent.graph:graph", "bad": "agent.graph:nope" } }';
  const ws = new Workspace(host({ [PY]: GRAPH_PY, [CONFIG]: text }));
  const a = ws.analyze(CONFIG);
  assert.deepEqual(a.diagnostics.map((d) => text.slice(d.range.start, d.range.end)), ['"agent.graph:nope"']);
  assert.equal(ws.analyze(PY).graph?.name?.value, 'agent');
});

test('an overlay suggested for a deployed graph names it by its code name, which holds without langgraph.json', () => {
  const ws = new Workspace(host({ [PY]: GRAPH_PY, [CONFIG]: '{ "graphs": { "agent": "./src/agent/graph.py:graph" } }' }));
  const a = ws.analyze(PY);
  assert.equal(a.graph?.codeName, 'builder');
  const budget = a.diagnostics.find((d) => d.code === 'AG301' && d.message.includes('"agent"'));
  assert.match(budget?.message ?? '', /graph "agent" has no cost limit.*source: \{ file: \.\/graph\.py, graph: builder \}/);
});
