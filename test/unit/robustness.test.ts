// Bad input never crashes and never hangs: each case gets a clear AG001 at a place, or a bounded analysis.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintText } from '../support/lint.ts';
import { generateGraph } from '../../bench/generate.ts';

const first = (text: string) => lintText(text).diagnostics[0];

test('a YAML syntax error is AG001 at its place', () => {
  const d = first('agentgraph: 1\nname: x\nentry: a\nnodes:\n  a: { kind: llm, next: END\n');
  assert.equal(d.code, 'AG001');
  assert.match(d.message, /^syntax error: /);
});

test('a wrong type is AG001 at the value', () => {
  const text = 'agentgraph: 1\nname: x\nentry: a\nnodes:\n  a: { kind: function, max_visits: many, next: END }\n';
  const d = lintText(text).diagnostics.find((x) => x.code === 'AG001')!;
  assert.equal(text.slice(d.range.start, d.range.end), 'many');
});

test('JSON goes through the same path, with ranges', () => {
  const text = JSON.stringify({ agentgraph: 1, name: 'x', entry: 'a', nodes: { a: { kind: 'function', next: 'END', colour: 'red' } } }, null, 2);
  const d = lintText(text, 'test/fixtures/inline.agentgraph.json').diagnostics.find((x) => x.code === 'AG001')!;
  assert.equal(text.slice(d.range.start, d.range.end), '"colour"');
});

test('a 10 MB file is refused at once with its size', () => {
  const start = performance.now();
  const d = first('x: ' + 'a'.repeat(10 * 1024 * 1024));
  assert.match(d.message, /10\.0 MB/);
  assert.ok(performance.now() - start < 1000);
});

test('a binary file is refused', () => {
  assert.match(first('\u0000\u0001\u0002PNG\u0000' + 'x'.repeat(100)).message, /binary/);
});

test('an empty file, a list, a scalar and many documents get AG001, not a crash', () => {
  for (const text of ['', '- a\n- b\n', 'hello', 'a: 1\n---\nb: 2\n', '{', '\t\t', 'a: *nope']) {
    const ds = lintText(text).diagnostics;
    assert.ok(ds.length > 0 && ds[0].code === 'AG001', `no AG001 for ${JSON.stringify(text)}`);
  }
});

test('an alias bomb is bounded', () => {
  const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 12; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [*${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}, *${String.fromCharCode(96 + i)}]`);
  const start = performance.now();
  const ds = lintText(lines.join('\n')).diagnostics;
  assert.equal(ds[0].code, 'AG001');
  assert.ok(performance.now() - start < 2000);
});

test('a 5,000-node graph is analysed in bounded time', () => {
  const text = generateGraph({ nodes: 5000 });
  const start = performance.now();
  const a = lintText(text);
  const ms = performance.now() - start;
  assert.ok(a.graph && a.graph.nodes.size === 5000, 'all nodes read');
  assert.ok(ms < 15_000, `took ${ms.toFixed(0)} ms`);
});
