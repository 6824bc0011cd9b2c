// GraphQueries.guaranteed() and pathWithout() against FORMAT.md: a failed node writes nothing, keys with
// `input: true` are written before entry, and the two queries agree (a key is guaranteed at a node exactly when
// no path reaches it without the key).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAgentGraph } from '../../server/src/frontends/yaml/frontend.ts';
import { GraphQueries } from '../../server/src/core/queries.ts';

function queries(text: string): GraphQueries {
  const graph = parseAgentGraph(text, 'file:///q.agentgraph.yaml').graph;
  assert.ok(graph);
  return new GraphQueries(graph);
}
const sorted = (s: ReadonlySet<string> | undefined) => [...(s ?? [])].sort();

test('inputs are guaranteed at entry, and no path misses them', () => {
  const q = queries(`agentgraph: 1\nname: t\nstate:\n  ticket: { type: string, input: true }\n  note: string\nentry: a\nnodes:\n  a: { kind: function, writes: [note], next: b }\n  b: { kind: function, next: END }\n`);
  assert.deepEqual(sorted(q.guaranteed().get('a')), ['ticket']);
  assert.deepEqual(sorted(q.guaranteed().get('b')), ['note', 'ticket']);
  assert.equal(q.pathWithout('ticket', 'b'), undefined);
  assert.deepEqual(q.pathWithout('note', 'a'), ['a']);
});

test('a failed node writes nothing: its recovery target does not get its writes', () => {
  const q = queries(`agentgraph: 1\nname: t\nentry: a\non_error: h\nnodes:\n  a: { kind: tool, tool: x, writes: [order], next: b }\n  b: { kind: function, next: h }\n  h: { kind: function, next: END }\n`);
  assert.deepEqual(sorted(q.guaranteed().get('b')), ['order']);
  assert.deepEqual(sorted(q.guaranteed().get('h')), []);
  assert.deepEqual(q.pathWithout('order', 'h'), ['a', 'h']);
  assert.equal(q.pathWithout('order', 'b'), undefined);
});

test('a tripped loop guard writes nothing', () => {
  const q = queries(`agentgraph: 1\nname: t\nentry: a\nnodes:\n  a: { kind: function, writes: [k], routes: { again: a, done: b }, max_visits: 2, on_exhausted: b }\n  b: { kind: function, next: END }\n`);
  assert.deepEqual(sorted(q.guaranteed().get('b')), []);
  assert.deepEqual(q.pathWithout('k', 'b'), ['a', 'b']);
});

test('a loop back to entry adds nothing to what entry is guaranteed', () => {
  const q = queries(`agentgraph: 1\nname: t\nentry: a\nnodes:\n  a: { kind: function, next: b }\n  b: { kind: function, writes: [k], routes: { again: a, done: END }, max_visits: 2, on_exhausted: END }\n`);
  assert.deepEqual(sorted(q.guaranteed().get('a')), []);
  assert.deepEqual(q.pathWithout('k', 'a'), ['a']);
});

test('guaranteed() terminates and is right with a guaranteed key in bit 31 of a word, in a loop', () => {
  // Bitwise results are signed: before the fix, a word with bit 31 set never compared equal and a loop not
  // through entry was re-queued forever.
  const keys = Array.from({ length: 32 }, (_, i) => `  k${i}: { type: string${i === 31 ? ', input: true' : ''} }`).join('\n');
  const q = queries(`agentgraph: 1\nname: t\nstate:\n${keys}\nentry: s\nnodes:\n  s: { kind: function, next: a }\n  a: { kind: function, writes: [k0], next: b }\n  b: { kind: function, routes: { again: a, done: END }, max_visits: 3, on_exhausted: END }\n`);
  assert.deepEqual(sorted(q.guaranteed().get('a')), ['k31']);
  assert.deepEqual(sorted(q.guaranteed().get('b')), ['k0', 'k31']);
});

test('guaranteed() and pathWithout() agree on every fixture graph', () => {
  const dirs = ['test/fixtures/ok', ...readdirSync('test/fixtures/rules').map((d) => join('test/fixtures/rules', d))];
  for (const dir of dirs) {
    for (const f of readdirSync(dir).filter((x) => /\.agentgraph\.ya?ml$/.test(x))) {
      const graph = parseAgentGraph(readFileSync(join(dir, f), 'utf8'), 'file:///x.agentgraph.yaml').graph;
      if (!graph) continue;
      const q = new GraphQueries(graph);
      const keys = new Set([...graph.state.keys(), ...[...graph.nodes.values()].flatMap((n) => [...n.writes.map((w) => w.value), ...n.reads.map((r) => r.key)])]);
      for (const [id, set] of q.guaranteed()) {
        for (const k of keys) assert.equal(set.has(k), q.pathWithout(k, id) === undefined, `${dir}/${f}: "${k}" at "${id}"`);
      }
    }
  }
});
