// Real traces of a real LangGraph app (test/fixtures/traces-real/python/graph.py: a support agent whose tool loop is
// guarded in code), recorded under the OpenInference LangChain instrumentation (OTLP/HTTP protobuf) and through
// stream_mode="debug", with a scripted chat model (no network). The committed recording is read against the graph
// read from the app's own code; and it is recorded again, live, into a temporary folder, so that it cannot drift
// from what the pinned instrumentation emits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeOtlpProtobuf } from '../../server/src/traces/otlp.ts';
import { readTraceText } from '../../server/src/traces/traceText.ts';
import { EXPECTED, shape, spanEvents, summary, tracesCli } from '../support/realTraces.ts';
import { recordRealTraces, REAL_APP } from '../support/recordTraces.ts';

const GRAPH = join(REAL_APP, 'graph.py');
const file = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');

test('the recorded OpenInference spans and the debug stream give the same figures on the nodes read from graph.py', () => {
  const otlp = readTraceText(file(REAL_APP, 'recorded.jsonl'), 'recorded.jsonl');
  assert.equal(otlp.malformed + otlp.rejected, 0, otlp.reasons.join('; '));
  assert.deepEqual(summary(otlp.events, GRAPH), EXPECTED);
  const debug = readTraceText(file(REAL_APP, 'debug.jsonl'), 'debug.jsonl');
  assert.equal(debug.malformed, 0, debug.reasons.join('; '));
  assert.deepEqual(summary(debug.events, GRAPH), EXPECTED);
  // The protobuf bodies the exporter sent hold the same spans as the JSON lines.
  const bodies = file(REAL_APP, 'otlp-protobuf.b64').trim().split('\n').map((l) => decodeOtlpProtobuf(Buffer.from(l, 'base64')));
  const fromProtobuf = spanEvents(bodies.flatMap((b) => b.spans), 'pb');
  assert.deepEqual(summary([...fromProtobuf, ...otlp.events.filter((e) => e.type === 'runEnd')], GRAPH), EXPECTED);
});

test('agentgraph traces recorded.jsonl --graph graph.py: figures on the code\'s nodes, costs from the price table, AG802 on the guard in the source', () => {
  const r = tracesCli(join(REAL_APP, 'recorded.jsonl'), '--graph', GRAPH, '--format', 'json');
  assert.equal(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.figures.runCount, 4);
  assert.equal(out.figures.nodes.agent.visits, 13);
  // gpt-4o-mini, priced from the table (the code names no price): 934 in, 228 out.
  assert.ok(out.figures.nodes.agent.costUsd > 0);
  const loop = out.figures.loops[0];
  assert.deepEqual([loop.node, loop.bound, loop.maxIterations], ['agent', 'max_visits 4', 6]);
  assert.deepEqual(out.findings.map((d: { code: string }) => d.code), ['AG802']);
  const d = out.findings[0];
  assert.match(d.message, /^a run visited "agent" 6 times, past the 4 visits its guard in code allows \(`route: /);
  assert.equal(d.file, 'test/fixtures/traces-real/python/graph.py');
  const line = readFileSync(GRAPH, 'utf8').split('\n')[d.line - 1];
  assert.match(line, /if state\.get\("tool_rounds", 0\) >= MAX_TOOL_ROUNDS:/);
  // The debug stream of the same four runs says the same.
  const dbg = tracesCli(join(REAL_APP, 'debug.jsonl'), '--graph', GRAPH, '--format', 'json');
  assert.equal(dbg.code, 1, dbg.stderr);
  assert.deepEqual(JSON.parse(dbg.stdout).findings.map((x: { code: string }) => x.code), ['AG802']);
  assert.equal(JSON.parse(dbg.stdout).figures.nodes.tools.softErrors, 1);
});

test('recorded again, live: the instrumentation still emits what the fixtures hold, and the receiver reads what it sends', { timeout: 900_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'agentgraph-real-traces-'));
  try {
    const received = await recordRealTraces(dir);
    assert.deepEqual(shape(file(dir, 'recorded.jsonl')), shape(file(REAL_APP, 'recorded.jsonl')), 'the spans changed: record them again with node --import tsx scripts/record-traces.ts');
    const live = readTraceText(file(dir, 'recorded.jsonl'), 'recorded.jsonl');
    assert.deepEqual(summary(live.events, GRAPH), EXPECTED);
    assert.deepEqual(summary(readTraceText(file(dir, 'debug.jsonl'), 'debug.jsonl').events, GRAPH), EXPECTED);
    // What AgentGraph's receiver got over OTLP/HTTP protobuf, from the exporter itself.
    const runEnds = live.events.filter((e) => e.type === 'runEnd');
    assert.equal(received.length, live.events.length - runEnds.length);
    assert.deepEqual(summary([...spanEvents(received, 'receiver'), ...runEnds], GRAPH), EXPECTED);
    assert.ok(received.every((s) => s.resource['service.name'] === 'order-support'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
