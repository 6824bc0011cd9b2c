// Table-style cases for AG002 (references), AG004 (dead ends) and the recovery rules AG101-AG104: each case is a
// small inline graph and the findings of the rules under test, as `CODE@node-or-text` (the text the range spans).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintText } from '../../support/lint.ts';

const UNDER_TEST = new Set(['AG002', 'AG004', 'AG101', 'AG102', 'AG103', 'AG104']);

/** A graph with the given nodes (YAML, indented by 2) and optional top-level lines. */
function graph(nodes: string, top = ''): string {
  return `agentgraph: 1\nname: t\n${top}entry: a\nnodes:\n${nodes}`;
}

function findings(text: string): string[] {
  const a = lintText(text);
  return a.diagnostics
    .filter((d) => UNDER_TEST.has(d.code) && !d.suppressed)
    .map((d) => `${d.code}@${a.text.slice(d.range.start, d.range.end)}`);
}

const M = 'models:\n  m: { provider: openai, model: x }\n';
const RETRY = 'defaults:\n  retry: { attempts: 3 }\n';

const cases: { name: string; text: string; expect: string[] }[] = [
  // AG002
  { name: 'dangling next is AG002 on the target, not a dead end', text: graph('  a: { kind: function, next: b }\n'), expect: ['AG002@b'] },
  { name: 'route typo', text: graph('  a: { kind: router, routes: { x: bb, y: END } }\n  b: { kind: function, next: END }\n'), expect: ['AG002@bb'] },
  { name: 'entry that is not a node', text: graph('  b: { kind: function, next: END }\n').replace('entry: a', 'entry: END'), expect: ['AG002@END'] },
  { name: 'defaults.on_error reported once for all inheritors', text: graph(`  a: { kind: llm, model: m, next: b }\n  b: { kind: llm, model: m, next: END }\n`, `${M}defaults:\n  retry: { attempts: 3 }\n  on_error: nope\n`), expect: ['AG002@nope'] },
  { name: 'graph on_error END is a valid target', text: graph('  a: { kind: llm, model: m, next: END }\n', `${M}${RETRY}on_error: END\n`), expect: [] },
  { name: 'model checked only on kinds that call one', text: graph('  a: { kind: llm, model: mm, fallback_models: [m, zz], next: END }\n', `${M}${RETRY}on_error: END\n`), expect: ['AG002@mm', 'AG002@zz'] },
  { name: 'state keys unchecked without a state section', text: graph('  a: { kind: function, reads: [x], writes: [y], next: END }\n'), expect: [] },
  { name: 'state keys checked with a state section, optional reads too', text: graph('  a: { kind: function, reads: [x, "w?"], writes: [y], next: END }\n', 'state:\n  x: { type: string, input: true }\n'), expect: ['AG002@"w?"', 'AG002@y'] },
  { name: 'policy tool', text: graph('  a: { kind: function, next: END }\n', 'tools:\n  t: { effect: read }\npolicies:\n  - { id: p, tools: [tt], require: approval }\n'), expect: ['AG002@{ id: p, tools: [tt], require: approval }'] },
  { name: 'subgraph file that does not exist', text: graph('  a: { kind: subgraph, graph: nowhere.agentgraph.yaml, retry: none, on_error: b, next: END }\n  b: { kind: function, next: END }\n'), expect: ['AG002@nowhere.agentgraph.yaml'] },
  { name: 'subgraph of itself is a cycle', text: graph('  a: { kind: subgraph, graph: inline.agentgraph.yaml, retry: none, on_error: b, next: END }\n  b: { kind: function, next: END }\n'), expect: ['AG002@inline.agentgraph.yaml'] },
  // AG004
  { name: 'node without next is a dead end', text: graph('  a: { kind: function, next: b }\n  b: { kind: function }\n'), expect: ['AG004@b'] },
  { name: 'on_error alone is no way on', text: graph('  a: { kind: function, on_error: b }\n  b: { kind: function, next: END }\n'), expect: ['AG004@a'] },
  { name: 'only the root cause of a chain is reported', text: graph('  a: { kind: function, next: b }\n  b: { kind: function, next: c }\n  c: { kind: function }\n'), expect: ['AG004@c'] },
  { name: 'closed loop is AG204, not AG004', text: graph('  a: { kind: function, next: b }\n  b: { kind: function, next: a }\n'), expect: [] },
  { name: 'unreachable dead end is AG003 only', text: graph('  a: { kind: function, next: END }\n  b: { kind: function }\n'), expect: [] },
  // AG101
  { name: 'failing node without on_error', text: graph('  a: { kind: llm, model: m, next: END }\n', `${M}${RETRY}`), expect: ['AG101@a'] },
  { name: 'router cannot fail', text: graph('  a: { kind: router, routes: { x: END } }\n'), expect: [] },
  { name: 'graph on_error target with retry is the accepted last resort', text: graph('  a: { kind: llm, model: m, next: END }\n  b: { kind: handoff, to: q, passes: [], next: END }\n', `${M}${RETRY}on_error: b\n`), expect: [] },
  { name: 'defaults.on_error target falls back to the graph on_error', text: graph('  a: { kind: llm, model: m, next: END }\n  b: { kind: llm, model: m, next: END }\n  c: { kind: human, next: END }\n', `${M}defaults:\n  retry: { attempts: 3 }\n  on_error: b\non_error: c\n`), expect: [] },
  // AG102
  { name: 'no retry anywhere', text: graph('  a: { kind: tool, tool: t, on_error: b, next: END }\n  b: { kind: function, next: END }\n', 'tools:\n  t: { effect: read }\n'), expect: ['AG102@a'] },
  { name: 'retry: none is a decision', text: graph('  a: { kind: tool, tool: t, retry: none, on_error: b, next: END }\n  b: { kind: function, next: END }\n', 'tools:\n  t: { effect: read }\n'), expect: [] },
  { name: 'attempts 1 on the node', text: graph('  a: { kind: tool, tool: t, retry: { attempts: 1 }, on_error: b, next: END }\n  b: { kind: function, next: END }\n', 'tools:\n  t: { effect: read }\n'), expect: ['AG102@retry'] },
  { name: 'handoff is not a calling kind for AG102', text: graph('  a: { kind: handoff, to: q, passes: [], on_error: b, next: END }\n  b: { kind: function, next: END }\n'), expect: [] },
  // AG103
  { name: 'write tool inherits retry', text: graph('  a: { kind: tool, tool: w, on_error: b, next: END }\n  b: { kind: function, next: END }\n', `tools:\n  w: { effect: write }\n${RETRY}`), expect: ['AG103@a'] },
  { name: 'own retry on a write is reported at the retry key', text: graph('  a: { kind: tool, tool: w, retry: { attempts: 2 }, on_error: b, next: END }\n  b: { kind: function, next: END }\n', 'tools:\n  w: { effect: write }\n'), expect: ['AG103@retry'] },
  { name: 'idempotent write may retry', text: graph('  a: { kind: tool, tool: w, on_error: b, next: END }\n  b: { kind: function, next: END }\n', `tools:\n  w: { effect: write, idempotent: true }\n${RETRY}`), expect: [] },
  { name: 'agent with a write tool', text: graph('  a: { kind: agent, model: m, tools: [w], max_iterations: 3, on_error: b, next: END }\n  b: { kind: function, next: END }\n', `${M}tools:\n  w: { effect: write }\n${RETRY}`), expect: ['AG103@a'] },
  // AG104
  { name: 'graph on_error target without retry (AG104, not AG101)', text: graph('  a: { kind: llm, model: m, next: END }\n  b: { kind: llm, model: m, retry: none, next: END }\n', `${M}${RETRY}on_error: b\n`), expect: ['AG104@b'] },
  { name: 'recovery target with nothing behind it (AG104, not AG101)', text: graph('  a: { kind: llm, model: m, on_error: b, next: END }\n  b: { kind: llm, model: m, retry: none, next: END }\n', `${M}${RETRY}`), expect: ['AG104@b'] },
  { name: 'recovery target with retry but no on_error is plain AG101', text: graph('  a: { kind: llm, model: m, on_error: b, next: END }\n  b: { kind: llm, model: m, next: END }\n', `${M}${RETRY}`), expect: ['AG101@b'] },
  { name: 'on_error to itself without max_visits', text: graph('  a: { kind: llm, model: m, on_error: a, next: END }\n', `${M}${RETRY}`), expect: ['AG104@a'] },
  { name: 'on_error to itself with max_visits', text: graph('  a: { kind: llm, model: m, on_error: a, max_visits: 3, on_exhausted: END, next: END }\n', `${M}${RETRY}`), expect: [] },
  { name: 'inherited on_error back to the entry is reported on the node', text: graph('  a: { kind: router, routes: { x: b } }\n  b: { kind: llm, model: m, next: END }\n', `${M}defaults:\n  retry: { attempts: 3 }\n  on_error: a\n`), expect: ['AG104@b'] },
];

for (const c of cases) {
  test(c.name, () => assert.deepEqual(findings(c.text).sort(), [...c.expect].sort()));
}

test('the subgraph cycle message names the chain of files', () => {
  const text = graph('  a: { kind: subgraph, graph: inline.agentgraph.yaml, retry: none, on_error: b, next: END }\n  b: { kind: function, next: END }\n');
  const d = lintText(text).diagnostics.find((x) => x.code === 'AG002')!;
  assert.match(d.message, /inline\.agentgraph\.yaml -> inline\.agentgraph\.yaml\): a run would recurse forever/);
});

test('AG104 puts the cycle in related information and the recovery edge in data', () => {
  const text = graph('  a: { kind: llm, model: m, next: b }\n  b: { kind: llm, model: m, on_error: a, routes: { ok: END } }\n', `${M}${RETRY}on_error: END\n`);
  const d = lintText(text).diagnostics.find((x) => x.code === 'AG104')!;
  assert.deepEqual(d.data, { node: 'b', recoveryTarget: 'a', loop: ['a', 'b'] });
  assert.equal(d.related?.length, 2);
});
