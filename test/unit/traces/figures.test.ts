// The three example payloads give exactly their expected figures (shared/notes/traces.md, "Expected figures"),
// with no graph (nodes named as the traces name them) and with the graph they ran.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregate, createTraceState, reduce, setGraph } from '../../../server/src/traces/aggregate.ts';
import { bareContext } from '../../../server/src/traces/graphContext.ts';
import { aggregateOf, contextOf, DEBUG, eventsOf, OPENINFERENCE, pick, SEMCONV, SEMCONV_GRAPH, WEATHER_GRAPH } from './helpers.ts';

const f = (visits: number, attempts: number, errors: number, softErrors: number, tokensIn: number, tokensOut: number) => ({ visits, attempts, errors, softErrors, tokensIn, tokensOut });

const EXPECTED = {
  semconv: { router: f(1, 1, 0, 0, 0, 0), WeatherAgent: f(1, 1, 0, 0, 942, 99), get_weather: f(1, 2, 1, 0, 0, 0) },
  openinference: { router: f(1, 1, 0, 0, 0, 0), agent: f(2, 2, 0, 0, 942, 99), tools: f(1, 2, 1, 0, 0, 0) },
  debug: { router: f(1, 1, 0, 0, 0, 0), agent: f(3, 3, 0, 0, 1430, 140), tools: f(2, 2, 0, 1, 0, 0) },
};

test('otlp-genai-semconv.json: router 1 visit; WeatherAgent 1 visit, 942/99 tokens from its chat children; get_weather 1 visit, 2 attempts, 1 error', () => {
  for (const ctx of [bareContext(), contextOf(SEMCONV_GRAPH)]) {
    const { agg } = aggregateOf(eventsOf(SEMCONV), ctx);
    assert.deepEqual(pick(agg.figures.nodes), EXPECTED.semconv);
    assert.equal(agg.figures.runCount, 1);
    assert.equal(agg.figures.unmapped.count, 0, 'the workflow span is the run, the chat spans belong to the agent');
    assert.equal(agg.figures.nodes.WeatherAgent.maxIterations, 2, 'two model calls in one visit of the agent');
  }
});

test('otlp-openinference-langgraph.json: router 1 visit (step 1); agent 2 visits (steps 2, 4), 942/99; tools 1 visit, 2 attempts, 1 error (step 3)', () => {
  for (const ctx of [bareContext(), contextOf(WEATHER_GRAPH)]) {
    const { state, agg } = aggregateOf(eventsOf(OPENINFERENCE, ['langgraph_node']), ctx);
    assert.deepEqual(pick(agg.figures.nodes), EXPECTED.openinference);
    const run = aggregate(state, ctx, { runId: agg.figures.runs[0].id }).figures.run!;
    assert.deepEqual(run.timeline.map((s) => [s.node, s.step]), [['router', 1], ['agent', 2], ['tools', 3], ['agent', 4]]);
    assert.deepEqual(run.timeline.map((s) => s.attempts), [1, 1, 2, 1]);
    assert.deepEqual(run.timeline.map((s) => s.failed), [false, false, false, false], 'the retry of tools succeeded');
  }
});

test('langgraph-debug-stream.jsonl: router 1 visit; agent 3 visits (steps 2, 4, 6), 1430/140; tools 2 visits (steps 3, 5), 1 soft error', () => {
  for (const ctx of [bareContext(), contextOf(WEATHER_GRAPH)]) {
    const { state, agg } = aggregateOf(eventsOf(DEBUG), ctx);
    assert.deepEqual(pick(agg.figures.nodes), EXPECTED.debug);
    const run = aggregate(state, ctx, { runId: agg.figures.runs[0].id }).figures.run!;
    assert.deepEqual(run.timeline.map((s) => `${s.node}@${s.step}`), ['router@1', 'agent@2', 'tools@3', 'agent@4', 'tools@5', 'agent@6']);
    assert.equal(agg.figures.runs[0].status, 'ok');
    assert.equal(agg.figures.runs[0].label.startsWith('thread-43'), true);
  }
});

test('transitions taken, with the graph that declares them: none undeclared', () => {
  const ctx = contextOf(WEATHER_GRAPH);
  const edges = (events: ReturnType<typeof eventsOf>) => aggregateOf(events, ctx).agg.figures.edges.map((e) => `${e.from}->${e.to}:${e.count}${e.declared ? '' : '!'}`);
  assert.deepEqual(edges(eventsOf(OPENINFERENCE)), ['__start__->router:1', 'agent->END:1', 'agent->tools:1', 'router->agent:1', 'tools->agent:1']);
  assert.deepEqual(edges(eventsOf(DEBUG)), ['__start__->router:1', 'agent->END:1', 'agent->tools:2', 'router->agent:1', 'tools->agent:2']);
  const sem = aggregateOf(eventsOf(SEMCONV), contextOf(SEMCONV_GRAPH)).agg.figures.edges.map((e) => `${e.from}->${e.to}:${e.count}${e.declared ? '' : '!'}`);
  // The tool runs inside the agent's span: a call and its return.
  assert.deepEqual(sem, ['WeatherAgent->END:1', 'WeatherAgent->get_weather:1', '__start__->router:1', 'get_weather->WeatherAgent:1', 'router->WeatherAgent:1']);
});

test('latency percentiles in milliseconds, from nanosecond times kept exact', () => {
  const { agg } = aggregateOf(eventsOf(OPENINFERENCE), bareContext());
  // agent visits: 14 ms -> 830 ms and 3495 ms -> 4380 ms after the run start.
  assert.equal(agg.figures.nodes.agent.p50Ms, 816);
  assert.equal(agg.figures.nodes.agent.p95Ms, 885);
  // tools: the first attempt starts at 835 ms, the retry ends at 3490 ms.
  assert.equal(agg.figures.nodes.tools.p50Ms, 2655);
});

test('cost: tokens times the graph model prices, plus tool usd_per_call per attempt', () => {
  const oi = aggregateOf(eventsOf(OPENINFERENCE), contextOf(WEATHER_GRAPH)).agg.figures;
  assert.equal(oi.nodes.agent.costUsd, Math.round(((942 * 0.15 + 99 * 0.6) / 1e6) * 1e6) / 1e6);
  const sem = aggregateOf(eventsOf(SEMCONV), contextOf(SEMCONV_GRAPH)).agg.figures;
  assert.equal(sem.nodes.get_weather.costUsd, 0.002, 'two attempts at $0.001 a call');
});

test('the same figures whatever order the spans arrive in', () => {
  const ctx = contextOf(WEATHER_GRAPH);
  const events = eventsOf(OPENINFERENCE);
  const base = aggregateOf(events, ctx).agg.figures;
  let seed = 7;
  for (let round = 0; round < 5; round++) {
    const shuffled = [...events];
    for (let i = shuffled.length - 1; i > 0; i--) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const j = seed % (i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
    }
    const state = createTraceState();
    setGraph(state, ctx);
    for (const e of shuffled) reduce(state, [e]);
    assert.deepEqual(aggregate(state, ctx).figures, base);
  }
});
