// AG401 (write tools without approval) and AG402 (classified data to a model that does not allow it): which
// nodes are reported, and at which text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintText } from '../../support/lint.ts';

/** The findings of `code` as `[text at the range, data]`. */
function found(text: string, code: string) {
  return lintText(text).diagnostics.filter((d) => d.code === code).map((d) => [text.slice(d.range.start, d.range.end), d.data]);
}

const header = `agentgraph: 1
name: t
state:
  ticket: { type: string, input: true }
  order:  { type: object, data: [pii] }
  note:   { type: string }
models:
  fast:  { provider: openai, model: gpt-4o-mini }
  smart: { provider: anthropic, model: claude-sonnet-4-5, allows: [pii] }
tools:
  lookup: { effect: read }
  refund: { effect: write }
  email:  { effect: write }
  mystery: {}
entry: a
`;

const ag401: [string, string, string[]][] = [
  ['tool node with a write tool', `nodes:\n  a: { kind: tool, tool: refund, next: END }\n`, ['refund']],
  ['approval: human on the node', `nodes:\n  a: { kind: tool, tool: refund, approval: human, next: END }\n`, []],
  ['read tool and tool without effect', `nodes:\n  a: { kind: tool, tool: lookup, next: b }\n  b: { kind: tool, tool: mystery, next: END }\n`, []],
  ['agent: only its write tools', `nodes:\n  a: { kind: agent, model: fast, max_iterations: 3, tools: [lookup, refund, email], next: END }\n`, ['refund', 'email']],
  ['agent with approval', `nodes:\n  a: { kind: agent, model: fast, max_iterations: 3, tools: [refund], approval: human, next: END }\n`, []],
  ['policy require: approval covers the tool', `nodes:\n  a: { kind: tool, tool: refund, next: END }\npolicies:\n  - { id: p, tools: [refund], require: approval }\n`, []],
  ['policy require: human covers the tool', `nodes:\n  a: { kind: tool, tool: refund, next: END }\npolicies:\n  - { id: p, tools: [refund], require: human }\n`, []],
  ['policy require: model_allows does not', `nodes:\n  a: { kind: tool, tool: refund, next: END }\npolicies:\n  - { id: p, tools: [refund], require: model_allows }\n`, ['refund']],
  ['policy for another tool does not', `nodes:\n  a: { kind: tool, tool: refund, next: END }\npolicies:\n  - { id: p, tools: [email], require: approval }\n`, ['refund']],
  ['unreachable nodes too (node configuration)', `nodes:\n  a: { kind: function, next: END }\n  b: { kind: tool, tool: email, next: END }\n`, ['email']],
];
for (const [name, nodes, expected] of ag401) {
  test(`AG401: ${name}`, () => assert.deepEqual(found(header + nodes, 'AG401').map(([t]) => t), expected));
}

const ag402: [string, string, [string, unknown][]][] = [
  ['declared class to a model that does not allow it', `nodes:\n  a: { kind: llm, model: fast, reads: [order], next: END }\n`,
    [['fast', { node: 'a', model: 'fast', dataClass: 'pii', key: 'order' }]]],
  ['allowed model', `nodes:\n  a: { kind: llm, model: smart, reads: [order], next: END }\n`, []],
  ['optional reads carry data too', `nodes:\n  a: { kind: llm, model: fast, reads: ["order?"], next: END }\n`,
    [['fast', { node: 'a', model: 'fast', dataClass: 'pii', key: 'order' }]]],
  ['derived key carries the class', `nodes:\n  a: { kind: function, reads: [order], writes: [note], next: b }\n  b: { kind: agent, model: fast, max_iterations: 2, reads: [note], next: END }\n`,
    [['fast', { node: 'b', model: 'fast', dataClass: 'pii', key: 'note' }]]],
  ['fallback model reported at its entry', `nodes:\n  a: { kind: llm, model: smart, fallback_models: [smart, fast], reads: [order], next: END }\n`,
    [['fast', { node: 'a', model: 'fast', dataClass: 'pii', key: 'order' }]]],
  ['writing classified data is not sending it', `nodes:\n  a: { kind: llm, model: fast, reads: [ticket], writes: [order], next: END }\n`, []],
  ['non-model kinds are not checked', `nodes:\n  a: { kind: tool, tool: lookup, reads: [order], next: END }\n`, []],
  ['unknown model is left to AG002', `nodes:\n  a: { kind: llm, model: nope, reads: [order], next: END }\n`, []],
  ['a model_allows policy is named, not required', `nodes:\n  a: { kind: llm, model: fast, reads: [order], next: END }\npolicies:\n  - { id: pii-rule, data: [pii], require: model_allows }\n`,
    [['fast', { node: 'a', model: 'fast', dataClass: 'pii', key: 'order', policy: 'pii-rule' }]]],
];
for (const [name, nodes, expected] of ag402) {
  test(`AG402: ${name}`, () => assert.deepEqual(found(header + nodes, 'AG402'), expected));
}

test('AG402: related information points at the read and at the declaring key', () => {
  const text = header + `nodes:\n  a: { kind: llm, model: fast, reads: [order], next: END }\n`;
  const d = lintText(text).diagnostics.find((x) => x.code === 'AG402')!;
  assert.deepEqual(d.related!.map((r) => text.slice(r.range.start, r.range.end)), ['order', 'order']);
  assert.match(d.message, /^node "a" sends "pii" data \(via "order"\) to model "fast"/);
});
