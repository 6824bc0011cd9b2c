// The aggregator as a reducer: bounded memory (old runs evicted, their figures kept in the graph's archive),
// a cap per run, one run's figures and its replay step by step, and clearing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregate, clearTraces, createTraceState, percentile, reduce, setGraph } from '../../../server/src/traces/aggregate.ts';
import type { SpanRecord, TraceEvent } from '../../../server/src/traces/model.ts';
import { contextOf, DEBUG, eventsOf, OPENINFERENCE, WEATHER_GRAPH } from './helpers.ts';

/** The debug fixture's run, copied under another run id (and task ids). */
function copyRun(events: TraceEvent[], run: string): TraceEvent[] {
  return events.map((e) => (e.type === 'span' ? { ...e, span: { ...e.span, runId: run } as SpanRecord } : { ...e, runId: run }));
}

test('memory is bounded: past maxRuns the least recently active run is evicted and its figures stay counted', () => {
  const ctx = contextOf(WEATHER_GRAPH);
  const base = eventsOf(DEBUG);
  const state = createTraceState({ maxRuns: 5 });
  setGraph(state, ctx);
  for (let i = 0; i < 40; i++) reduce(state, copyRun(base, `run-${i}`));
  assert.equal(state.runs.size, 5);
  assert.equal(state.counters.evictedRuns, 35);
  const f = aggregate(state, ctx).figures;
  assert.equal(f.runCount, 40);
  assert.equal(f.evictedRuns, 35);
  assert.equal(f.nodes.agent.visits, 120);
  assert.equal(f.nodes.agent.tokensIn, 40 * 1430);
  assert.equal(f.edges.find((e) => e.from === 'agent' && e.to === 'tools')!.count, 80);
  assert.equal(f.runs.length, 5, 'the run picker lists the kept runs');
  assert.equal(f.nodes.agent.p50Ms, 816, 'percentiles still come from every run');
});

test('memory is bounded by spans too, and one run cannot hold more than maxSpansPerRun', () => {
  const state = createTraceState({ maxSpans: 30, maxSpansPerRun: 10, maxRuns: 1000 });
  const base = eventsOf(OPENINFERENCE);
  for (let i = 0; i < 10; i++) reduce(state, copyRun(base, `r${i}`));
  assert.ok(state.spanCount <= 30, `kept ${state.spanCount} spans`);
  assert.equal(state.counters.droppedSpans, 10 * 3, 'each 13-span run keeps 10');
  assert.equal(state.counters.spans, 130, 'every span received is counted');
});

test('one run: its figures, its timeline, and its replay step by step', () => {
  const ctx = contextOf(WEATHER_GRAPH);
  const state = createTraceState();
  reduce(state, eventsOf(DEBUG));
  const id = aggregate(state, ctx).figures.runs[0].id;
  const whole = aggregate(state, ctx, { runId: id }).figures;
  assert.equal(whole.run!.position, 6);
  assert.equal(whole.nodes.agent.visits, 3);
  const at = (position: number) => aggregate(state, ctx, { runId: id, position }).figures;
  assert.deepEqual(Object.keys(at(0).nodes), []);
  assert.deepEqual(at(1).nodes.router.visits, 1);
  assert.deepEqual(at(1).active, ['router'], 'the step being replayed is the active node');
  assert.deepEqual(at(3).edges.map((e) => `${e.from}->${e.to}`), ['__start__->router', 'agent->tools', 'router->agent']);
  assert.deepEqual(at(4).nodes.agent.visits, 2);
  assert.equal(at(6).edges.some((e) => e.to === 'END'), true, 'the end of the run is drawn at the last step');
  assert.equal(at(99).run!.position, 6);
  assert.equal(aggregate(state, ctx, { runId: 'no such run' }).figures.runCount, 1, 'an unknown run falls back to every run');
});

test('clearing forgets runs and archives; the graph stays registered', () => {
  const ctx = contextOf(WEATHER_GRAPH);
  const state = createTraceState({ maxRuns: 1 });
  setGraph(state, ctx);
  reduce(state, copyRun(eventsOf(DEBUG), 'a'));
  reduce(state, copyRun(eventsOf(DEBUG), 'b'));
  assert.equal(aggregate(state, ctx).figures.runCount, 2);
  clearTraces(state);
  assert.equal(aggregate(state, ctx).figures.runCount, 0);
  assert.equal(state.graphs.size, 1);
});

test('runs of another agent are left out of a graph\'s figures, and counted as such', () => {
  const ctx = contextOf(WEATHER_GRAPH);
  const state = createTraceState();
  const foreign: TraceEvent = { type: 'span', source: 't', span: { runId: 'other', spanId: '1', rawName: 'x', langgraphNode: 'somewhere_else', modelCall: false, workflow: false, start: 1n, end: 2n, error: false, softErrors: 0, tokensIn: 0, tokensOut: 0, toolCalls: 0 } };
  reduce(state, [...eventsOf(DEBUG), foreign]);
  const f = aggregate(state, ctx).figures;
  assert.equal(f.runCount, 1);
  assert.equal(f.otherRuns, 1);
  assert.equal(f.runs.length, 1);
});

test('nearest-rank percentiles', () => {
  assert.equal(percentile([], 0.5), undefined);
  assert.equal(percentile([5], 0.95), 5);
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5), 5);
  assert.equal(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95), 10);
});

test('the readiness check\'s trace measurements: runs, failures recovered, loop maxima, cost per run', async () => {
  const { traceMeasurements } = await import('../../../server/src/traces/measurements.ts');
  const { traceMeasurementsSchema } = await import('../../../server/src/readiness/check.ts');
  const ctx = contextOf(WEATHER_GRAPH);
  const state = createTraceState();
  reduce(state, [...eventsOf(DEBUG), ...eventsOf(OPENINFERENCE)]);
  const m = traceMeasurements(state, ctx, 'test')!;
  assert.ok(traceMeasurementsSchema.safeParse(m).success);
  assert.equal(m.runs, 2);
  assert.deepEqual(m.maxVisits, { router: 1, agent: 3, tools: 2 });
  assert.equal(m.maxSteps, 6);
  assert.deepEqual(m.failures, { observed: 0, recovered: 0, byNode: {} }, 'the tools retry succeeded: no failure outlasted its retries');
  assert.equal(m.costPerRun!.maxTokens, 1570);
  assert.equal(traceMeasurements(createTraceState(), ctx), undefined);
});
