// The graph view model (server/src/view/graphView.ts): what the graph panel and `agentgraph render` draw of a
// file. Node kinds, transitions by kind, loops with their bound, findings per node, the header's figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintFile, lintText } from '../support/lint.ts';
import { buildGraphView, START_ID } from '../../server/src/view/graphView.ts';
import { nodeAt } from '../../common/graphModel.ts';

const view = (text: string) => buildGraphView(lintText(text));

test('the complete example: every node with its kind and detail, the start, END, and the entry', () => {
  const m = buildGraphView(lintFile('examples/support-triage.agentgraph.yaml'));
  assert.deepEqual(m.nodes.map((n) => `${n.id}:${n.kind}`), [`${START_ID}:start`, 'classify:llm', 'lookup:tool', 'draft:llm', 'review:llm', 'refund:tool', 'escalate:handoff', 'holding_reply:function', 'END:end']);
  const byId = new Map(m.nodes.map((n) => [n.id, n]));
  assert.equal(byId.get('classify')!.entry, true);
  assert.equal(byId.get('classify')!.detail, 'llm · fast');
  assert.equal(byId.get('escalate')!.detail, 'handoff → support-queue');
  assert.equal(byId.get('holding_reply')!.recovery, true, 'the graph-level on_error target');
  assert.equal(byId.get('refund')!.approval, true);
  assert.equal(byId.get('review')!.maxVisits, 3);
  // The key's place (0-based line 63: `  review:`), and the whole definition for the cursor.
  assert.deepEqual(byId.get('review')!.range, { start: { line: 63, character: 2 }, end: { line: 63, character: 8 } });
  assert.equal(byId.get('review')!.bodyRange!.start.line, 63);
  assert.ok(byId.get('review')!.bodyRange!.end.line >= 71);
  assert.equal(m.header.name, 'support-triage');
  assert.deepEqual(m.header.budget, { usd: 0.4, tokens: 60000, steps: 30, toolCalls: 10, wallS: 120 });
  assert.ok(Math.abs(m.header.worstCase!.usd - 0.251115) < 1e-9);
  assert.equal(m.header.worstCase!.tokens, 52200);
  assert.equal(m.header.worstCase!.overBudget, false);
  assert.deepEqual(m.header.counts, { error: 0, warning: 0, info: 0, hint: 0 });
});

test('transitions keep their kind: routes with labels, failure (own or inherited), exhaustion, the start', () => {
  const m = buildGraphView(lintFile('examples/support-triage.agentgraph.yaml'));
  const edges = m.edges.map((e) => `${e.from}->${e.to}:${e.kind}${e.label ? `(${e.label})` : ''}${e.inherited ? ' inherited' : ''}`);
  assert.ok(edges.includes(`${START_ID}->classify:start`));
  assert.ok(edges.includes('classify->lookup:route(billing)'));
  assert.ok(edges.includes('review->draft:route(revise)'));
  assert.ok(edges.includes('lookup->holding_reply:error'), 'its own on_error');
  assert.ok(edges.includes('refund->escalate:error'), 'its own on_error');
  assert.ok(edges.includes('draft->holding_reply:error inherited'), 'the graph-level on_error');
  assert.ok(edges.includes('review->escalate:exhausted(exhausted)'));
  assert.equal(new Set(m.edges.map((e) => e.id)).size, m.edges.length, 'edge ids are unique');
});

test('a guarded loop shows its max_visits; an unguarded one shows budget.steps or unbounded', () => {
  const m = buildGraphView(lintFile('examples/support-triage.agentgraph.yaml'));
  assert.deepEqual(m.loops, [{ nodes: ['draft', 'review'], status: 'guarded', bound: 'max_visits 3' }]);
  const loop = (extra: string) => view(`agentgraph: 1\nname: l\nentry: a\n${extra}nodes:\n  a: { kind: function, next: b }\n  b: { kind: function, routes: { again: a, done: END } }\n`).loops;
  assert.deepEqual(loop(''), [{ nodes: ['a', 'b'], status: 'unbounded', bound: 'unbounded' }]);
  assert.deepEqual(loop('budget: { steps: 12 }\n'), [{ nodes: ['a', 'b'], status: 'steps', bound: 'budget.steps 12 only' }]);
});

test('an agent shows its inner loop; a subgraph its file; a target that does not exist is drawn as missing', () => {
  const r = buildGraphView(lintFile('examples/research-agent.agentgraph.yaml'));
  assert.equal(r.nodes.find((n) => n.id === 'read')!.innerLoop, 'unbounded');
  assert.equal(r.loops[0].status, 'unbounded');
  assert.equal(r.header.worstCase!.unbounded, true);
  const o = buildGraphView(lintFile('examples/handoff/onboarding.agentgraph.yaml'));
  const kyc = o.nodes.find((n) => n.kind === 'subgraph')!;
  assert.match(kyc.subgraphUri!, /^file:\/\/.*\/examples\/handoff\/kyc\.agentgraph\.yaml$/);
  const m = view('agentgraph: 1\nname: m\nentry: a\nnodes:\n  a: { kind: function, next: nowhere }\n');
  assert.deepEqual(m.nodes.find((n) => n.id === 'nowhere'), { id: 'nowhere', kind: 'missing', label: 'nowhere', detail: 'no such node' });
  assert.ok(!m.nodes.some((n) => n.kind === 'end'), 'no END when nothing goes there');
});

test('findings sit on the node whose definition holds them, worst severity first; the rest on the graph', () => {
  const r = buildGraphView(lintFile('examples/research-agent.agentgraph.yaml'));
  const read = r.nodes.find((n) => n.id === 'read')!.diagnostics!;
  assert.equal(read.severity, 'error');
  assert.ok(read.messages[0].startsWith('AG205: '), read.messages[0]);
  assert.equal(read.count, read.messages.length);
  const total = r.nodes.reduce((s, n) => s + (n.diagnostics?.count ?? 0), 0) + (r.header.graphDiagnostics?.count ?? 0);
  assert.equal(total, r.header.counts.error + r.header.counts.warning + r.header.counts.info + r.header.counts.hint);
  assert.ok(r.header.graphDiagnostics!.messages.some((m) => m.startsWith('AG301')), 'no cost limit: a finding of the graph');
});

test('a file that is not a graph gives no nodes and says why', () => {
  const m = view('agentgraph: 1\nname: [unclosed\n');
  assert.deepEqual(m.nodes, []);
  assert.equal(m.header.graphDiagnostics!.severity, 'error');
  assert.ok(m.header.counts.error >= 1);
});

test('the cursor highlights the node whose lines it is on, the indentation included', () => {
  const m = buildGraphView(lintFile('examples/support-triage.agentgraph.yaml'));
  assert.equal(nodeAt(m.nodes, 63)?.id, 'review');
  assert.equal(nodeAt(m.nodes, 66)?.id, 'review');
  assert.equal(nodeAt(m.nodes, 55)?.id, 'draft');
  assert.equal(nodeAt(m.nodes, 5), undefined, 'the graph name is no node');
});
