// The layout (webview/src/layout.ts) in Node, without a browser: view model -> ELK graph -> ELK -> positions.
// Two nodes land at known relative places in both directions; edges run from border to border; a loop's
// closing edge goes back and carries the loop's bound; the same model always gives the same picture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ELK from 'elkjs/lib/elk.bundled.js';
import type { GraphViewModel, ViewEdge, ViewNode } from '../../common/graphModel.ts';
import { layoutGraph, nodeSize, textWidth, toElkGraph, type GraphLayout, type LaidNode } from '../../webview/src/layout.ts';
import { buildGraphView } from '../../server/src/view/graphView.ts';
import { lintFile } from '../support/lint.ts';

const elk = new ELK();

function model(nodes: ViewNode[], edges: ViewEdge[], loops: GraphViewModel['loops'] = []): GraphViewModel {
  return { uri: 'file:///t.agentgraph.yaml', header: { name: 't', counts: { error: 0, warning: 0, info: 0, hint: 0 } }, nodes, edges, loops };
}
const fn = (id: string): ViewNode => ({ id, kind: 'function', label: id });
const next = (from: string, to: string, extra: Partial<ViewEdge> = {}): ViewEdge => ({ id: `${from}->${to}`, from, to, kind: 'next', ...extra });
const node = (l: GraphLayout, id: string): LaidNode => l.nodes.find((n) => n.node.id === id)!;
const cx = (n: LaidNode) => n.x + n.width / 2;
const cy = (n: LaidNode) => n.y + n.height / 2;
const near = (a: number, b: number, eps = 1) => assert.ok(Math.abs(a - b) <= eps, `${a} is not ${b}`);

test('two nodes left to right: b right of a, centred on the same line, the edge from border to border', async () => {
  const l = await layoutGraph(model([fn('a'), fn('b')], [next('a', 'b')]), { direction: 'RIGHT' }, elk);
  const a = node(l, 'a');
  const b = node(l, 'b');
  assert.deepEqual([a.width, a.height], [nodeSize(fn('a')).width, nodeSize(fn('a')).height]);
  assert.ok(b.x >= a.x + a.width + 40, 'a layer apart');
  near(cy(a), cy(b));
  const e = l.edges[0];
  near(e.points[0].x, a.x + a.width);
  near(e.points[e.points.length - 1].x, b.x);
  assert.equal(e.back, false);
  assert.ok(l.width >= b.x + b.width && l.height >= b.y + b.height);
});

test('two nodes top down: b below a, centred on the same column', async () => {
  const l = await layoutGraph(model([fn('a'), fn('b')], [next('a', 'b')]), { direction: 'DOWN' }, elk);
  const a = node(l, 'a');
  const b = node(l, 'b');
  assert.ok(b.y >= a.y + a.height + 40);
  near(cx(a), cx(b));
  near(l.edges[0].points[0].y, a.y + a.height);
  near(l.edges[0].points.at(-1)!.y, b.y);
});

test('routes carry their labels, placed near their edge', async () => {
  const l = await layoutGraph(model([fn('a'), fn('b'), fn('c')], [next('a', 'b', { kind: 'route', label: 'yes' }), next('a', 'c', { kind: 'route', label: 'no' })]), { direction: 'RIGHT' }, elk);
  for (const e of l.edges) {
    assert.equal(e.labels.length, 1);
    assert.equal(e.labels[0].text, e.edge.label);
    assert.equal(e.labels[0].width, textWidth(e.edge.label!, 11) + 8);
    const xs = e.points.map((p) => p.x);
    assert.ok(e.labels[0].x >= Math.min(...xs) && e.labels[0].x <= Math.max(...xs), 'between the ends of its edge');
  }
});

test('a loop: the closing edge goes back, carries the bound, and the forward edges keep the flow', async () => {
  const loops = [{ nodes: ['a', 'b'], status: 'guarded' as const, bound: 'max_visits 3' }];
  const l = await layoutGraph(model([fn('a'), fn('b'), fn('c')], [next('a', 'b'), next('b', 'a', { kind: 'route', label: 'again' }), next('b', 'c')], loops), { direction: 'RIGHT' }, elk);
  const back = l.edges.find((e) => e.edge.from === 'b' && e.edge.to === 'a')!;
  assert.equal(back.back, true);
  assert.equal(back.loop, 'guarded');
  assert.deepEqual(back.labels.map((x) => [x.kind, x.text]), [['route', 'again'], ['loop', '⟲ max_visits 3']]);
  assert.ok(node(l, 'a').x < node(l, 'b').x && node(l, 'b').x < node(l, 'c').x, 'model order decides which edge goes back');
  assert.ok(back.points.length >= 2);
  const forward = l.edges.find((e) => e.edge.from === 'a' && e.edge.to === 'b')!;
  assert.equal(forward.back, false);
  assert.equal(forward.loop, 'guarded');
});

test('a self-loop is routed around its node', async () => {
  const loops = [{ nodes: ['a'], status: 'unbounded' as const, bound: 'unbounded' }];
  const l = await layoutGraph(model([fn('a'), fn('b')], [next('a', 'a'), next('a', 'b')], loops), { direction: 'RIGHT' }, elk);
  const self = l.edges.find((e) => e.edge.to === 'a')!;
  assert.equal(self.back, true);
  assert.ok(self.points.length >= 4, 'it bends around the node');
  assert.equal(self.labels[0].text, '⟲ unbounded');
});

test('the example: every node placed without overlap, every edge routed, the same result twice', async () => {
  const m = buildGraphView(lintFile('examples/support-triage.agentgraph.yaml'));
  const l = await layoutGraph(m, { direction: 'RIGHT' }, elk);
  assert.equal(l.nodes.length, m.nodes.length);
  assert.equal(l.edges.length, m.edges.filter((e) => !e.inherited).length);
  assert.deepEqual(l.nodes.filter((n) => n.failureTo).map((n) => `${n.node.id}->${n.failureTo}`), ['classify->holding_reply', 'draft->holding_reply', 'review->holding_reply', 'escalate->holding_reply']);
  for (const e of l.edges) assert.ok(e.points.length >= 2, `edge ${e.edge.id} is routed`);
  for (const p of l.nodes) for (const q of l.nodes) {
    if (p === q) continue;
    const apart = p.x + p.width <= q.x || q.x + q.width <= p.x || p.y + p.height <= q.y || q.y + q.height <= p.y;
    assert.ok(apart, `${p.node.id} and ${q.node.id} overlap`);
  }
  assert.deepEqual(await layoutGraph(m, { direction: 'RIGHT' }, elk), l);
  // The start comes first, END last.
  const xs = l.nodes.map((n) => n.x);
  assert.equal(Math.min(...xs), node(l, '__start__').x);
  assert.equal(Math.max(...xs), node(l, 'END').x);
});

test('an edge to a node the model does not have is left out instead of failing the layout', async () => {
  const g = toElkGraph(model([fn('a')], [next('a', 'ghost')]), { direction: 'RIGHT' });
  assert.deepEqual(g.edges, []);
  const l = await layoutGraph(model([fn('a')], [next('a', 'ghost')]), { direction: 'RIGHT' }, elk);
  assert.equal(l.nodes.length, 1);
});

test('an inherited failure transition is a line in its node, not a routed edge', async () => {
  const m = model([fn('a'), fn('b'), fn('rescue')], [next('a', 'b'), next('a', 'rescue', { kind: 'error', inherited: true }), next('b', 'rescue', { kind: 'error' })]);
  const g = toElkGraph(m, { direction: 'RIGHT' });
  assert.deepEqual(g.edges!.map((e) => `${e.sources[0]}->${e.targets[0]}`), ['a->b', 'b->rescue']);
  const l = await layoutGraph(m, { direction: 'RIGHT' }, elk);
  assert.equal(node(l, 'a').failureTo, 'rescue');
  assert.equal(node(l, 'b').failureTo, undefined, 'its own on_error is an edge');
  assert.equal(node(l, 'a').height, nodeSize(fn('a'), 'rescue').height);
  assert.ok(nodeSize(fn('a'), 'rescue').height > nodeSize(fn('a')).height, 'the line takes room');
});
