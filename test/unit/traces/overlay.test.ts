// The overlay plan (webview/src/traceOverlay.ts, pure part): heat by visits or cost, the figures line under each
// node, counts on the drawn edges, failure transitions on the failure edge or the node's recovery stub, and the
// transitions the picture has no edge for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planOverlay, type DrawnEdge } from '../../../webview/src/traceOverlay.ts';
import { aggregateOf, contextOf, DEBUG, eventsOf, WEATHER_GRAPH } from './helpers.ts';

const figures = aggregateOf(eventsOf(DEBUG), contextOf(WEATHER_GRAPH)).agg.figures;
const drawn: DrawnEdge[] = [
  { from: '__start__', to: 'router', kind: 'start' },
  { from: 'router', to: 'agent', kind: 'route' },
  { from: 'router', to: 'apologise', kind: 'route' },
  { from: 'agent', to: 'tools', kind: 'route' },
  { from: 'agent', to: 'END', kind: 'route' },
  { from: 'agent', to: 'apologise', kind: 'exhausted' },
  { from: 'tools', to: 'agent', kind: 'next' },
];

test('heat by visits: the busiest node is 1; by cost: the only node with a cost is 1', () => {
  const byVisits = planOverlay(figures, 'visits', drawn);
  assert.deepEqual(Object.fromEntries(byVisits.nodes.map((n) => [n.id, Math.round(n.heat * 100) / 100])), { router: 0.33, agent: 1, tools: 0.67 });
  const byCost = planOverlay({ ...figures, nodes: { ...figures.nodes, agent: { ...figures.nodes.agent, costUsd: 0.01 } } }, 'cost', drawn);
  assert.deepEqual(byCost.nodes.map((n) => n.heat), [0, 1, 0]);
});

test('the figures line and the problems line of a node', () => {
  const plan = planOverlay(figures, 'visits', drawn);
  const agent = plan.nodes.find((n) => n.id === 'agent')!;
  assert.equal(agent.label, '3× · 1.6k tok · $0.0003 · p50 816 ms');
  const tools = plan.nodes.find((n) => n.id === 'tools')!;
  assert.equal(tools.problems, '1 soft');
  assert.match(tools.title, /attempts 2, errors 0, soft errors 1/);
});

test('counts go on the drawn edges; nothing is left undeclared for the graph the run followed', () => {
  const plan = planOverlay(figures, 'visits', drawn);
  assert.deepEqual(plan.edges.map((e) => `${drawn[e.index].from}->${drawn[e.index].to}:${e.count}`).sort(), ['__start__->router:1', 'agent->END:1', 'agent->tools:2', 'router->agent:1', 'tools->agent:2']);
  assert.deepEqual(plan.undeclared, []);
  assert.match(plan.summary, /^1 run · 6 spans$/);
});

test('a transition taken after a failure goes on the failure edge, or on the node\'s recovery stub', () => {
  const f = { ...figures, edges: [{ from: 'agent', to: 'apologise', count: 3, failures: 2, declared: true }, { from: 'tools', to: 'apologise', count: 1, failures: 1, declared: true }, { from: 'tools', to: 'END', count: 1, failures: 0, declared: false }] };
  const plan = planOverlay(f, 'visits', drawn, new Map([['tools', 'apologise']]));
  const onExhausted = drawn.findIndex((d) => d.kind === 'exhausted');
  assert.deepEqual(plan.edges, [{ index: onExhausted, count: 2, failures: 2 }, { index: onExhausted, count: 1, failures: 0 }]);
  assert.deepEqual(plan.stubs, [{ node: 'tools', target: 'apologise', failures: 1 }]);
  assert.deepEqual(plan.undeclared.map((e) => `${e.from}->${e.to}`), ['tools->END']);
  assert.match(plan.summary, /1 transition not in the graph: tools→END/);
});
