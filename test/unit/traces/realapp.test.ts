// Defects found by running a real LangGraph app (test/fixtures/traces-real/) under the OpenInference
// instrumentation and through stream_mode="debug": each test here failed before its fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../server/src/cli/main.ts';
import { checkConformance } from '../../../server/src/traces/conformance.ts';
import { encodeOtlpProtobuf } from '../../../server/src/traces/otlp.ts';
import { readTraceText } from '../../../server/src/traces/traceText.ts';
import { renderFigures } from '../../../server/src/cli/traces.ts';
import { aggregateOf, contextOf, contextOfText, DEBUG, WEATHER_GRAPH } from './helpers.ts';

const weather = readFileSync(WEATHER_GRAPH, 'utf8');

function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = main(['traces', ...argv], (s) => (stdout += s), (s) => (stderr += s));
  return { code, stdout, stderr };
}

// --- a file that is not a trace ----------------------------------------------------------------------------------

test('agentgraph traces: a protobuf body or any other file is a usage error (exit 2), not "0 spans" and exit 0', () => {
  const dir = mkdtempSync(join(tmpdir(), 'agentgraph-notrace-'));
  try {
    const pb = join(dir, 'body.pb');
    writeFileSync(pb, encodeOtlpProtobuf(JSON.parse(readFileSync('test/fixtures/traces/otlp-openinference-langgraph.json', 'utf8'))));
    const r1 = cli(pb, '--graph', WEATHER_GRAPH, '--no-color');
    assert.equal(r1.code, 2, r1.stdout + r1.stderr);
    assert.match(r1.stderr, /body\.pb: .*binary.*protobuf/i);
    const txt = join(dir, 'notes.txt');
    writeFileSync(txt, 'hello\nworld\n');
    const r2 = cli(txt, '--graph', WEATHER_GRAPH, '--no-color');
    assert.equal(r2.code, 2, r2.stdout + r2.stderr);
    assert.match(r2.stderr, /notes\.txt: not a trace/);
    // A good file beside a bad one: still exit 2.
    assert.equal(cli(DEBUG, txt, '--graph', WEATHER_GRAPH, '--no-color').code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// --- OTLP: LangGraph's own spans, renamed nodes, graphs that share node names --------------------------------------

type Span = { name: string; id: string; parent?: string; attrs?: Record<string, string | number>; kind?: string };
let traceSeq = 0;

/** One OTLP JSON request of one run, OpenInference-style (LangChain metadata in the `metadata` JSON string). */
function otlpRun(spans: Span[], resource: Record<string, string> = {}): unknown {
  const traceId = (++traceSeq).toString(16).padStart(32, '0');
  const t0 = 1_700_000_000_000_000_000n + BigInt(traceSeq) * 1_000_000_000n;
  const kv = (o: Record<string, string | number>) => Object.entries(o).map(([key, v]) => ({ key, value: typeof v === 'number' ? { intValue: v } : { stringValue: v } }));
  return {
    resourceSpans: [{
      resource: { attributes: kv(resource) },
      scopeSpans: [{
        spans: spans.map((s, i) => ({
          traceId, spanId: s.id.padStart(16, '0'), ...(s.parent ? { parentSpanId: s.parent.padStart(16, '0') } : {}), name: s.name, kind: 1,
          startTimeUnixNano: String(t0 + BigInt(i) * 1_000_000n), endTimeUnixNano: String(t0 + BigInt(i) * 1_000_000n + 500_000n),
          attributes: kv({ 'openinference.span.kind': s.kind ?? 'CHAIN', ...(s.attrs ?? {}) }),
        })),
      }],
    }],
  };
}
const lg = (node: string, step: number) => ({ metadata: JSON.stringify({ langgraph_node: node, langgraph_step: step, langgraph_checkpoint_ns: `${node}:${step}` }) });

const reactRun = (root = 'LangGraph', nodes = ['router', 'agent', 'tools', 'agent']) => [
  { name: root, id: '1' },
  ...nodes.map((n, i) => ({ name: n, id: String(10 + i), parent: '1', attrs: lg(n, i + 1) })),
];

function otlpEvents(...requests: unknown[]) {
  return readTraceText(requests.map((r) => JSON.stringify(r)).join('\n'), 'spans.jsonl').events;
}

test('OTLP: LangGraph\'s own __start__ span is neither a span without a node nor a name the graph lacks', () => {
  const spans = [{ name: 'LangGraph', id: '1' }, { name: '__start__', id: '2', parent: '1', attrs: lg('__start__', 0) }, ...reactRun().slice(1)];
  const { agg } = aggregateOf(otlpEvents(otlpRun(spans)), contextOfText(weather).ctx);
  assert.deepEqual(agg.figures.unmapped, { count: 0, names: [] });
  assert.deepEqual(agg.figures.unknownNames, []);
  assert.equal(agg.figures.nodes.router.visits, 1);
});

test('renamed nodes: conformance does not speak from a run most of whose spans map to no node; it says the run does not match', () => {
  // The code renamed router and agent: only tools still matches.
  const { ctx, analysis } = contextOfText(weather);
  const { agg } = aggregateOf(otlpEvents(otlpRun(reactRun('LangGraph', ['classify', 'planner', 'tools', 'planner']))), ctx);
  const ds = checkConformance(analysis.graph!, ctx, agg);
  assert.deepEqual(ds.filter((d) => d.code === 'AG801'), [], ds.map((d) => d.message).join('\n'));
  assert.equal(agg.figures.mismatchedRuns, 1);
  assert.ok(ds.some((d) => d.code === 'AG805' && /does not match the graph/.test(d.message) && /classify/.test(d.message)), ds.map((d) => d.message).join('\n'));
});

test('two graphs that share node names: each counts its own runs, by the LangGraph graph name, service.name and tracing.service_name', () => {
  // Two LangGraph modules with the same node names, compiled under their own names: LangGraph's root span says which ran.
  const dir = mkdtempSync(join(tmpdir(), 'agentgraph-twographs-'));
  try {
    const module = (name: string) => [
      'from langgraph.graph import END, START, MessagesState, StateGraph',
      'def router(state): return {}', 'def agent(state): return {}', 'def tools(state): return {}',
      'def route(state):', '    if state["messages"][-1].tool_calls:', '        return "tools"', '    return END',
      'builder = StateGraph(MessagesState)',
      'builder.add_node("router", router)', 'builder.add_node("agent", agent)', 'builder.add_node("tools", tools)',
      'builder.add_edge(START, "router")', 'builder.add_edge("router", "agent")', 'builder.add_conditional_edges("agent", route, ["tools", END])', 'builder.add_edge("tools", "agent")',
      `graph = builder.compile(name="${name}")`, '',
    ].join('\n');
    writeFileSync(join(dir, 'weather.py'), module('weather'));
    writeFileSync(join(dir, 'billing.py'), module('billing'));
    const billingRun = otlpEvents(otlpRun(reactRun('billing', ['router', 'agent', 'tools', 'agent', 'tools', 'agent'])));
    const weatherRun = otlpEvents(otlpRun(reactRun('weather')));
    const w = aggregateOf([...billingRun, ...weatherRun], contextOf(join(dir, 'weather.py'))).agg;
    assert.equal(w.figures.runCount, 1);
    assert.equal(w.figures.otherRuns, 1);
    assert.equal(w.figures.nodes.agent.visits, 2);
    const b = aggregateOf([...billingRun, ...weatherRun], contextOf(join(dir, 'billing.py'))).agg;
    assert.equal(b.figures.nodes.agent.visits, 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // By service name: the graph file declares its service.
  const other = weather.replace('name: weather', 'name: billing');
  const withService = (yaml: string, service: string) => yaml.replace('  node_attribute: langgraph_node', `  node_attribute: langgraph_node\n  service_name: ${service}`);
  const a = otlpEvents(otlpRun(reactRun(), { 'service.name': 'weather-bot' }));
  const b = otlpEvents(otlpRun(reactRun('LangGraph', ['router', 'agent', 'tools', 'agent', 'tools', 'agent', 'tools', 'agent', 'tools', 'agent']), { 'service.name': 'billing-bot' }));
  const ws = contextOfText(withService(weather, 'weather-bot'));
  const agg = aggregateOf([...a, ...b], ws.ctx).agg;
  assert.equal(agg.figures.runCount, 1);
  assert.equal(agg.figures.nodes.agent.maxVisitsPerRun, 2);
  assert.deepEqual(checkConformance(ws.analysis.graph!, ws.ctx, agg).filter((d) => d.code === 'AG802'), []);
  const bs = contextOfText(withService(other, 'billing-bot'));
  assert.equal(aggregateOf([...a, ...b], bs.ctx).agg.figures.nodes.agent.visits, 5);
});

// --- words and figures ---------------------------------------------------------------------------------------------

test('"1 span belongs to no node"', () => {
  const f = aggregateOf([]).agg.figures;
  const text = renderFigures({ ...f, unmapped: { count: 1, names: [{ name: 'x', count: 1 }] } }, []);
  assert.match(text, /1 span belongs to no node: x \(1\)/);
  assert.match(renderFigures({ ...f, unmapped: { count: 2, names: [{ name: 'x', count: 2 }] } }, []), /2 spans belong to no node/);
});

test('the loop summary pairs the visits of the node that carries the bound with that bound', () => {
  // tools has the bound (2); agent, in the same loop, runs more often (3 visits in the debug stream).
  const yaml = weather.replace('    max_visits: 4\n', '').replace('    next: agent\n', '    next: agent\n    max_visits: 2\n');
  const { agg } = aggregateOf(readTraceText(readFileSync(DEBUG, 'utf8'), 'd.jsonl').events, contextOfText(yaml).ctx);
  const loop = agg.figures.loops.find((l) => l.nodes.includes('tools'))!;
  assert.equal(loop.bound, 'max_visits 2');
  assert.equal(loop.node, 'tools');
  assert.equal(loop.maxIterations, 2);
});

// --- costs without declared prices ----------------------------------------------------------------------------------

test('a span of a known model is priced from the price table when neither the span nor the graph gives a price', async () => {
  const { lookupPrice } = await import('../../../server/src/core/prices.ts');
  const p = lookupPrice('openai', 'gpt-4o-mini')!;
  const unpriced = weather.replace(', input_usd_per_mtok: 0.15, output_usd_per_mtok: 0.60', '');
  const llm = (model: string, provider?: string) => ({
    name: 'ChatOpenAI', id: '99', parent: '11', kind: 'LLM',
    attrs: { ...lg('agent', 2), 'llm.model_name': model, ...(provider ? { 'llm.provider': provider } : {}), 'llm.token_count.prompt': 1000, 'llm.token_count.completion': 200 },
  });
  const expected = (1000 * p.inputUsdPerMtok + 200 * p.outputUsdPerMtok) / 1e6;
  for (const [model, provider] of [['gpt-4o-mini', 'openai'], ['gpt-4o-mini-2024-07-18', undefined], ['gpt-4o-mini', 'scriptedchatmodel']] as const) {
    const { agg } = aggregateOf(otlpEvents(otlpRun([...reactRun(), llm(model, provider)])), contextOfText(unpriced).ctx);
    assert.ok(Math.abs(agg.figures.nodes.agent.costUsd - expected) < 1e-9, `${model} ${provider}: ${agg.figures.nodes.agent.costUsd} != ${expected}`);
  }
  // The graph's own price wins.
  const { agg } = aggregateOf(otlpEvents(otlpRun([...reactRun(), llm('gpt-4o-mini')])), contextOfText(weather).ctx);
  assert.ok(Math.abs(agg.figures.nodes.agent.costUsd - (1000 * 0.15 + 200 * 0.6) / 1e6) < 1e-12);
  // An unknown model costs nothing rather than a guess.
  assert.equal(aggregateOf(otlpEvents(otlpRun([...reactRun(), llm('my-own-model')])), contextOfText(unpriced).ctx).agg.figures.nodes.agent.costUsd, 0);
});
