// How a span finds its node: the rule order of the notes, the graph's tracing.node_attribute first, model calls
// inheriting their nearest named ancestor, and names the graph lacks reported, never dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extractSpan, ownName, type Naming } from '../../../server/src/traces/mapping.ts';
import type { Attributes, TraceSpan } from '../../../server/src/traces/model.ts';
import { aggregateOf, contextOfText } from './helpers.ts';

let next = 1;
function span(name: string, attributes: Attributes, extra: Partial<TraceSpan> = {}): TraceSpan {
  const id = (next++).toString(16).padStart(16, '0');
  return { traceId: 'a'.repeat(32), spanId: id, name, kind: 1, start: 1_000n * BigInt(next), end: 1_000n * BigInt(next) + 500n, status: { code: 0 }, attributes, events: [], resource: {}, ...extra };
}
const nameOf = (s: TraceSpan, naming: Naming, custom: string[] = []) => ownName(extractSpan(s, { customAttributes: new Set(custom) }), naming);
const graph = (ids: string[], nodeAttribute?: string): Naming => ({ nodes: new Set(ids), ...(nodeAttribute ? { nodeAttribute } : {}) });

test('rule order: node_attribute, agentgraph.node, graph.node.id, langgraph_node, gen_ai.agent.*, tool name, span name', () => {
  const all: Attributes = {
    step_name: 'a0', 'agentgraph.node': 'a1', 'graph.node.id': 'a1b', metadata: JSON.stringify({ langgraph_node: 'a2' }),
    'gen_ai.agent.name': 'a3', 'gen_ai.agent.id': 'a3b', 'gen_ai.tool.name': 'a4',
  };
  const ids = ['a0', 'a1', 'a1b', 'a2', 'a3', 'a3b', 'a4', 'a5'];
  const s = span('invoke_agent a5', all);
  assert.deepEqual(nameOf(s, graph(ids, 'step_name'), ['step_name']), { node: 'a0' });
  assert.deepEqual(nameOf(s, graph(ids)), { node: 'a1' });
  const without = (...keys: string[]) => span('invoke_agent a5', Object.fromEntries(Object.entries(all).filter(([k]) => !keys.includes(k))));
  assert.deepEqual(nameOf(without('agentgraph.node'), graph(ids)), { node: 'a1b' });
  assert.deepEqual(nameOf(without('agentgraph.node', 'graph.node.id'), graph(ids)), { node: 'a2' });
  assert.deepEqual(nameOf(without('agentgraph.node', 'graph.node.id', 'metadata'), graph(ids)), { node: 'a3' });
  assert.deepEqual(nameOf(without('agentgraph.node', 'graph.node.id', 'metadata', 'gen_ai.agent.name'), graph(ids)), { node: 'a3b' });
  assert.deepEqual(nameOf(without('agentgraph.node', 'graph.node.id', 'metadata', 'gen_ai.agent.name', 'gen_ai.agent.id'), graph(ids)), { node: 'a4' });
  assert.deepEqual(nameOf(without('agentgraph.node', 'graph.node.id', 'metadata', 'gen_ai.agent.name', 'gen_ai.agent.id', 'gen_ai.tool.name'), graph(ids)), { node: 'a5' });
});

test('with a graph, the first name that is a node wins; a name the graph lacks is reported as unknown', () => {
  const s = span('invoke_agent Weather', { 'gen_ai.agent.name': 'Weather', 'gen_ai.agent.id': 'weather_agent' });
  assert.deepEqual(nameOf(s, graph(['weather_agent'])), { node: 'weather_agent' });
  assert.deepEqual(nameOf(s, graph(['other'])), { unknown: 'Weather', explicit: true });
  assert.deepEqual(nameOf(s, { nodes: null }), { node: 'Weather' });
});

test('LangGraph names: OpenInference metadata, langsmith.metadata.*, a subgraph named by its checkpoint namespace', () => {
  assert.deepEqual(nameOf(span('x', { 'langsmith.metadata.langgraph_node': 'agent' }), graph(['agent'])), { node: 'agent' });
  const inner = extractSpan(span('x', { metadata: JSON.stringify({ langgraph_node: 'check', langgraph_step: 2, langgraph_checkpoint_ns: 'kyc:1f0a|check:2b1c' }) }));
  assert.equal(inner.langgraphNode, 'kyc', 'inside the subgraph run by node "kyc"');
  assert.equal(inner.visitKey, 'kyc:1f0a');
  assert.equal(inner.step, 2);
  const top = extractSpan(span('x', { metadata: JSON.stringify({ langgraph_node: 'tools', langgraph_checkpoint_ns: 'tools:4d66' }) }));
  assert.equal(top.langgraphNode, 'tools');
  assert.equal(top.visitKey, 'tools:4d66');
});

test('the span name loses its invoke_agent / execute_tool / plan prefix; model calls and workflows offer no name', () => {
  assert.equal(extractSpan(span('execute_tool get_weather', {})).name, 'get_weather');
  assert.equal(extractSpan(span('plan research', {})).name, 'research');
  assert.equal(extractSpan(span('chat gpt-4o', { 'gen_ai.operation.name': 'chat' })).name, undefined);
  assert.equal(extractSpan(span('ChatOpenAI', { 'openinference.span.kind': 'LLM' })).modelCall, true);
  assert.equal(extractSpan(span('invoke_workflow flow', { 'gen_ai.operation.name': 'invoke_workflow' })).workflow, true);
});

test('a model call with no name of its own belongs to its nearest named ancestor; usage repeated above it counts once', () => {
  const root = span('invoke_workflow flow', { 'gen_ai.operation.name': 'invoke_workflow' });
  const agent = span('invoke_agent writer', { 'gen_ai.agent.name': 'writer', 'gen_ai.usage.input_tokens': 30, 'gen_ai.usage.output_tokens': 7 }, { parentSpanId: root.spanId });
  const helper = span('format_prompt', {}, { parentSpanId: agent.spanId });
  const chat = span('chat gpt-4o', { 'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': 30, 'gen_ai.usage.output_tokens': 7 }, { parentSpanId: helper.spanId });
  const { ctx } = contextOfText('agentgraph: 1\nname: g\nentry: writer\nnodes:\n  writer: { kind: function, next: END }\n');
  const events = [chat, helper, agent, root].map((s) => ({ type: 'span' as const, span: extractSpan(s), source: 't' }));
  const f = aggregateOf(events, ctx).agg.figures;
  assert.deepEqual({ visits: f.nodes.writer.visits, in: f.nodes.writer.tokensIn, out: f.nodes.writer.tokensOut }, { visits: 1, in: 30, out: 7 });
  assert.equal(f.unmapped.count, 0, 'the helper span, named after no node, is part of the writer visit');
});

test('usage on a span with no model call below it is counted (instrumentations that only emit agent spans)', () => {
  const agent = span('invoke_agent writer', { 'gen_ai.agent.name': 'writer', 'gen_ai.usage.input_tokens': 12, 'gen_ai.usage.output_tokens': 3 });
  const f = aggregateOf([{ type: 'span', span: extractSpan(agent), source: 't' }]).agg.figures;
  assert.equal(f.nodes.writer.tokensIn, 12);
});

test('spans that belong to no node are counted and listed by name, never dropped', () => {
  const { ctx } = contextOfText('agentgraph: 1\nname: g\nentry: a\nnodes:\n  a: { kind: function, next: END }\n');
  const a = span('a', {});
  const stray = span('chat gpt-4o', { 'gen_ai.operation.name': 'chat' }, { traceId: 'a'.repeat(32) });
  const unknownTool = span('execute_tool search', { 'gen_ai.tool.name': 'search' });
  const f = aggregateOf([a, stray, unknownTool].map((s) => ({ type: 'span' as const, span: extractSpan(s), source: 't' })), ctx).agg.figures;
  assert.equal(f.nodes.a.visits, 1);
  assert.equal(f.unmapped.count, 2, 'a root model call, a tool the graph lacks');
  assert.deepEqual(f.unmapped.names, [{ name: 'chat gpt-4o', count: 1 }, { name: 'search', count: 1 }]);
  assert.deepEqual(f.unknownNames, [{ name: 'search', count: 1 }]);
});

test('errors: status 2 or error.type; a failed inner span of an attempt that succeeded is a soft error', () => {
  assert.equal(extractSpan(span('t', { 'error.type': 'timeout' })).error, true);
  assert.equal(extractSpan(span('t', {}, { status: { code: 2, message: 'x' } })).errorMessage, 'x');
  const top = span('tools', { 'agentgraph.node': 'tools' });
  const inner = span('get_weather', { 'agentgraph.node': 'tools' }, { parentSpanId: top.spanId, status: { code: 2 } });
  const f = aggregateOf([inner, top].map((s) => ({ type: 'span' as const, span: extractSpan(s), source: 't' }))).agg.figures;
  assert.deepEqual({ errors: f.nodes.tools.errors, soft: f.nodes.tools.softErrors }, { errors: 0, soft: 1 });
});

test('a cycle in parent ids does not hang the analysis', () => {
  const a = span('a', {});
  const b = span('b', {}, { parentSpanId: a.spanId });
  const cyclic = { ...a, parentSpanId: b.spanId };
  const f = aggregateOf([cyclic, b].map((s) => ({ type: 'span' as const, span: extractSpan(s), source: 't' }))).agg.figures;
  assert.ok(f.runCount <= 1);
});
