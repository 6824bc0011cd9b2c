// Defects found by running a real LangGraph app (test/fixtures/traces-real/) through stream_mode="debug": each
// test here failed before its fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readTraceText } from '../../../server/src/traces/traceText.ts';
import { aggregateOf, contextOfText, WEATHER_GRAPH } from './helpers.ts';

const weather = readFileSync(WEATHER_GRAPH, 'utf8');

// --- a debug stream of several runs, from a graph without a checkpointer -------------------------------------------

/** The debug lines of one run of agent -> tools -> agent, as LangGraph 1.2 streams them without a checkpointer. */
function debugRun(t0: number, triggers = (n: string) => [`branch:to:${n}`]): string[] {
  const ts = (ms: number) => new Date(t0 + ms).toISOString().replace('Z', '+00:00');
  const lines: string[] = [];
  ['agent', 'tools', 'agent'].forEach((name, i) => {
    const id = `${t0}-${i}`;
    lines.push(JSON.stringify({ step: i + 1, timestamp: ts(i * 10), type: 'task', payload: { id, name, input: {}, triggers: triggers(name) } }));
    lines.push(JSON.stringify({ step: i + 1, timestamp: ts(i * 10 + 5), type: 'task_result', payload: { id, name, error: null, result: {}, interrupts: [] } }));
  });
  return lines;
}

test('debug stream without checkpoints: runs appended to one file are told apart by the step counter starting again', () => {
  const text = [...debugRun(1_700_000_000_000), ...debugRun(1_700_000_001_000), ...debugRun(1_700_000_002_000)].join('\n');
  const { agg } = aggregateOf(readTraceText(text, 'runs.jsonl').events, contextOfText(weather).ctx);
  assert.equal(agg.figures.runCount, 3);
  assert.equal(agg.figures.nodes.agent.visits, 6);
  assert.equal(agg.figures.nodes.agent.maxVisitsPerRun, 2);
  const edge = (from: string, to: string) => agg.figures.edges.find((e) => e.from === from && e.to === to)?.count;
  assert.equal(edge('agent', 'tools'), 3);
  assert.equal(edge('tools', 'agent'), 3);
  assert.equal(edge('agent', 'END'), 3);
});

test('debug stream without checkpoints: a task triggered from __start__ starts a run, even at the same step', () => {
  const start = (n: string) => (n === 'agent' ? ['__start__'] : [`branch:to:${n}`]);
  // Two one-step runs: the step counter does not go back, the trigger says it.
  const one = (t0: number) => debugRun(t0, start).slice(0, 2);
  const text = [...one(1_700_000_000_000), ...one(1_700_000_001_000)].join('\n');
  const { agg } = aggregateOf(readTraceText(text, 'runs.jsonl').events, contextOfText(weather).ctx);
  assert.equal(agg.figures.runCount, 2);
  assert.equal(agg.figures.nodes.agent.maxVisitsPerRun, 1);
});

test('debug stream saved with json.dumps(chunk, default=str): usage, model and tool errors are read from the messages\' text', () => {
  const ai = "content='' additional_kwargs={} response_metadata={'model_name': 'gpt-4o-mini'} id='lc_run--1' tool_calls=[{'name': 'lookup_order', 'args': {'order_id': 'A-1'}, 'id': 'call_1', 'type': 'tool_call'}] invalid_tool_calls=[] usage_metadata={'input_tokens': 55, 'output_tokens': 12, 'total_tokens': 67}";
  const tool = "content='no order A-9' name='lookup_order' id='abc' tool_call_id='call_1' status='error'";
  const ts = '2026-01-01T00:00:00.000000+00:00';
  const text = [
    { step: 1, timestamp: ts, type: 'task', payload: { id: 'a', name: 'agent', input: {}, triggers: ['branch:to:agent'] } },
    { step: 1, timestamp: ts, type: 'task_result', payload: { id: 'a', name: 'agent', error: null, result: { messages: [ai] }, interrupts: [] } },
    { step: 2, timestamp: ts, type: 'task', payload: { id: 't', name: 'tools', input: {}, triggers: ['branch:to:tools'] } },
    { step: 2, timestamp: ts, type: 'task_result', payload: { id: 't', name: 'tools', error: null, result: { messages: [tool], tool_rounds: 1 }, interrupts: [] } },
  ].map((l) => JSON.stringify(l)).join('\n');
  const spans = readTraceText(text, 'run.jsonl').events.flatMap((e) => (e.type === 'span' && e.span.end !== undefined ? [e.span] : []));
  const agent = spans.find((s) => s.rawName === 'agent')!;
  assert.deepEqual([agent.tokensIn, agent.tokensOut, agent.model], [55, 12, 'gpt-4o-mini']);
  const tools = spans.find((s) => s.rawName === 'tools')!;
  assert.deepEqual([tools.softErrors, tools.toolCalls], [1, 1]);
});
