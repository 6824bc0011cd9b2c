// LangGraph's debug stream in every variant gives the same figures; what is not a debug event is counted, other
// stream modes are skipped, and a subgraph's tasks belong to the node that runs the subgraph.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isoToNanos, LangGraphDebugParser } from '../../../server/src/traces/langgraphDebug.ts';
import { readTraceText } from '../../../server/src/traces/traceText.ts';
import type { TraceEvent } from '../../../server/src/traces/model.ts';
import { aggregateOf, DEBUG, pick } from './helpers.ts';

const lines = readFileSync(DEBUG, 'utf8').split('\n').filter((l) => l.trim() !== '');
const expected = pick(aggregateOf(readTraceText(lines.join('\n'), 'x').events).agg.figures.nodes);

function figuresOf(variantLines: string[]) {
  const r = readTraceText(variantLines.join('\n'), 'variant.jsonl');
  assert.equal(r.malformed, 0, r.reasons.join('; '));
  return pick(aggregateOf(r.events).agg.figures.nodes);
}

test('the plain stream gives the notes figures', () => {
  assert.deepEqual(expected.agent, { visits: 3, attempts: 3, errors: 0, softErrors: 0, tokensIn: 1430, tokensOut: 140 });
});

test('[ns, chunk] (subgraphs=True), [mode, chunk] (several stream modes), [ns, mode, chunk], v2 {type: "debug", ns, data}, SSE data: lines', () => {
  const variants: Record<string, string[]> = {
    ns: lines.map((l) => JSON.stringify([[], JSON.parse(l)])),
    mode: lines.flatMap((l) => [JSON.stringify(['updates', { router: { route: 'x' } }]), JSON.stringify(['debug', JSON.parse(l)])]),
    nsMode: lines.map((l) => JSON.stringify([[], 'debug', JSON.parse(l)])),
    v2: lines.flatMap((l) => [JSON.stringify({ type: 'values', ns: [], data: {} }), JSON.stringify({ type: 'debug', ns: [], data: JSON.parse(l) })]),
    sse: lines.flatMap((l) => ['event: debug', `data: ${l}`, '']),
  };
  for (const [name, v] of Object.entries(variants)) assert.deepEqual(figuresOf(v), expected, name);
});

test('a JSON array of debug events (list(stream) saved as JSON) reads the same', () => {
  const r = readTraceText(JSON.stringify(lines.map((l) => JSON.parse(l))), 'list.json');
  assert.equal(r.format, 'langgraph-debug');
  assert.deepEqual(pick(aggregateOf(r.events).agg.figures.nodes), expected);
});

test('older task_result shape: result as [channel, value] pairs', () => {
  const old = lines.map((l) => {
    const v = JSON.parse(l);
    if (v.type === 'task_result' && v.payload.result && !Array.isArray(v.payload.result)) v.payload.result = Object.entries(v.payload.result);
    return JSON.stringify(v);
  });
  assert.deepEqual(figuresOf(old), expected);
});

test('a subgraph task belongs, for the parent graph, to the node that runs the subgraph', () => {
  const p = new LangGraphDebugParser('s');
  const ev = (o: unknown) => p.pushValue(o);
  const events: TraceEvent[] = [
    ...ev({ type: 'task', step: 1, timestamp: '2025-01-01T00:00:00Z', payload: { id: 'T1', name: 'kyc' } }),
    ...ev([['kyc:T1'], { type: 'task', step: 1, timestamp: '2025-01-01T00:00:01Z', payload: { id: 'S1', name: 'screen' } }]),
    ...ev([['kyc:T1'], { type: 'task_result', step: 1, timestamp: '2025-01-01T00:00:02Z', payload: { id: 'S1', name: 'screen', error: null, result: { messages: [{ type: 'ai', usage_metadata: { input_tokens: 10, output_tokens: 2 } }] } } }]),
    ...ev([['kyc:T1'], { type: 'task', step: 2, timestamp: '2025-01-01T00:00:03Z', payload: { id: 'S2', name: 'decide' } }]),
    ...ev([['kyc:T1'], { type: 'task_result', step: 2, timestamp: '2025-01-01T00:00:04Z', payload: { id: 'S2', name: 'decide', error: 'ValueError: no score', result: {} } }]),
    // The parent's result repeats the subgraph's messages: counted once.
    ...ev({ type: 'task_result', step: 1, timestamp: '2025-01-01T00:00:05Z', payload: { id: 'T1', name: 'kyc', error: null, result: { messages: [{ type: 'ai', usage_metadata: { input_tokens: 10, output_tokens: 2 } }] } } }),
    ...p.end(),
  ];
  const f = aggregateOf(events).agg.figures;
  assert.deepEqual(Object.keys(f.nodes), ['kyc']);
  assert.deepEqual({ visits: f.nodes.kyc.visits, in: f.nodes.kyc.tokensIn, soft: f.nodes.kyc.softErrors, errors: f.nodes.kyc.errors }, { visits: 1, in: 10, soft: 1, errors: 0 });
});

test('a task without its result is the active node; the run is running', () => {
  const r = readTraceText(lines.slice(0, 6).join('\n'), 'partial.jsonl');
  // readTraceText ends the run at the end of a file; follow the lines as a tail would instead.
  const p = new LangGraphDebugParser('tail');
  const events = lines.slice(0, 6).flatMap((l) => p.push(l));
  const f = aggregateOf(events).agg.figures;
  assert.deepEqual(f.active, ['agent']);
  assert.equal(f.nodes.agent.active, true);
  assert.equal(f.runs[0].status, 'running');
  assert.equal(aggregateOf(r.events).agg.figures.active.length, 0, 'a finished file has nothing running');
});

test('lines that are not debug events are counted with a reason; blank lines and other modes are not', () => {
  const p = new LangGraphDebugParser('bad');
  for (const l of ['', '   ', 'not json', '{"a": 1}', '["updates", {}]', '[1, 2, 3]', '{"type": "task", "payload": {"id": "x"}}', 'null', '[[], "custom", {}]']) p.push(l);
  assert.equal(p.malformed, 5);
  assert.equal(p.reasons.length, 5);
});

test('timestamps keep their microseconds', () => {
  assert.equal(isoToNanos('2025-08-12T12:00:00.001000+00:00'), isoToNanos('2025-08-12T12:00:00Z')! + 1_000_000n);
  assert.equal(isoToNanos('2025-08-12T14:00:00.000001+02:00'), isoToNanos('2025-08-12T12:00:00Z')! + 1_000n);
  assert.equal(isoToNanos('yesterday'), undefined);
});
