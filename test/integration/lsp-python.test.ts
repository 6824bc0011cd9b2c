// The bundled language server on LangGraph Python modules, over its protocol as VS Code speaks it: a module with
// a graph gets AgentGraph's findings (and only those, beside the Python tooling), an edit that guards the loop
// clears AG201, a module without a graph gets nothing at all, and the graph view, hover, lenses and inlay hints
// answer for a `.py` graph.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspTestClient } from '../support/lspClient.ts';
import type { GraphViewModel } from '../../common/graphModel.ts';

const FIXTURES = resolve('test/fixtures/e2e-python');
const GRAPH = readFileSync(join(FIXTURES, 'graph.py'), 'utf8');
const HELPERS = readFileSync(join(FIXTURES, 'helpers.py'), 'utf8');

let client: LspTestClient;
let dir: string;
const uriOf = (name: string) => pathToFileURL(join(dir, name)).toString();

/** The 0-based line and character of the first occurrence of `needle` in `text` (plus `shift` characters). */
function positionOf(text: string, needle: string, shift = 0): { line: number; character: number } {
  const at = text.indexOf(needle);
  assert.ok(at >= 0, `"${needle}" is not in the text`);
  const before = text.slice(0, at + shift).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'agentgraph-lsp-py-'));
  client = new LspTestClient(dir);
  await client.initialize(pathToFileURL(dir).toString());
});

after(async () => {
  await client.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

test('an unguarded draft <-> critique loop in a .py graph is AG201 at the loop\'s closing edge', async () => {
  const uri = uriOf('graph.py');
  const published = client.next(uri);
  await client.open(uri, GRAPH);
  const { diagnostics } = await published;
  const loop = diagnostics.find((d) => d.code === 'AG201');
  assert.ok(loop, `expected AG201 among ${diagnostics.map((d) => d.code).join(', ')}`);
  assert.equal(loop.source, 'agentgraph');
  // The closing edge critique -> draft is the router's `Literal["draft", ...]` return annotation.
  assert.deepEqual(loop.range.start, positionOf(GRAPH, '"draft", "__end__"'));
  assert.deepEqual(diagnostics.filter((d) => d.code === 'AG001'), [], 'no AG001 on a module that reads');
});

test('hover on a node id in add_node answers with what the analysis knows of the node', async () => {
  const uri = uriOf('graph.py');
  const hover = await client.request<{ contents: { kind: string; value: string }; range: { start: { line: number; character: number } } } | null>('textDocument/hover', {
    textDocument: { uri },
    position: positionOf(GRAPH, 'add_node("critique"', 'add_node("'.length + 2),
  });
  assert.ok(hover, 'a hover on "critique"');
  assert.equal(hover.contents.kind, 'markdown');
  assert.match(hover.contents.value, /critique/);
  assert.match(hover.contents.value, /llm/);
  // Not a symbol of the graph: nothing (the format's documentation is about YAML keys, such as `name:`).
  const none = await client.request('textDocument/hover', { textDocument: { uri }, position: positionOf(GRAPH, 'typing import', 2) });
  assert.equal(none, null);
});

test('agentgraph/graphView answers for the .py graph with its node ids and the unbounded loop', async () => {
  const model = await client.request<GraphViewModel | null>('agentgraph/graphView', { uri: uriOf('graph.py') });
  assert.ok(model, 'a view model');
  assert.deepEqual(model.nodes.map((n) => n.id), ['__start__', 'draft', 'critique', 'END']);
  const draft = model.nodes.find((n) => n.id === 'draft')!;
  // A click reveals the add_node string literal.
  assert.deepEqual(draft.range?.start, positionOf(GRAPH, '"draft", draft)'));
  assert.deepEqual(model.loops.map((l) => l.status), ['unbounded']);
});

test('lenses, inlay hints and code actions on a .py graph', async () => {
  const uri = uriOf('graph.py');
  const lenses = await client.request<{ range: { start: { line: number } }; command: { title: string; command: string } }[]>('textDocument/codeLens', { textDocument: { uri } });
  const titles = lenses.map((l) => l.command.title);
  assert.ok(titles.some((t) => /Production readiness: not ready/.test(t)), titles.join(' | '));
  assert.ok(titles.some((t) => /Open graph/.test(t)), titles.join(' | '));
  assert.ok(titles.some((t) => /Worst case per run/.test(t)), titles.join(' | '));
  const open = lenses.find((l) => /Open graph/.test(l.command.title))!;
  assert.equal(open.range.start.line, positionOf(GRAPH, 'StateGraph(State)').line, 'the open-graph lens sits on the StateGraph call');

  const hints = await client.request<{ position: { line: number }; label: string }[]>('textDocument/inlayHint', {
    textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 200, character: 0 } },
  });
  assert.deepEqual(hints.map((h) => h.position.line).sort(), [positionOf(GRAPH, 'add_node("draft"').line, positionOf(GRAPH, 'add_node("critique"').line].sort());

  // Only the fixes written for code are offered in Python (the format's YAML edits never are): a retry
  // policy on an add_node, and the overlay beside the module, created as a new file.
  const actions = await client.request<{ title: string; edit: { changes?: Record<string, { newText: string }[]>; documentChanges?: { kind?: string; uri?: string }[] } }[]>('textDocument/codeAction', {
    textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 200, character: 0 } }, context: { diagnostics: [] },
  });
  for (const a of actions) assert.match(a.title, /^(Retry "|Create \S+\.agentgraph\.yaml beside)/, a.title);
  const retry = actions.find((a) => a.title.startsWith('Retry'));
  assert.ok(retry?.edit.changes?.[uri]?.some((e) => e.newText.includes('retry_policy=RetryPolicy(max_attempts=3)')));
  const overlay = actions.find((a) => a.title.startsWith('Create'));
  assert.equal(overlay?.edit.documentChanges?.[0]?.kind, 'create');
});

test('a guard typed into the router clears AG201 and the loop shows the guard as its bound', async () => {
  const uri = uriOf('graph.py');
  const at = positionOf(GRAPH, '    if state["draft"]');
  const published = client.next(uri, (p) => p.version === 2);
  await client.change(uri, 2, [{ range: { start: at, end: at }, text: '    if state["revisions"] >= 3:\n        return END\n' }]);
  const { diagnostics } = await published;
  assert.deepEqual(diagnostics.filter((d) => d.code === 'AG201'), []);
  const model = await client.request<GraphViewModel>('agentgraph/graphView', { uri });
  assert.deepEqual(model.loops.map((l) => [l.status, l.bound]), [['guarded', 'guard route: state["revisions"] >= 3']]);
});

test('a syntax error is left to the Python tooling: no AG001 is published, the graph is still analysed', async () => {
  const uri = uriOf('graph.py');
  const at = positionOf(GRAPH, 'graph = builder.compile()');
  const published = client.next(uri, (p) => p.version === 3);
  await client.change(uri, 3, [{ range: { start: at, end: at }, text: 'def broken(:\n' }]);
  const { diagnostics } = await published;
  assert.deepEqual(diagnostics.filter((d) => d.code === 'AG001'), []);
  assert.ok(diagnostics.some((d) => d.code === 'AG101'), `the graph's findings stay: ${diagnostics.map((d) => d.code).join(', ')}`);
});

test('a .py without StateGraph gets no diagnostics at all and every request answers at once with nothing', async () => {
  const uri = uriOf('helpers.py');
  let publishedForHelpers = false;
  const watch = client.next(uri, () => (publishedForHelpers = true), 1500).catch(() => undefined);
  await client.open(uri, HELPERS);
  await client.change(uri, 2, [{ text: HELPERS + '\n# still no graph\n' }]);
  // A graph file opened after it is analysed and published: by then anything for helpers.py would have been sent.
  const other = uriOf('other.py');
  const otherPublished = client.next(other);
  await client.open(other, GRAPH);
  await otherPublished;
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(publishedForHelpers, false, 'nothing is published for a module without a graph');
  void watch;

  const started = Date.now();
  const [hover, lenses, hints, symbols, model] = await Promise.all([
    client.request('textDocument/hover', { textDocument: { uri }, position: { line: 3, character: 6 } }),
    client.request<unknown[]>('textDocument/codeLens', { textDocument: { uri } }),
    client.request<unknown[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } } }),
    client.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri } }),
    client.request<GraphViewModel>('agentgraph/graphView', { uri }),
  ]);
  assert.ok(Date.now() - started < 1000, 'no request waits for an analysis that never comes');
  assert.equal(hover, null);
  assert.deepEqual(lenses, []);
  assert.deepEqual(hints, []);
  assert.deepEqual(symbols, []);
  assert.deepEqual(model.nodes, []);

  // Closing it sends nothing either.
  await client.close(uri);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(publishedForHelpers, false);
});

test('a module whose StateGraph is deleted is cleared once, then left alone', async () => {
  const uri = uriOf('other.py');
  const cleared = client.next(uri, (p) => p.version === 2);
  await client.change(uri, 2, [{ text: HELPERS }]);
  const { diagnostics } = await cleared;
  assert.deepEqual(diagnostics, []);
  let again = false;
  const watch = client.next(uri, () => (again = true), 1500).catch(() => undefined);
  await client.change(uri, 3, [{ text: HELPERS + '\n' }]);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(again, false, 'nothing more is published while it holds no graph');
  void watch;
  // And it comes back when a graph is written into it again.
  const back = client.next(uri, (p) => p.version === 4);
  await client.change(uri, 4, [{ text: GRAPH }]);
  assert.ok((await back).diagnostics.some((d) => d.code === 'AG201'));
});
