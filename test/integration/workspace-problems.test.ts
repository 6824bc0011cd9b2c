// The whole workspace in Problems: the graph files of the workspace folders are analysed in the background
// and their findings published without opening them (agentgraph.problems.scope: workspace, the default), or
// not at all with `openFiles`; published again when they change on disk, cleared when they are deleted.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspTestClient } from '../support/lspClient.ts';

// A graph with findings: no budget, no tracing, no success criteria.
const BARE = `agentgraph: 1
name: bare
entry: a
nodes:
  a: { kind: function, next: END }
`;
const CLEAN = readFileSync('examples/support-triage.agentgraph.yaml', 'utf8');
const PYTHON = readFileSync('test/fixtures/langgraph/python/' + 'react_tool_loop.py', 'utf8');

let client: LspTestClient | undefined;
let dir: string | undefined;
afterEach(async () => {
  await client?.shutdown();
  if (dir) rmSync(dir, { recursive: true, force: true });
  client = dir = undefined;
});

/** A workspace with two YAML graph files and a LangGraph module, none of them opened, plus files that hold no graph. */
async function workspace(settings: Record<string, unknown>): Promise<{ c: LspTestClient; uris: string[] }> {
  dir = mkdtempSync(join(tmpdir(), 'agentgraph-wsproblems-'));
  mkdirSync(join(dir, 'sub'));
  mkdirSync(join(dir, 'node_modules'));
  writeFileSync(join(dir, 'a.agentgraph.yaml'), BARE);
  writeFileSync(join(dir, 'sub', 'b.agentgraph.yaml'), BARE.replace('name: bare', 'name: bare-b'));
  writeFileSync(join(dir, 'sub', 'flow.py'), PYTHON);
  writeFileSync(join(dir, 'plain.py'), 'print("no graph here")\n');
  writeFileSync(join(dir, 'node_modules', 'c.agentgraph.yaml'), BARE);
  const c = (client = new LspTestClient(dir));
  c.settings = settings;
  c.workspaceFolders = [{ uri: pathToFileURL(dir).toString(), name: 'ws' }];
  await c.initialize(pathToFileURL(dir).toString());
  const uris = [join(dir, 'a.agentgraph.yaml'), join(dir, 'sub', 'b.agentgraph.yaml'), join(dir, 'sub', 'flow.py')].map((p) => pathToFileURL(p).toString());
  return { c, uris };
}

test('with the default scope, every graph file of the workspace gets its findings published without being opened', async () => {
  const { c, uris } = await workspace({});
  const all = await Promise.all(uris.map((u) => c.next(u)));
  for (const p of all) assert.ok(p.diagnostics.length > 0, `nothing found in ${p.uri}`);
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual([...c.latest.keys()].sort(), [...uris].sort(), 'only the three graph files, not node_modules nor a module without a graph');

  // Changed on disk (clean now): published again, empty; deleted: cleared.
  const [a, b] = uris;
  writeFileSync(new URL(a), CLEAN);
  const cleaned = c.next(a);
  await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: a, type: 2 }] });
  assert.deepEqual((await cleaned).diagnostics.map((d) => d.code), []);
  unlinkSync(new URL(b));
  const cleared = c.next(b);
  await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: b, type: 3 }] });
  assert.equal((await cleared).diagnostics.length, 0);

  // Opened, the buffer's findings; closed, the file's on disk again.
  const flow = uris[2];
  const opened = c.next(flow, (p) => p.version === 1);
  await c.open(flow, PYTHON);
  const codes = (await opened).diagnostics.map((d) => d.code);
  const closedAgain = c.next(flow, (p) => p.diagnostics.length > 0 && p.version === undefined);
  await c.close(flow);
  assert.deepEqual((await closedAgain).diagnostics.map((d) => d.code), codes);
});

test('with agentgraph.problems.scope openFiles, nothing is published for files that are not open; switching clears them', async () => {
  const { c, uris } = await workspace({ problems: { scope: 'openFiles' } });
  await new Promise((r) => setTimeout(r, 1500));
  assert.deepEqual([...c.latest.keys()], []);

  c.settings = {};
  const all = Promise.all(uris.map((u) => c.next(u)));
  await c.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  assert.equal((await all).length, 3);
  c.settings = { problems: { scope: 'openFiles' } };
  const cleared = Promise.all(uris.map((u) => c.next(u, (p) => p.diagnostics.length === 0)));
  await c.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  assert.equal((await cleared).length, 3);
});

test('a langgraph.json of the workspace is checked without being opened, and the files it names too', async () => {
  dir = mkdtempSync(join(tmpdir(), 'agentgraph-wsproblems-lgjson-'));
  mkdirSync(join(dir, 'app'));
  writeFileSync(join(dir, 'app', 'flow.py'), PYTHON);
  const text = '{\n  "graphs": {\n    "agent": "./app/flow.py:react_graph",\n    "gone": "./app/gone.py:graph"\n  }\n}\n';
  writeFileSync(join(dir, 'langgraph.json'), text);
  const c = (client = new LspTestClient(dir));
  c.workspaceFolders = [{ uri: pathToFileURL(dir).toString(), name: 'ws' }];
  const config = pathToFileURL(join(dir, 'langgraph.json')).toString();
  const flow = pathToFileURL(join(dir, 'app', 'flow.py')).toString();
  const published = c.next(config);
  const code = c.next(flow);
  await c.initialize(pathToFileURL(dir).toString());
  const { diagnostics } = await published;
  assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [['AG002', 3]]);
  assert.match(diagnostics[0].message, /"\.\/app\/gone\.py" does not exist/);
  assert.ok((await code).diagnostics.length > 0);

  // Fixed on disk: published again, empty.
  writeFileSync(join(dir, 'langgraph.json'), text.replace("./app/gone.py:graph", "./app/flow.py:graph_builder"));
  const fixed = c.next(config, (p) => p.diagnostics.length === 0);
  await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: config, type: 2 }] });
  await fixed;
});
