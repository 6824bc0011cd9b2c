// Completion read from the text at the cursor (`|` in each case), with names from the last good graph: node
// ids where a target goes, models, tools, state keys, the format's keys with their docs, closed-set values,
// node snippets; in block YAML, flow maps and lists, JSON, and while the document is broken at the cursor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { complete, type CompletionEntry } from '../../../server/src/features/completion.ts';
import { cursorContext } from '../../../server/src/features/cursor.ts';
import { lintText } from '../../support/lint.ts';

const TRIAGE = readFileSync('examples/support-triage.agentgraph.yaml', 'utf8');
const graph = lintText(TRIAGE).graph!;
const NODES = ['classify', 'lookup', 'draft', 'review', 'refund', 'escalate', 'holding_reply'];

/** Completes at the `|` of `text` (which `replace` puts into the example when given). */
function at(text: string): CompletionEntry[] {
  const offset = text.indexOf('|');
  assert.ok(offset >= 0, 'no | in the case');
  return complete({ text: text.slice(0, offset) + text.slice(offset + 1), offset, graph, graphFiles: ['./kyc.agentgraph.yaml'] });
}
const inTriage = (from: string, to: string) => {
  assert.ok(TRIAGE.includes(from), from);
  return at(TRIAGE.replace(from, to));
};
const labels = (xs: CompletionEntry[]) => xs.map((x) => x.label);

test('node ids (and END) where a target goes: next, routes, on_error, on_exhausted, entry', () => {
  assert.deepEqual(labels(inTriage('    next: review\n', '    next: |\n')), [...NODES, 'END']);
  assert.deepEqual(labels(inTriage('    next: review\n', '    next: re|\n')), [...NODES, 'END'], 'the editor filters by the prefix');
  assert.deepEqual(labels(inTriage('entry: classify', 'entry: |')), NODES, 'no END for entry');
  assert.deepEqual(labels(inTriage('on_error: holding_reply     #', 'on_error: |     #')), [...NODES, 'END']);
  assert.deepEqual(labels(inTriage('revise: draft', 'revise: |')), [...NODES, 'END'], 'a route in a flow map');
  const rec = inTriage('    on_exhausted: escalate', '    on_exhausted: |').sort((x, y) => x.sortText!.localeCompare(y.sortText!));
  assert.deepEqual(labels(rec).slice(0, 2), ['escalate', 'classify'], 'recovery: people and handoffs first, the node itself last');
  assert.equal(labels(rec).at(-1), 'review');
  // A block list and a flow list of targets.
  assert.deepEqual(labels(inTriage('    next: review\n', '    next:\n      - draft\n      - |\n')), [...NODES, 'END']);
  assert.deepEqual(labels(inTriage('    next: review\n', '    next: [draft, |]\n')), [...NODES, 'END']);
  // Routes written as a block map.
  assert.deepEqual(labels(inTriage('    routes: { approve: END, revise: draft, refund: refund }', '    routes:\n      approve: |')), [...NODES, 'END']);
});

test('models, tools, state keys and data classes by name', () => {
  assert.deepEqual(labels(inTriage('    model: fast\n', '    model: |\n')), ['fast', 'smart']);
  assert.deepEqual(labels(inTriage('    tool: lookup_order', '    tool: |')), ['lookup_order', 'issue_refund']);
  assert.deepEqual(labels(inTriage('    reads: [answer]', '    reads: [answer, |]')), ['ticket', 'category', 'order', 'answer']);
  assert.deepEqual(labels(inTriage('    passes: [ticket]', '    passes: [|]')), ['ticket', 'category', 'order', 'answer']);
  assert.deepEqual(labels(inTriage('    tools: [issue_refund]', '    tools: [|]')), ['lookup_order', 'issue_refund'], 'policy tools');
  assert.deepEqual(labels(inTriage('    data: [pii]\n', '    data: [|]\n')), ['pii']);
  const model = inTriage('    model: fast\n', '    model: |\n')[1];
  assert.match(model.documentation!, /\$3 in, \$15 out per million tokens/);
  assert.match(model.documentation!, /Used by/);
});

test('keys of the format with their docs, per node kind, without the keys already there', () => {
  const keys = inTriage('    max_visits: 3 ', '    max|\n    max_visits: 3 ');
  const names = labels(keys);
  assert.ok(names.includes('fallback_models') && names.includes('timeout_s'), names.join(' '));
  assert.ok(!names.includes('model') && !names.includes('max_output_tokens') && !names.includes('max_visits'), 'keys already there are left out');
  assert.ok(!names.includes('next'), 'next is exclusive with routes');
  assert.ok(!names.includes('tool') && !names.includes('graph'), 'keys of other kinds are left out');
  const timeout = keys.find((k) => k.label === 'timeout_s')!;
  assert.match(timeout.documentation!, /Seconds per attempt/);
  assert.equal(timeout.insertText, 'timeout_s: ');
  // A node the last good graph does not know yet: its kind is read from the text.
  const fresh = inTriage('nodes:\n', 'nodes:\n  summarise:\n    kind: agent\n    max_|\n');
  const cap = fresh.find((k) => k.label === 'max_output_tokens')!;
  assert.match(cap.documentation!, /hard output cap/);
  assert.ok(fresh.some((k) => k.label === 'max_iterations' && /For `agent` nodes|inner agent loop/.test(k.documentation!)));
  const lists = inTriage('  refund:\n    kind: tool\n', '  refund:\n    kind: tool\n    |\n');
  assert.equal(lists.find((k) => k.label === 'reads')?.insertText, 'reads: [$1]');
  assert.ok(lists.find((k) => k.label === 'on_exhausted')?.retrigger, 'a target key asks for suggestions again');
  // Top level.
  const top = at('agentgraph: 1\nname: x\n|').sort((x, y) => x.sortText!.localeCompare(y.sortText!));
  assert.deepEqual(labels(top).slice(0, 3), ['entry', 'nodes', 'description'], 'required keys first');
  assert.ok(labels(top).includes('budget') && !labels(top).includes('name'));
  // Below long sections the top-level keys already written are still known.
  assert.deepEqual(at(TRIAGE + '\n|'), []);
  assert.deepEqual(labels(at(TRIAGE.replace(/\ntracing:\n  exporter: otlp\n  node_attribute: langgraph_node\n/, '\n') + '\n|')), ['tracing']);
});

test('values of closed sets with their docs: kind, effect, retry, approval', () => {
  const kinds = inTriage('    kind: handoff', '    kind: |');
  assert.deepEqual(labels(kinds), ['llm', 'tool', 'router', 'function', 'agent', 'subgraph', 'human', 'handoff']);
  assert.match(kinds.find((k) => k.label === 'router')!.documentation!, /only chooses a route/);
  assert.deepEqual(labels(inTriage('effect: write', 'effect: |')), ['none', 'read', 'write']);
  assert.deepEqual(labels(inTriage('    retry: none ', '    retry: | ')), ['none', '{ attempts, backoff }']);
  assert.deepEqual(labels(inTriage('    approval: human ', '    approval: | ')), ['human']);
});

test('snippets for common node shapes under nodes, with the graph\'s names as choices', () => {
  const items = inTriage('nodes:\n', 'nodes:\n  |\n');
  assert.deepEqual(labels(items), ['llm node', 'tool node', 'router node', 'review loop node', 'agent node', 'human node', 'handoff node', 'subgraph node']);
  const llm = items[0];
  assert.ok(llm.snippet);
  assert.match(llm.insertText, /model: \$\{2\|fast,smart\|\}/);
  assert.match(llm.insertText, /next: \$\{\d+\|END,classify,/);
});

test('works while the document is broken right at the cursor, with names from the last good graph', () => {
  // An unclosed flow list, a half-written key, a missing value: the YAML does not parse.
  assert.deepEqual(labels(inTriage('    reads: [answer]', '    reads: [answer, |')), ['ticket', 'category', 'order', 'answer']);
  assert.deepEqual(labels(inTriage('    next: review\n', '    next: |\n  oops: [\n')), [...NODES, 'END']);
  const broken = TRIAGE.replace('    next: review\n', '    next:|\n');
  const items = complete({ text: broken.replace('|', ''), offset: broken.indexOf('|'), graph });
  assert.equal(items[0].insertText, ' classify', 'a space is added after a bare colon');
});

test('JSON: values and keys in quotes', () => {
  const json = '{\n  "agentgraph": 1,\n  "entry": "a",\n  "nodes": {\n    "a": { "kind": "llm", "next": "|" }\n  }\n}';
  assert.deepEqual(labels(at(json)), [...NODES, 'END']);
  assert.equal(at(json)[0].insertText, 'classify');
  const bare = '{\n  "nodes": {\n    "a": { "kind": "llm", "next": | }\n  }\n}';
  assert.equal(at(bare)[0].insertText, '"classify"');
  const key = at('{\n  "nodes": {\n    "a": { "kind": "llm", "|" }\n  }\n}');
  assert.equal(key.find((k) => k.label === 'model')?.insertText, 'model": ');
});

test('nothing in comments and block scalars', () => {
  assert.deepEqual(at('agentgraph: 1\n# next: |\n'), []);
  assert.deepEqual(at('agentgraph: 1\nnodes:\n  a:\n    next: END # |\n'), []);
  assert.deepEqual(at('description: |\n  some text |\nentry: a\n'.replace('|\n  some', '>\n  some')), []);
});

test('the cursor context follows indentation, dashes, flow maps and JSON', () => {
  const ctx = (s: string) => {
    const o = s.indexOf('|');
    const c = cursorContext(s.slice(0, o) + s.slice(o + 1), o)!;
    return { where: c.where, path: c.path.join('.'), key: 'key' in c ? c.key : undefined, prefix: c.prefix };
  };
  assert.deepEqual(ctx('nodes:\n  a:\n    kind: llm\n    ma|'), { where: 'key', path: 'nodes.a', key: undefined, prefix: 'ma' });
  assert.deepEqual(ctx('nodes:\n  a: { kind: llm, |'), { where: 'key', path: 'nodes.a', key: undefined, prefix: '' });
  assert.deepEqual(ctx('policies:\n  - id: x\n    tools: [|]'), { where: 'value', path: 'policies.-', key: 'tools', prefix: '' });
  assert.deepEqual(ctx('policies:\n- id: x\n  re|'), { where: 'key', path: 'policies.-', key: undefined, prefix: 're' });
  assert.deepEqual(ctx('policies:\n  - id: x\n  - |'), { where: 'item', path: '', key: 'policies', prefix: '' });
  assert.deepEqual(ctx('nodes:\n  a:\n    routes: {\n      ok: E|'), { where: 'value', path: 'nodes.a.routes', key: 'ok', prefix: 'E' });
  assert.deepEqual(ctx('{\n  "nodes": {\n    "a": {\n      "kind": "llm",\n      "|'), { where: 'key', path: 'nodes.a', key: undefined, prefix: '' });
});
