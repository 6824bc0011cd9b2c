// Completion and hover in an overlay (`source:`): the keys offered and documented are the overlay form's
// (generated from `overlaySchema`), never the graph form's `kind`, transitions or recovery targets; node ids under
// `nodes:` are the code graph's. The graph form is checked alongside, unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { complete, type CompletionEntry } from '../../../server/src/features/completion.ts';
import { hoverAt } from '../../../server/src/features/hover.ts';
import { formOf } from '../../../server/src/features/schemaDocs.ts';
import { overlayNodeSchema, overlaySchema, sourceSchema } from '../../../server/src/frontends/yaml/schema.ts';
import { Workspace } from '../../../server/src/analysis/workspace.ts';
import { diskHost } from '../../../server/src/node/diskHost.ts';
import { pathToUri } from '../../../server/src/core/uris.ts';

const OVERLAY = `agentgraph: 1
name: writer
source:
  file: ./writer.py
  graph: builder
budget: { usd: 0.01 }
nodes:
  write:
    input_tokens: 2000
`;
const GRAPH = `agentgraph: 1
name: g
entry: a
nodes:
  a:
    kind: function
    next: END
`;

/** Completes at the `|` of `text`. */
function at(text: string, graph?: Parameters<typeof complete>[0]['graph']): CompletionEntry[] {
  const offset = text.indexOf('|');
  assert.ok(offset >= 0, 'no | in the case');
  return complete({ text: text.slice(0, offset) + text.slice(offset + 1), offset, graph });
}
/** Hovers at the `|` of `text` (the character after it). */
function hover(text: string): string | undefined {
  const offset = text.indexOf('|');
  assert.ok(offset >= 0, 'no | in the case');
  return hoverAt({ text: text.slice(0, offset) + text.slice(offset + 1) }, offset)?.markdown;
}
const labels = (xs: CompletionEntry[]) => xs.map((x) => x.label).sort();
const keysOf = (shape: object) => Object.keys(shape).sort();

test('an overlay\'s top-level keys are the overlay form\'s: source, and no on_error, entry or graph-only key', () => {
  const names = labels(at(OVERLAY + '|'));
  const expected = keysOf(overlaySchema.shape).filter((k) => !['agentgraph', 'name', 'source', 'budget', 'nodes', 'entry'].includes(k));
  assert.deepEqual(names, expected);
  assert.ok(names.includes('defaults') && !names.includes('on_error'), names.join(' '));
  // A document without `source` is a graph: `source` is not one of its keys.
  const graphNames = labels(at(GRAPH + '|'));
  assert.ok(graphNames.includes('on_error') && !graphNames.includes('source'), graphNames.join(' '));
});

test('an overlay node\'s keys are the overlay node fields: no kind, next, routes, on_error, max_visits', () => {
  const names = labels(at(OVERLAY.replace('    input_tokens: 2000\n', '    input_tokens: 2000\n    |\n')));
  assert.deepEqual(names, keysOf(overlayNodeSchema.shape).filter((k) => k !== 'input_tokens'));
  for (const k of ['kind', 'next', 'routes', 'on_error', 'on_exhausted', 'max_visits', 'tools', 'graph', 'to']) assert.ok(!names.includes(k), k);
  // The graph form's node keys are unchanged.
  const graphNames = labels(at(GRAPH.replace('    next: END\n', '    next: END\n    |\n')));
  assert.ok(graphNames.includes('on_error') && graphNames.includes('max_visits'), graphNames.join(' '));
});

test('under source: its file and graph; defaults without on_error; no kind values in an overlay node', () => {
  assert.deepEqual(labels(at(OVERLAY.replace('  graph: builder\n', '  |\n'))), keysOf(sourceSchema.shape).filter((k) => k !== 'file'));
  const defaults = labels(at(OVERLAY.replace('budget:', 'defaults:\n  |\nbudget:')));
  assert.deepEqual(defaults, ['retry', 'timeout_s']);
  assert.deepEqual(labels(at(OVERLAY.replace('    input_tokens: 2000\n', '    kind: |\n'))), [], 'an overlay node has no kind');
  assert.ok(labels(at(GRAPH.replace('kind: function', 'kind: |'))).includes('llm'), 'a graph node has');
});

test('under an overlay\'s nodes: the code graph\'s node ids, and no snippets of new nodes while the code is unknown', () => {
  // Without the code graph (not read yet, or its file missing), no snippet of a node with kind and transitions.
  assert.deepEqual(labels(at(OVERLAY + '  |')), []);
  // With the overlay's analysis: the code's nodes not refined yet, whose keys are the overlay's.
  const uri = pathToUri(resolve('test/fixtures/overlay/writer.agentgraph.yaml'));
  const a = new Workspace(diskHost).analyze(uri);
  assert.ok(a.graph?.source, 'the overlay analysis holds the merged code graph');
  const items = at(OVERLAY + '  |', a.graph);
  assert.deepEqual(labels(items), ['critique']);
  assert.deepEqual(items.map((i) => i.kind), ['node']);
  const inNode = labels(at(OVERLAY.replace('    input_tokens: 2000\n', '    |\n'), a.graph));
  assert.deepEqual(inNode, keysOf(overlayNodeSchema.shape), 'the merged node\'s code fields are not taken for keys written here');
});

test('hover in an overlay documents the overlay form: source, its file and graph, its nodes and defaults', () => {
  assert.match(hover(OVERLAY.replace('source:', '|source:'))!, /^\*\*source\*\*: map \(required\)\n\nThe code the graph is read from/);
  assert.match(hover(OVERLAY.replace('  file:', '  fi|le:'))!, /^\*\*file\*\*: string \(required\)\n\nThe LangGraph source file/);
  assert.match(hover(OVERLAY.replace('  graph:', '  |graph:'))!, /^\*\*graph\*\*: string\n\nThe graph in it/);
  assert.match(hover(OVERLAY.replace('nodes:', '|nodes:'))!, /Refinements of nodes that the code defines/);
  assert.match(hover(OVERLAY.replace('budget:', 'defaults: {}\nbudget:').replace('defaults:', '|defaults:'))!, /retry and timeout_s for every node/);
  assert.equal(hover(OVERLAY.replace('    input_tokens: 2000\n', '    |next: END\n')), undefined, 'no transitions in an overlay');
  assert.match(hover(OVERLAY.replace('    input_tokens', '    |input_tokens'))!, /Estimated input tokens per call/);
  // The graph form's own docs are unchanged.
  assert.match(hover(GRAPH.replace('nodes:', '|nodes:'))!, /The nodes: a map from node id to node/);
});

test('the form of a document: YAML or JSON, with source at the top level only', () => {
  assert.equal(formOf(OVERLAY), 'overlay');
  assert.equal(formOf(GRAPH), 'graph');
  assert.equal(formOf(GRAPH.replace('  a:\n', '  source:\n')), 'graph', 'a node named source');
  assert.equal(formOf('{ "source": { "file": "./g.py" }, "nodes": {} }'), 'overlay');
  assert.equal(formOf('{\n  "source": { "file": "./g.py" },\n  "nodes": {\n    "'), 'overlay', 'JSON broken at the cursor');
  assert.equal(formOf('{ "entry": "a", "nodes": { "source": {} } }'), 'graph');
  assert.equal(formOf('{ "entry": "a", "nodes": { "', { source: {} }), 'overlay', 'JSON that does not parse: the last graph decides');
});
