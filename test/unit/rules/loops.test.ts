// AG201-AG205 (loops): which loops are reported, where (the text under the range), and the cycle in order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintText } from '../../support/lint.ts';

const header = (top = '') => `agentgraph: 1
name: t
${top}entry: a
nodes:
`;

/** The findings of `code` as `text under the range | cycle or node`. */
function found(text: string, code: string): string[] {
  return lintText(text)
    .diagnostics.filter((d) => d.code === code)
    .map((d) => `${text.slice(d.range.start, d.range.end)} | ${((d.data?.cycle ?? d.data?.loop ?? [d.data?.node]) as string[]).join(',')}`);
}

const cases: [string, string, string, string[]][] = [
  // AG201: unbounded loops, at the target of the transition that closes the cycle.
  ['AG201', 'two-node loop', `  a: { kind: function, next: b }\n  b: { kind: router, routes: { done: END, again: a } }\n`, ['a | a,b']],
  ['AG201', 'self-loop', `  a: { kind: router, routes: { wait: a, done: END } }\n`, ['a | a']],
  ['AG201', 'guarded loop', `  a: { kind: function, next: b }\n  b: { kind: router, routes: { done: END, again: a }, max_visits: 3, on_exhausted: c }\n  c: { kind: human, next: END }\n`, []],
  ['AG201', 'guard elsewhere in the loop leaves an inner cycle', `  a: { kind: function, next: b }\n  b: { kind: router, routes: { back: a, on: c } }\n  c: { kind: router, routes: { done: END, again: a }, max_visits: 2, on_exhausted: d }\n  d: { kind: human, next: END }\n`, ['a | a,b']],
  ['AG201', 'a guard on any node of a simple cycle bounds it', `  a: { kind: function, next: b, max_visits: 3, on_exhausted: c }\n  b: { kind: router, routes: { done: END, again: a } }\n  c: { kind: human, next: END }\n`, []],
  ['AG201', 'loop through a failure edge (on_error back into the loop)', `  a: { kind: llm, model: m, max_output_tokens: 10, on_error: b, next: END }\n  b: { kind: function, next: a }\n`, ['a | a,b']],
  ['AG201', 'budget.steps bounds it (AG202 instead)', `  a: { kind: router, routes: { wait: a, done: END } }\n`, []],
  ['AG201', 'unreachable loop (AG003 instead)', `  a: { kind: function, next: END }\n  x: { kind: router, routes: { wait: x, done: END } }\n`, []],
  ['AG201', 'loop with no way out (AG204 instead)', `  a: { kind: function, next: b }\n  b: { kind: function, next: a }\n`, []],
  // AG202: same loops when budget.steps exists.
  ['AG202', 'loop bounded only by steps', `  a: { kind: function, next: b }\n  b: { kind: router, routes: { done: END, again: a } }\n`, ['a | a,b']],
  ['AG202', 'self-loop bounded only by steps', `  a: { kind: router, routes: { wait: a, done: END } }\n`, ['a | a']],
  ['AG202', 'guarded loop', `  a: { kind: function, next: b }\n  b: { kind: router, routes: { done: END, again: a }, max_visits: 3, on_exhausted: c }\n  c: { kind: human, next: END }\n`, []],
  // AG203: guard without on_exhausted, at the max_visits key; only inside loops.
  ['AG203', 'guard without on_exhausted', `  a: { kind: function, next: b }\n  b: { kind: router, routes: { done: END, again: a }, max_visits: 3 }\n`, ['max_visits | b']],
  ['AG203', 'guard outside any loop', `  a: { kind: function, next: END, max_visits: 1 }\n`, []],
  // AG204: loops that no transition leaves, at the loop's first node.
  ['AG204', 'closed two-node loop', `  a: { kind: function, next: b }\n  b: { kind: function, next: a }\n`, ['a | a,b']],
  ['AG204', 'closed self-loop after entry', `  a: { kind: function, next: b }\n  b: { kind: router, routes: { x: b, y: b } }\n`, ['b | b']],
  ['AG204', 'left only by on_exhausted', `  a: { kind: function, next: b }\n  b: { kind: function, next: a, max_visits: 2, on_exhausted: c }\n  c: { kind: human, next: END }\n`, []],
  ['AG204', 'left only by a failure (graph on_error)', `  a: { kind: tool, tool: t, next: b }\n  b: { kind: function, next: a }\n  c: { kind: human, next: END }\non_error: c\n`, []],
  ['AG204', 'left by a dangling target (AG002 instead)', `  a: { kind: function, next: b }\n  b: { kind: router, routes: { x: a, y: nowhere } }\n`, []],
  ['AG204', 'unreachable closed loop (AG003 instead)', `  a: { kind: function, next: END }\n  x: { kind: function, next: y }\n  y: { kind: function, next: x }\n`, []],
  // AG205: agent nodes without max_iterations, at the node id.
  ['AG205', 'agent without max_iterations', `  a: { kind: agent, model: m, max_output_tokens: 10, next: END }\n`, ['a | a']],
  ['AG205', 'agent with max_iterations', `  a: { kind: agent, model: m, max_output_tokens: 10, max_iterations: 5, next: END }\n`, []],
];

const top = 'models:\n  m: { input_usd_per_mtok: 1, output_usd_per_mtok: 1 }\ntools:\n  t: { effect: read, timeout_s: 1 }\n';
for (const [code, name, nodes, expected] of cases) {
  // AG202 cases, and AG201 cases that say so, run with budget.steps.
  const steps = code === 'AG202' || name.includes('budget.steps') ? 'budget: { steps: 10 }\n' : '';
  test(`${code}: ${name}`, () => assert.deepEqual(found(header(top + steps) + nodes, code), expected));
}

test('AG201: related information lists the cycle in order, and the guard suggestion is the closing node', () => {
  const text = header() + `  a: { kind: function, next: b }\n  b: { kind: function, next: c }\n  c: { kind: router, routes: { done: END, again: a } }\n`;
  const [d] = lintText(text).diagnostics.filter((x) => x.code === 'AG201');
  assert.deepEqual(d.related?.map((r) => text.slice(r.range.start, r.range.end)), ['a', 'b', 'c']);
  assert.equal(d.data?.guardNode, 'c');
  assert.match(d.message, /loop "a" -> "b" -> "c" -> "a" has no bound/);
});

test('AG201: an inherited on_error edge that closes the cycle is reported at the node, not in defaults', () => {
  const text = header('defaults: { on_error: a }\n') + `  a: { kind: router, routes: { go: b } }\n  b: { kind: tool, tool: t, timeout_s: 1, next: END }\ntools:\n  t: { effect: read }\n`;
  const ds = lintText(text).diagnostics.filter((x) => x.code === 'AG201');
  assert.deepEqual(ds.map((d) => text.slice(d.range.start, d.range.end)), ['b']);
});
