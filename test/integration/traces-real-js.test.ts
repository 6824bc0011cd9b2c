// Real traces of the TypeScript twin of the Python app (test/fixtures/traces-real/js/graph.ts: the same support
// agent in LangGraph JS, its tool loop guarded in code), recorded under the OpenInference LangChain instrumentation
// for JS with the OpenTelemetry Node SDK (OTLP/HTTP protobuf or JSON) and through streamMode "debug", with a scripted
// chat model (no network). The committed recording is read against the graph read from the app's own code; and it
// is recorded again, live, into a temporary folder, so that it cannot drift from what the pinned packages emit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lookupPrice } from '../../server/src/core/prices.ts';
import { decodeOtlpProtobuf } from '../../server/src/traces/otlp.ts';
import { readTraceText } from '../../server/src/traces/traceText.ts';
import { EXPECTED, shape, spanEvents, summary, tracesCli } from '../support/realTraces.ts';
import { recordRealJsTraces, REAL_JS_APP } from '../support/recordTraces.ts';

const GRAPH = join(REAL_JS_APP, 'graph.ts');
const file = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8');

test('JS: the recorded OpenInference spans, their protobuf bodies and the debug stream give the same figures on the nodes read from graph.ts', () => {
  const otlp = readTraceText(file(REAL_JS_APP, 'recorded.jsonl'), 'recorded.jsonl');
  assert.equal(otlp.malformed + otlp.rejected, 0, otlp.reasons.join('; '));
  assert.deepEqual(summary(otlp.events, GRAPH), EXPECTED);
  const debug = readTraceText(file(REAL_JS_APP, 'debug.jsonl'), 'debug.jsonl');
  assert.equal(debug.malformed, 0, debug.reasons.join('; '));
  assert.deepEqual(summary(debug.events, GRAPH), EXPECTED);
  const bodies = file(REAL_JS_APP, 'otlp-protobuf.b64').trim().split('\n').map((l) => decodeOtlpProtobuf(Buffer.from(l, 'base64')));
  assert.equal(bodies.length, 4);
  const fromProtobuf = spanEvents(bodies.flatMap((b) => b.spans), 'pb');
  assert.deepEqual(summary([...fromProtobuf, ...otlp.events.filter((e) => e.type === 'runEnd')], GRAPH), EXPECTED);
  // What LangGraph JS emits and LangGraph Python does not: a `__start__` task span (langgraph_node "__start__",
  // step 0), and the router run as a `RunnableLambda` inside the agent's task. Neither is a node, nor unmapped.
  const names = new Set(fromProtobuf.map((e) => (e.type === 'span' ? e.span.rawName : '')));
  for (const n of ['__start__', 'RunnableLambda', 'ScriptedChatModel', 'order_support']) assert.ok(names.has(n), n);
  assert.ok(bodies.every((b) => b.spans.every((s) => s.resource['service.name'] === 'order-support')));
});

test('JS: agentgraph traces recorded.jsonl --graph graph.ts: figures on the code\'s nodes, costs from the price table, AG802 on the guard in the source', () => {
  const r = tracesCli(join(REAL_JS_APP, 'recorded.jsonl'), '--graph', GRAPH, '--format', 'json');
  assert.equal(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.figures.runCount, 4);
  assert.equal(out.figures.nodes.agent.visits, 13);
  assert.equal(out.figures.nodes.tools.visits, 9);
  // gpt-4o-mini (the model named in support-model.ts, reported as llm.model_name), priced from the bundled table
  // (the code names no price): 934 tokens in and 228 out, figures rounded to the millionth of a dollar.
  const price = lookupPrice(undefined, 'gpt-4o-mini')!;
  assert.deepEqual([price.inputUsdPerMtok, price.outputUsdPerMtok], [0.15, 0.6]);
  assert.equal(out.figures.nodes.agent.costUsd, Math.round(934 * 0.15 + 228 * 0.6) / 1e6);
  assert.equal(out.figures.nodes.tools.costUsd, 0);
  const loop = out.figures.loops[0];
  assert.deepEqual([loop.node, loop.bound, loop.maxIterations], ['agent', 'max_visits 4', 6]);
  assert.deepEqual(out.findings.map((d: { code: string }) => d.code), ['AG802']);
  const d = out.findings[0];
  assert.match(d.message, /^a run visited "agent" 6 times, past the 4 visits its guard in code allows \(`route: /);
  assert.equal(d.file, 'test/fixtures/traces-real/js/graph.ts');
  const line = readFileSync(GRAPH, 'utf8').split('\n')[d.line - 1];
  assert.match(line, /if \(\(state\.toolRounds \?\? 0\) >= MAX_TOOL_ROUNDS\) return "reply";/);
  // The debug stream of the same four runs says the same, and sees the tool message with status "error" (A-9999).
  const dbg = tracesCli(join(REAL_JS_APP, 'debug.jsonl'), '--graph', GRAPH, '--format', 'json');
  assert.equal(dbg.code, 1, dbg.stderr);
  const dout = JSON.parse(dbg.stdout);
  assert.deepEqual(dout.findings.map((x: { code: string; line: number }) => [x.code, x.line]), [['AG802', d.line]]);
  assert.equal(dout.figures.nodes.tools.softErrors, 1);
  assert.equal(dout.figures.nodes.agent.costUsd, out.figures.nodes.agent.costUsd);
});

test('JS: recorded again, live: the instrumentation still emits what the fixtures hold, and the receiver reads what the exporters send', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'agentgraph-real-js-traces-'));
  try {
    for (const protocol of ['proto', 'json'] as const) {
      const received = await recordRealJsTraces(dir, protocol);
      assert.deepEqual(shape(file(dir, 'recorded.jsonl')), shape(file(REAL_JS_APP, 'recorded.jsonl')), 'the spans changed: record them again with node --import tsx scripts/record-traces.ts js');
      const live = readTraceText(file(dir, 'recorded.jsonl'), 'recorded.jsonl');
      assert.deepEqual(summary(live.events, GRAPH), EXPECTED);
      assert.deepEqual(summary(readTraceText(file(dir, 'debug.jsonl'), 'debug.jsonl').events, GRAPH), EXPECTED);
      // What AgentGraph's receiver got over OTLP/HTTP (protobuf, then JSON), from the exporter itself.
      const runEnds = live.events.filter((e) => e.type === 'runEnd');
      assert.equal(received.length, live.events.length - runEnds.length, protocol);
      assert.deepEqual(summary([...spanEvents(received, 'receiver'), ...runEnds], GRAPH), EXPECTED, protocol);
      assert.ok(received.every((s) => s.resource['service.name'] === 'order-support'), protocol);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
