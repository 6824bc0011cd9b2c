// AG501 (handoff/subgraph contracts) and AG502 (state loss): which reads and passes are reported, including
// the failure edge (a failed node writes nothing), loops, inputs and the AG002 boundary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { lintText } from '../../support/lint.ts';

function found(text: string, code: string, path?: string) {
  return lintText(text, path).diagnostics.filter((d) => d.code === code).map((d) => text.slice(d.range.start, d.range.end));
}

const state = `state:
  ticket: { type: string, input: true }
  order:  { type: object }
  answer: { type: string }
`;
const g = (nodes: string, extra = '', withState = true) => `agentgraph: 1\nname: t\n${withState ? state : ''}${extra}entry: a\nnodes:\n${nodes}`;

const ag502: [string, string, string[]][] = [
  ['written on every path', g(`  a: { kind: function, writes: [order], next: b }\n  b: { kind: function, reads: [order], next: END }\n`), []],
  ['inputs are written before entry', g(`  a: { kind: function, reads: [ticket], next: END }\n`), []],
  ['entry reads a non-input key', g(`  a: { kind: function, reads: [order], writes: [order], next: END }\n`), ['order']],
  ['a route skips the writer', g(`  a: { kind: router, routes: { x: w, y: b } }\n  w: { kind: function, writes: [order], next: b }\n  b: { kind: function, reads: [order], next: END }\n`), ['order']],
  ['optional reads are not checked', g(`  a: { kind: router, routes: { x: w, y: b } }\n  w: { kind: function, writes: [order], next: b }\n  b: { kind: function, reads: ["order?"], next: END }\n`), []],
  ['a failed node writes nothing (own on_error)',
    g(`  a: { kind: llm, model: m, writes: [answer], on_error: h, next: h }\n  h: { kind: handoff, to: q, passes: [ticket, answer], next: END }\n`, 'models:\n  m: { provider: p, model: x }\n'), ['answer']],
  ['a failed node writes nothing (graph on_error)',
    g(`  a: { kind: tool, tool: t, writes: [order], next: b }\n  b: { kind: function, reads: [order], next: END }\n  h: { kind: function, reads: [order], next: END }\n`, 'tools:\n  t: { effect: read }\non_error: h\n'), ['order']],
  ['a router cannot fail: no failure edge from the graph on_error',
    g(`  a: { kind: function, writes: [order], next: b }\n  b: { kind: function, reads: [order], next: END }\n  h: { kind: function, reads: [order], next: END }\n`, 'on_error: h\n'), []],
  ['a tripped loop guard writes nothing',
    g(`  a: { kind: function, next: l }\n  l: { kind: function, writes: [order], routes: { again: l, done: b }, max_visits: 2, on_exhausted: b }\n  b: { kind: function, reads: [order], next: END }\n`), ['order']],
  ['loop: written before the loop stays guaranteed',
    g(`  a: { kind: function, writes: [order], next: l }\n  l: { kind: function, reads: [order], routes: { again: l, done: END }, max_visits: 2, on_exhausted: END }\n`), []],
  ['loop: written later in the loop is missing on the first round',
    g(`  a: { kind: function, next: l }\n  l: { kind: function, reads: [answer], next: m }\n  m: { kind: function, writes: [answer], routes: { again: l, done: END }, max_visits: 2, on_exhausted: END }\n`), ['answer']],
  ['unreachable nodes are left to AG003', g(`  a: { kind: function, next: END }\n  z: { kind: function, reads: [order], next: END }\n`), []],
  ['never written, no state section', g(`  a: { kind: function, reads: [customer], next: END }\n`, '', false), ['customer']],
  ['undeclared key in a graph with state is AG002s', g(`  a: { kind: function, reads: [customer], next: END }\n`), []],
  ['handoff passes a key missing on a path', g(`  a: { kind: router, routes: { x: w, y: h } }\n  w: { kind: function, writes: [answer], next: h }\n  h: { kind: handoff, to: q, passes: [ticket, answer], next: END }\n`), ['answer']],
];
for (const [name, text, expected] of ag502) test(`AG502: ${name}`, () => assert.deepEqual(found(text, 'AG502'), expected));

test('AG502: the related path names each node and the failure', () => {
  const text = g(`  a: { kind: tool, tool: t, writes: [order], next: b }\n  b: { kind: function, reads: [order], next: END }\n  h: { kind: function, reads: [order], next: END }\n`, 'tools:\n  t: { effect: read }\non_error: h\n');
  const d = lintText(text).diagnostics.find((x) => x.code === 'AG502')!;
  assert.match(d.message, /on the path a \(fails\) -> h /);
  assert.deepEqual(d.related!.map((r) => [text.slice(r.range.start, r.range.end), r.message]), [
    ['a', '"a" fails before writing "order" and recovers to "h"'],
    ['h', '"h" is reached without "order"'],
  ]);
  assert.deepEqual(d.data, { node: 'h', key: 'order', path: ['a', 'h'] });
});

const sub = resolve('test/fixtures/rules/AG501/contracts.agentgraph.yaml');
const subgraphNode = (passes: string) => g(`  a: { kind: subgraph, graph: web-research.agentgraph.yaml${passes}, next: END }\n`, 'state:\n  question: { type: string, input: true }\n  audience: { type: string, input: true }\n', false);
const ag501: [string, string, string[]][] = [
  ['handoff without passes', g(`  a: { kind: handoff, to: q, next: END }\n`), ['a']],
  ['handoff with passes', g(`  a: { kind: handoff, to: q, passes: [ticket], next: END }\n`), []],
  ['passes: [] is an explicit contract', g(`  a: { kind: handoff, to: q, passes: [], next: END }\n`), []],
  ['subgraph without passes', subgraphNode(''), ['a']],
  ['subgraph missing one declared input: at passes', subgraphNode(', passes: [question]'), ['passes']],
  ['subgraph passing all inputs', subgraphNode(', passes: [question, audience]'), []],
  ['subgraph file missing: only passes is checked', g(`  a: { kind: subgraph, graph: nope.agentgraph.yaml, passes: [ticket], next: END }\n`), []],
];
for (const [name, text, expected] of ag501) test(`AG501: ${name}`, () => assert.deepEqual(found(text, 'AG501', sub), expected));
