// Disable comments: which findings they cover, and that the reason travels with the finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintText } from '../support/lint.ts';

const GRAPH = (directive: string) => `agentgraph: 1
name: looping
entry: a
nodes:
${directive}
  a: { kind: function, routes: { again: a, done: END } }
`;

const ag201 = (text: string) => lintText(text).diagnostics.find((d) => d.code === 'AG201');

test('next-line with a code suppresses that code on the next line and keeps the reason', () => {
  const d = ag201(GRAPH('  # agentgraph-disable-next-line AG201 -- bounded by the orchestrator'));
  assert.deepEqual(d?.suppressed, { reason: 'bounded by the orchestrator' });
});

test('comment lines between the directive and the line are skipped', () => {
  assert.ok(ag201(GRAPH('  # agentgraph-disable-next-line AG201\n  # (more context)'))?.suppressed);
});

test('another code does not suppress it; no code suppresses everything on the line', () => {
  assert.equal(ag201(GRAPH('  # agentgraph-disable-next-line AG101'))?.suppressed, undefined);
  assert.ok(ag201(GRAPH('  # agentgraph-disable-next-line -- all of it'))?.suppressed);
});

test('a misspelt code suppresses nothing rather than everything', () => {
  assert.equal(ag201(GRAPH('  # agentgraph-disable-next-line AG20 -- typo'))?.suppressed, undefined);
});

test('disable-file covers the whole file', () => {
  const text = '# agentgraph-disable-file AG201, AG301 -- prototype\n' + GRAPH('');
  const found = lintText(text).diagnostics;
  assert.ok(found.find((d) => d.code === 'AG201')?.suppressed);
  assert.ok(found.find((d) => d.code === 'AG301')?.suppressed);
  assert.equal(found.find((d) => d.code === 'AG601')?.suppressed, undefined);
});
