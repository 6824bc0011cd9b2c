// The overlay plan (webview/src/traceOverlay.ts, pure part): heat by visits or cost, the figures line under each
// node, counts on the drawn edges, failure transitions on the failure edge or the node's recovery stub, and the
// transitions the picture has no edge for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BADGE_STOPS, badgeBox, badgeWidth, placeBadges, planOverlay, type Box, type DrawnEdge } from '../../../webview/src/traceOverlay.ts';
import { aggregateOf, contextOf, DEBUG, eventsOf, WEATHER_GRAPH } from './helpers.ts';
import { TraceOverlayMessages } from '../../../common/protocol.ts';

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
  assert.equal(plan.summary, '1 run · 6 spans · ⟲ agent·tools: agent 3× (max_visits 4)', 'the loop the run went round, with the node its bound is on');
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

// Count badges (issue 13): a badge sat at its edge's middle even where a node's figure line was drawn.
const along = (from: { x: number; y: number }, to: { x: number; y: number }) => BADGE_STOPS.map((t) => ({ x: from.x + (to.x - from.x) * t, y: from.y + (to.y - from.y) * t }));
const covers = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

test('a count badge leaves its edge\'s middle when a node\'s figure plate is there, for the nearest clear stop', () => {
  // A horizontal edge from (0,100) to (200,100); a figure plate across its middle, 60 wide.
  const plate: Box = { x: 70, y: 92, width: 60, height: 14 };
  const width = badgeWidth('12');
  const [p] = placeBadges([{ candidates: along({ x: 0, y: 100 }, { x: 200, y: 100 }), width }], [plate]);
  assert.ok(!covers(badgeBox(p, width), plate), `the badge at ${JSON.stringify(p)} covers the plate`);
  // The badge is 21 wide: at 0.4 (x 80) and 0.6 (x 120) it is on the plate, at 0.3 (x 60, to 70.5) and 0.7 (x 140,
  // from 129.5) it still touches it; 0.2 (x 40) is the first stop clear of it.
  assert.deepEqual(p, { x: 40, y: 100 });
});

test('count badges stay at the middle when nothing is there, and keep off each other', () => {
  const a = along({ x: 0, y: 0 }, { x: 200, y: 0 });
  assert.deepEqual(placeBadges([{ candidates: a, width: 20 }], []), [{ x: 100, y: 0 }]);
  // Two edges crossing at the same middle: the second badge moves along its own edge.
  const [p, q] = placeBadges([{ candidates: a, width: 20 }, { candidates: along({ x: 100, y: -100 }, { x: 100, y: 100 }), width: 20 }], []);
  assert.deepEqual(p, { x: 100, y: 0 });
  assert.ok(!covers(badgeBox(p, 20), badgeBox(q, 20)), `the badges at ${JSON.stringify(p)} and ${JSON.stringify(q)} overlap`);
});

test('when every stop covers something, a badge takes the one that covers least', () => {
  const width = badgeWidth('3');
  const candidates = along({ x: 0, y: 0 }, { x: 100, y: 0 });
  // One plate over the whole edge, a second over its left half: every stop covers the first.
  const obstacles: Box[] = [{ x: -20, y: -8, width: 140, height: 16 }, { x: -20, y: -8, width: 70, height: 16 }];
  const [p] = placeBadges([{ candidates, width }], obstacles);
  assert.equal(Math.round(p.x), 60, 'the stop nearest the middle that is off the second plate (0.6)');
});

// The trace bar's summary (issue 13): runs that do not match the graph (AG805) and the loops, with their node.
test('the summary names the runs that do not match the graph and each loop run round, with the node its bound is on', () => {
  const plan = planOverlay({ ...figures, mismatchedRuns: 2, loops: [
    { nodes: ['agent', 'tools'], bound: 'max_visits 4', node: 'agent', maxIterations: 3 },
    { nodes: ['a', 'b'], bound: 'budget.steps 30', maxIterations: 5 },
    { nodes: ['c', 'd'], bound: 'unbounded', maxIterations: 0 },
  ] }, 'visits', drawn);
  assert.equal(plan.summary, '1 run · 6 spans · 2 runs not matching the graph · ⟲ agent·tools: agent 3× (max_visits 4) · ⟲ a·b: 5× (budget.steps 30)');
  assert.match(plan.details.join('\n'), /2 runs not matching the graph: most of their spans name no node of it .*\(AG805\)/);
  assert.match(plan.details.join('\n'), /loop agent → tools: at most 3 visits of agent in one run; bound: max_visits 4 on agent/);
  assert.match(plan.details.join('\n'), /loop a → b: at most 5 visits of one of its nodes in one run; bound: budget\.steps 30$/);
  // None of either: the summary says what it said before.
  assert.equal(planOverlay({ ...figures, mismatchedRuns: 0, loops: [] }, 'visits', drawn).summary, '1 run · 6 spans');
});

test('the host checks the summary figures before it posts them: real figures pass, a malformed loop does not', () => {
  assert.ok(TraceOverlayMessages.summaryFigures.safeParse(figures).success);
  assert.ok(TraceOverlayMessages.summaryFigures.safeParse({ ...figures, mismatchedRuns: 1 }).success);
  assert.ok(!TraceOverlayMessages.summaryFigures.safeParse({ ...figures, mismatchedRuns: -1 }).success);
  assert.ok(!TraceOverlayMessages.summaryFigures.safeParse({ ...figures, loops: [{ nodes: [], bound: 'x', maxIterations: 1 }] }).success);
  assert.ok(!TraceOverlayMessages.summaryFigures.safeParse({ ...figures, loops: [{ nodes: ['a'], bound: 'x', node: 7, maxIterations: 1 }] }).success);
});
