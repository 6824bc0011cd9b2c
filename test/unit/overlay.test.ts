// The overlay of a code-defined graph: its policies apply to the graph read from the code, and each file shows
// the findings whose place is in it (nodes and edges in the code, policies in the overlay).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { Workspace, type FileHost } from '../../server/src/analysis/workspace.ts';
import { diskHost } from '../../server/src/node/diskHost.ts';
import { pathToUri } from '../../server/src/core/uris.ts';

const code = pathToUri(resolve('test/fixtures/overlay/writer.py'));
const overlay = pathToUri(resolve('test/fixtures/overlay/writer.agentgraph.yaml'));
const codes = (ds: readonly { code: string }[]) => ds.map((d) => d.code).sort();

test('an overlay gives a code-defined graph its budget, prices, input tokens, tracing and success criteria', () => {
  const ws = new Workspace(diskHost);
  const a = ws.analyze(code);
  assert.equal(a.graph?.budget?.usd, 0.0001);
  assert.equal(a.graph?.tracing?.exporter, 'otlp');
  assert.equal(a.graph?.nodes.get('write')?.inputTokens, 2000);
  assert.equal(a.graph?.models.get('llm')?.inputUsdPerMtok, 0.15);
  // Graph-level findings are the overlay's now; the code keeps the findings about its nodes and edges.
  for (const c of ['AG301', 'AG601', 'AG701', 'AG303', 'AG001', 'AG002']) assert.ok(!codes(a.diagnostics).includes(c), `${c} in the code file`);
  assert.ok(codes(a.diagnostics).includes('AG202'), "the overlay's budget.steps bounds the code's loop");
  assert.ok(a.dependencies.includes(overlay), 'the code re-analyses when its overlay changes');
});

test('the overlay reports what is wrong in it, at its place, and the budget the worst case exceeds', () => {
  const ws = new Workspace(diskHost);
  const a = ws.analyze(overlay);
  const at = (c: string) => a.diagnostics.filter((d) => d.code === c).map((d) => a.text.slice(d.range.start, d.range.end));
  assert.deepEqual(at('AG002'), ['wrtie']);
  assert.deepEqual(at('AG001'), ['next']);
  assert.ok(a.diagnostics.find((d) => d.code === 'AG001')!.message.includes('cannot be set in an overlay'));
  assert.ok(codes(a.diagnostics).includes('AG303'), 'the worst case under budget.steps exceeds budget.usd');
  for (const d of a.diagnostics) assert.ok(d.range.end <= a.text.length, `${d.code} placed past the overlay's end`);
  assert.ok(!codes(a.diagnostics).includes('AG202'), 'the loop is the code\'s to report');
  assert.ok(a.graph?.nodes.has('critique'), 'the overlay sees the code\'s nodes');
});

test('an overlay whose source is missing or names no graph says so at its source key', () => {
  const text = (src: string) => `agentgraph: 1\nname: x\nsource: ${src}\n`;
  const files = new Map<string, string>([
    ['file:///p/a.agentgraph.yaml', text('{ file: ./missing.py }')],
    ['file:///p/b.agentgraph.yaml', text('{ file: ./g.py, graph: nope }')],
    ['file:///p/g.py', 'from langgraph.graph import StateGraph\nbuilder = StateGraph(dict)\nbuilder.add_node("a", lambda s: s)\nbuilder.set_entry_point("a")\n'],
  ]);
  const host: FileHost = { read: (u) => files.get(u), list: () => [...files.keys()] };
  const ws = new Workspace(host);
  const a = ws.analyze('file:///p/a.agentgraph.yaml');
  assert.match(a.diagnostics.find((d) => d.code === 'AG002')!.message, /does not exist/);
  const b = ws.analyze('file:///p/b.agentgraph.yaml');
  assert.match(b.diagnostics.find((d) => d.code === 'AG002')!.message, /no graph named "nope" \(it holds "builder"\)/);
  // Without an overlay naming it, the code file keeps the graph-level findings, at its StateGraph call.
  const g = ws.analyze('file:///p/g.py');
  const ag301 = g.diagnostics.find((d) => d.code === 'AG301')!;
  assert.equal(g.text.slice(ag301.range.start, ag301.range.end), 'StateGraph');
});

test('completion under an overlay\'s nodes offers the code\'s nodes it does not refine yet', async () => {
  const { complete } = await import('../../server/src/features/completion.ts');
  const ws = new Workspace(diskHost);
  const a = ws.analyze(overlay);
  const text = a.text + '  \n';
  const labels = complete({ text, offset: text.length - 1, graph: a.graph, snippets: true }).map((i) => i.label);
  // write, wrtie (a typo the overlay has) and critique are written already; the code has no other node.
  assert.deepEqual(labels, []);
  const trimmed = a.text.replace(/\n  write: .*\n/, '\n');
  const b = ws.analyze(overlay);
  const items = complete({ text: trimmed + '  \n', offset: trimmed.length + 2, graph: b.graph, snippets: true });
  assert.deepEqual(items.map((i) => [i.label, i.insertText]), [['write', 'write: { input_tokens: ${1:1000} }']]);
});
