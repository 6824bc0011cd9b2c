// The bundled language server on LangGraph JS/TS modules, over its protocol as VS Code speaks it: a `graph.ts`
// whose draft <-> review loop is bounded only by LangGraph JS's default recursion limit (25) gets AG202 (and only
// AgentGraph's findings, beside the TypeScript tooling: no syntax-error AG001, no YAML fixes), a guard typed
// into the router clears it and the graph view shows the guard, a `.ts` without StateGraph and a `.d.ts` get
// nothing at all, and the graph view, hover, lenses and inlay hints answer for a `.ts` graph.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspTestClient } from '../support/lspClient.ts';
import type { GraphViewModel } from '../../common/graphModel.ts';

const FIXTURES = resolve('test/fixtures/e2e-typescript');
const GRAPH = readFileSync(join(FIXTURES, 'graph.ts'), 'utf8');
const HELPERS = readFileSync(join(FIXTURES, 'helpers.ts'), 'utf8');
const DECLARATIONS = readFileSync(join(FIXTURES, 'types.d.ts'), 'utf8');
const GUARD = '  if (state.revisions >= 3) return "done";\n';

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

/** Nothing is published for `uri` while `during` runs, nor in the moment after a graph file opened later is published. */
async function nothingPublishedFor(uri: string, during: () => Promise<void>): Promise<void> {
  let published = false;
  const watch = client.next(uri, () => (published = true), 1500).catch(() => undefined);
  await during();
  const other = uriOf(`probe-${Date.now()}.ts`);
  const otherPublished = client.next(other);
  await client.open(other, GRAPH);
  await otherPublished;
  await new Promise((r) => setTimeout(r, 300));
  await client.close(other);
  assert.equal(published, false, `nothing is published for ${uri}`);
  void watch;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'agentgraph-lsp-ts-'));
  client = new LspTestClient(dir);
  await client.initialize(pathToFileURL(dir).toString());
});

after(async () => {
  await client.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

test('a loop bounded only by LangGraph JS\'s default recursion limit is AG202, with that figure, at the route back', async () => {
  const uri = uriOf('graph.ts');
  const published = client.next(uri);
  await client.open(uri, GRAPH);
  const { diagnostics } = await published;
  assert.ok(diagnostics.length > 0 && diagnostics.every((d) => d.source === 'agentgraph'));
  const loop = diagnostics.find((d) => d.code === 'AG202');
  assert.ok(loop, `expected AG202 among ${diagnostics.map((d) => d.code).join(', ')}`);
  // 25 steps do end the loop, by failing the run: a warning (AG202), not an unbounded loop (AG201).
  assert.equal(loop.severity, 2);
  assert.match(loop.message, /default recursion limit \(25\)/);
  assert.match(loop.message, /if \(state\.revisions >= 3\) return END/, 'the fix is spelled in TypeScript');
  assert.deepEqual(diagnostics.filter((d) => d.code === 'AG201'), []);
  // The closing edge review -> draft is the path map's `revise: "draft"`.
  assert.deepEqual(loop.range.start, positionOf(GRAPH, '"draft", done'));
  assert.deepEqual(diagnostics.filter((d) => d.code === 'AG001'), [], 'no AG001 on a module that reads');
});

test('agentgraph/graphView answers for the .ts graph with its node ids and the loop bounded by the default limit', async () => {
  const model = await client.request<GraphViewModel | null>('agentgraph/graphView', { uri: uriOf('graph.ts') });
  assert.ok(model, 'a view model');
  assert.deepEqual(model.nodes.map((n) => n.id), ['__start__', 'draft', 'review', 'END']);
  assert.deepEqual(model.nodes.filter((n) => n.id === 'draft' || n.id === 'review').map((n) => n.kind), ['llm', 'llm']);
  // A click reveals the addNode string literal.
  assert.deepEqual(model.nodes.find((n) => n.id === 'review')!.range?.start, positionOf(GRAPH, '"review", review)'));
  assert.deepEqual(model.loops.map((l) => [l.status, l.bound]), [['steps', 'default recursion limit 25 only']]);
});

test('hover on a node id in addNode answers with what the analysis knows of the node, and nothing elsewhere', async () => {
  const uri = uriOf('graph.ts');
  const hover = await client.request<{ contents: { kind: string; value: string } } | null>('textDocument/hover', {
    textDocument: { uri },
    position: positionOf(GRAPH, 'addNode("review"', 'addNode("'.length + 2),
  });
  assert.ok(hover, 'a hover on "review"');
  assert.equal(hover.contents.kind, 'markdown');
  assert.match(hover.contents.value, /review/);
  assert.match(hover.contents.value, /llm/);
  const none = await client.request('textDocument/hover', { textDocument: { uri }, position: positionOf(GRAPH, 'import {', 2) });
  assert.equal(none, null);
});

test('lenses and inlay hints on a .ts graph; of the code actions the retry policies and the overlay, no completion, rename or outline', async () => {
  const uri = uriOf('graph.ts');
  const lenses = await client.request<{ range: { start: { line: number } }; command: { title: string } }[]>('textDocument/codeLens', { textDocument: { uri } });
  const titles = lenses.map((l) => l.command.title);
  assert.ok(titles.some((t) => /Production readiness: not ready/.test(t)), titles.join(' | '));
  const open = lenses.find((l) => /Open graph/.test(l.command.title));
  assert.ok(open, titles.join(' | '));
  assert.equal(open.range.start.line, positionOf(GRAPH, 'new StateGraph(State)').line, 'the open-graph lens sits on the StateGraph call');

  const hints = await client.request<{ position: { line: number } }[]>('textDocument/inlayHint', {
    textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 200, character: 0 } },
  });
  assert.deepEqual(hints.map((h) => h.position.line).sort(), [positionOf(GRAPH, 'addNode("draft"').line, positionOf(GRAPH, 'addNode("review"').line].sort());

  const whole = { start: { line: 0, character: 0 }, end: { line: 200, character: 0 } };
  type Action = { title: string; isPreferred?: boolean; diagnostics?: { code: string }[]; edit: { changes?: Record<string, { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]> } };
  const actions = await client.request<Action[]>('textDocument/codeAction', { textDocument: { uri }, range: whole, context: { diagnostics: [] } });
  // The fixes written for code: a retry policy in each model node's addNode options, the overlay beside the
  // module; no YAML edit, no Python retry_policy.
  assert.deepEqual(actions.map((a) => a.title.replace(/:.*$/, '')).sort(), [
    'Create graph.agentgraph.yaml beside graph.ts',
    'Retry "draft" up to 3 times (retryPolicy',
    'Retry "review" up to 3 times (retryPolicy',
  ]);
  const retry = actions.find((a) => a.title.startsWith('Retry "review"'))!;
  assert.equal(retry.isPreferred, true);
  assert.deepEqual(retry.diagnostics?.map((d) => d.code), ['AG102']);
  // In the chain, the edit goes into the addNode("review", review) call, after its second argument.
  const after = positionOf(GRAPH, '"review", review', '"review", review'.length);
  assert.deepEqual(retry.edit.changes?.[uri], [{ range: { start: after, end: after }, newText: ', { retryPolicy: { maxAttempts: 3 } }' }]);
  const completion = await client.request<unknown[] | { items: unknown[] }>('textDocument/completion', { textDocument: { uri }, position: positionOf(GRAPH, 'addNode("draft"', 'addNode("'.length) });
  assert.deepEqual(Array.isArray(completion) ? completion : completion.items, []);
  assert.equal(await client.request('textDocument/prepareRename', { textDocument: { uri }, position: positionOf(GRAPH, 'addNode("draft"', 'addNode("'.length + 1) }), null);
  assert.deepEqual(await client.request('textDocument/documentSymbol', { textDocument: { uri } }), []);
});

test('a guard typed into the router clears AG202 and the loop shows the guard as its bound', async () => {
  const uri = uriOf('graph.ts');
  const at = positionOf(GRAPH, '  return state.draft.endsWith');
  const published = client.next(uri, (p) => p.version === 2);
  await client.change(uri, 2, [{ range: { start: at, end: at }, text: GUARD }]);
  const { diagnostics } = await published;
  assert.deepEqual(diagnostics.filter((d) => d.code === 'AG201' || d.code === 'AG202'), []);
  assert.ok(diagnostics.some((d) => d.code === 'AG101'), `the graph's other findings stay: ${diagnostics.map((d) => d.code).join(', ')}`);
  const model = await client.request<GraphViewModel>('agentgraph/graphView', { uri });
  assert.deepEqual(model.loops.map((l) => [l.status, l.bound]), [['guarded', 'guard route: state.revisions >= 3']]);
});

test('a syntax error is left to the TypeScript tooling: no AG001 is published, the graph is still analysed', async () => {
  const uri = uriOf('graph.ts');
  const at = positionOf(GRAPH, 'export const graph');
  const published = client.next(uri, (p) => p.version === 3);
  await client.change(uri, 3, [{ range: { start: at, end: at }, text: 'function broken( {\n}\n' }]);
  const { diagnostics } = await published;
  assert.deepEqual(diagnostics.filter((d) => d.code === 'AG001'), []);
  assert.ok(diagnostics.some((d) => d.code === 'AG101'), `the graph's findings stay: ${diagnostics.map((d) => d.code).join(', ')}`);
});

test('a .ts without StateGraph gets no diagnostics at all and every request answers at once with nothing', async () => {
  const uri = uriOf('helpers.ts');
  await nothingPublishedFor(uri, async () => {
    await client.open(uri, HELPERS);
    await client.change(uri, 2, [{ text: HELPERS + '\n// still no graph\n' }]);
  });
  const started = Date.now();
  const [hover, lenses, hints, model] = await Promise.all([
    client.request('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 18 } }),
    client.request<unknown[]>('textDocument/codeLens', { textDocument: { uri } }),
    client.request<unknown[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 9, character: 0 } } }),
    client.request<GraphViewModel>('agentgraph/graphView', { uri }),
  ]);
  assert.ok(Date.now() - started < 1000, 'no request waits for an analysis that never comes');
  assert.equal(hover, null);
  assert.deepEqual(lenses, []);
  assert.deepEqual(hints, []);
  assert.deepEqual(model.nodes, []);
  await client.close(uri);
});

test('a .d.ts is never analysed, even when it spells StateGraph; nor is a library\'s module under node_modules', async () => {
  assert.match(DECLARATIONS, /StateGraph/);
  const dts = uriOf('types.d.ts');
  const lib = uriOf('node_modules/some-lib/graph.ts');
  await nothingPublishedFor(dts, async () => {
    await client.open(dts, DECLARATIONS);
    await client.change(dts, 2, [{ text: DECLARATIONS + '\n// new StateGraph(State)\n' }]);
  });
  await nothingPublishedFor(lib, () => client.open(lib, GRAPH));
  for (const uri of [dts, lib]) {
    const model = await client.request<GraphViewModel>('agentgraph/graphView', { uri });
    assert.deepEqual(model.nodes, [], uri);
    assert.deepEqual(await client.request('textDocument/codeLens', { textDocument: { uri } }), [], uri);
  }
});

test('.tsx, .mjs and .cjs modules are read as the .ts one', async () => {
  for (const name of ['graph.tsx', 'graph.mjs', 'graph.cjs']) {
    const uri = uriOf(name);
    // Plain JavaScript: the same module without its type annotations.
    const text = name.endsWith('.tsx') ? GRAPH : GRAPH.replace(/: typeof State\.State/g, '').replace(/Annotation<\w+>/g, 'Annotation');
    const published = client.next(uri);
    await client.open(uri, text);
    const { diagnostics } = await published;
    assert.ok(diagnostics.some((d) => d.code === 'AG202'), `${name}: ${diagnostics.map((d) => d.code).join(', ')}`);
    assert.deepEqual(diagnostics.filter((d) => d.code === 'AG001'), [], name);
    await client.close(uri);
  }
});

test('a module whose StateGraph is deleted is cleared once, then left alone', async () => {
  const uri = uriOf('graph.ts');
  const cleared = client.next(uri, (p) => p.version === 4);
  await client.change(uri, 4, [{ text: HELPERS }]);
  assert.deepEqual((await cleared).diagnostics, []);
  await nothingPublishedFor(uri, () => client.change(uri, 5, [{ text: HELPERS + '\n' }]));
  const back = client.next(uri, (p) => p.version === 6);
  await client.change(uri, 6, [{ text: GRAPH }]);
  assert.ok((await back).diagnostics.some((d) => d.code === 'AG202'));
});
