// What the `yaml` library warns about is a finding at its place, never console output: a key that is a list or a
// map (`? [a, b]`, which the library would stringify with a process warning), and the document's own warnings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAgentGraph } from '../../server/src/frontends/yaml/frontend.ts';

const COMPLEX_KEY = `agentgraph: 1
name: x
entry: a
nodes:
  a: { kind: function, next: END }
  ? [a, b]
  : { kind: function, next: END }
`;

async function warningsDuring(fn: () => void): Promise<string[]> {
  const seen: string[] = [];
  const onWarning = (w: Error) => seen.push(w.message);
  const write = process.stderr.write;
  process.on('warning', onWarning);
  process.stderr.write = ((s: string | Uint8Array) => (seen.push(String(s)), true)) as typeof process.stderr.write;
  try {
    fn();
    // process.emitWarning is delivered on a later tick.
    await new Promise((r) => setImmediate(r));
  } finally {
    process.stderr.write = write;
    process.off('warning', onWarning);
  }
  return seen;
}

test('a collection key is an AG001 error on the key, and nothing is written to the console', async () => {
  let diagnostics: ReturnType<typeof parseAgentGraph>['diagnostics'] = [];
  const seen = await warningsDuring(() => (diagnostics = parseAgentGraph(COMPLEX_KEY, 'file:///x.agentgraph.yaml').diagnostics));
  assert.deepEqual(seen, []);
  const d = diagnostics.find((x) => x.code === 'AG001');
  assert.ok(d, JSON.stringify(diagnostics));
  assert.equal(d.severity, 'error');
  assert.equal(COMPLEX_KEY.slice(d.range.start, d.range.end), '[a, b]');
  assert.match(d.message, /a key must be a name, not a list \(\[a, b\]\)/);
  const map = parseAgentGraph(COMPLEX_KEY.replace('? [a, b]', '? { a: 1 }'), 'file:///x.agentgraph.yaml').diagnostics;
  assert.ok(map.some((x) => x.code === 'AG001' && /not a map/.test(x.message)));
});

test('the document\'s own warnings (an unknown tag) are AG001 warnings at their place', () => {
  const text = 'agentgraph: 1\nname: !foo x\nentry: a\nnodes:\n  a: { kind: function, next: END }\n';
  const d = parseAgentGraph(text, 'file:///x.agentgraph.yaml').diagnostics.find((x) => x.code === 'AG001');
  assert.ok(d);
  assert.equal(d.severity, 'warning');
  assert.equal(text.slice(d.range.start, d.range.end), '!foo');
  assert.match(d.message, /unresolved tag: !foo/);
});
