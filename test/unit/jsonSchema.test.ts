// The generated JSON Schema (schema/agentgraph.schema.json, what VS Code's YAML and JSON support validate graph
// files with) judged by a real JSON Schema validator, Ajv (draft-07, as the schema declares), against our own
// validation (the zod schema the YAML frontend uses): every agent graph file of the repository and every YAML
// example of the docs gets the same verdict from both, overlays (`source:`, no `entry` or `nodes`) included;
// and the documents each form must reject are rejected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parseDocument } from 'yaml';
import { agentGraphJsonSchema } from '../../server/src/frontends/yaml/jsonSchema.ts';
import { agentGraphSchema, isOverlayDocument, overlaySchema } from '../../server/src/frontends/yaml/schema.ts';

const schema = agentGraphJsonSchema();
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

/** What the frontend's own validation says of a parsed document. */
const zodAccepts = (value: unknown) => (isOverlayDocument(value) ? overlaySchema : agentGraphSchema).safeParse(value).success;

function files(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (!e.name.startsWith('.') && e.name !== 'node_modules') files(p, out);
    } else if (/\.agentgraph\.(ya?ml|json)$/.test(e.name)) out.push(p);
  }
  return out;
}

/** The documents to judge: graph files, and the ```yaml blocks of the docs that are graph documents. */
function documents(): { where: string; value: unknown }[] {
  const out: { where: string; value: unknown }[] = [];
  for (const f of [...files('examples'), ...files('test/fixtures')].sort()) {
    const doc = parseDocument(readFileSync(f, 'utf8'), { uniqueKeys: true, logLevel: 'silent' });
    if (doc.errors.length === 0) out.push({ where: f, value: doc.toJS({ maxAliasCount: 1000 }) });
  }
  for (const d of ['docs', 'docs/rules']) {
    for (const name of readdirSync(d).filter((n) => n.endsWith('.md')).sort()) {
      const text = readFileSync(join(d, name), 'utf8');
      let i = 0;
      for (const [, body] of text.matchAll(/```ya?ml[^\n]*\n([\s\S]*?)```/g)) {
        i++;
        if (!/^agentgraph:/m.test(body)) continue;
        const doc = parseDocument(body, { uniqueKeys: true, logLevel: 'silent' });
        if (doc.errors.length === 0) out.push({ where: `${d}/${name} block ${i}`, value: doc.toJS({ maxAliasCount: 1000 }) });
      }
    }
  }
  return out;
}

test('the schema on disk is the one generated from the zod schema', () => {
  assert.deepEqual(JSON.parse(readFileSync('schema/agentgraph.schema.json', 'utf8')), schema);
});

test('every graph file and doc example gets the same verdict from the JSON Schema (Ajv) as from our own validation', () => {
  const docs = documents();
  const differ: string[] = [];
  const seen = { overlay: 0, graph: 0, valid: { overlay: 0, graph: 0 } };
  for (const { where, value } of docs) {
    const form = isOverlayDocument(value) ? 'overlay' : 'graph';
    const ours = zodAccepts(value);
    const theirs = validate(value);
    seen[form]++;
    if (ours) seen.valid[form]++;
    if (ours !== theirs) differ.push(`${where} (${form}): ours ${ours ? 'valid' : 'invalid'}, JSON Schema ${theirs ? 'valid' : `invalid: ${JSON.stringify(validate.errors?.slice(0, 3))}`}`);
  }
  assert.deepEqual(differ, []);
  // Both forms are there, valid and not: examples/langgraph/graph.agentgraph.yaml is a valid overlay, and the
  // overlay fixture declares a transition (AG001).
  assert.ok(seen.valid.overlay >= 2 && seen.overlay > seen.valid.overlay, JSON.stringify(seen));
  assert.ok(seen.valid.graph >= 20 && seen.graph > seen.valid.graph, JSON.stringify(seen));
  for (const f of ['examples/langgraph/graph.agentgraph.yaml', 'examples/research-agent.agentgraph.yaml', 'examples/support-triage.agentgraph.yaml', 'examples/handoff/kyc.agentgraph.yaml', 'examples/handoff/onboarding.agentgraph.yaml']) {
    const d = docs.find((x) => x.where === f);
    assert.ok(d && validate(d.value), `${f} is valid: ${JSON.stringify(validate.errors)}`);
  }
});

test('the JSON Schema rejects what each form must not have', () => {
  const overlay = { agentgraph: 1, name: 'writer', source: { file: './writer.py' }, budget: { usd: 0.5 } };
  const graph = { agentgraph: 1, name: 'writer', entry: 'write', nodes: { write: { kind: 'function', next: 'END' } } };
  assert.ok(validate(overlay), JSON.stringify(validate.errors));
  assert.ok(validate({ ...overlay, entry: 'write', nodes: { write: { input_tokens: 2000, retry: 'none' } } }), JSON.stringify(validate.errors));
  assert.ok(validate(graph), JSON.stringify(validate.errors));
  const invalid: [string, unknown][] = [
    ['a graph without entry', { ...graph, entry: undefined }],
    ['a graph without nodes', { agentgraph: 1, name: 'writer', entry: 'write' }],
    ['a graph with an unknown key', { ...graph, budgets: {} }],
    ['an overlay without name', { agentgraph: 1, source: { file: './writer.py' } }],
    ['an overlay whose source has no file', { ...overlay, source: { graph: 'builder' } }],
    ['an overlay whose source is a string', { ...overlay, source: './writer.py' }],
    ['an overlay with a transition on a node', { ...overlay, nodes: { write: { next: 'END' } } }],
    ['an overlay with a node kind', { ...overlay, nodes: { write: { kind: 'llm', model: 'm' } } }],
    ['an overlay with graph-level on_error', { ...overlay, on_error: 'fallback' }],
    ['an overlay with defaults.on_error', { ...overlay, defaults: { on_error: 'fallback' } }],
    ['an overlay with an unknown key', { ...overlay, budgets: {} }],
    ['an overlay of another format version', { ...overlay, agentgraph: 2 }],
    ['not a map', ['agentgraph', 1]],
  ];
  for (const [what, value] of invalid) {
    const clean = JSON.parse(JSON.stringify(value));
    assert.equal(zodAccepts(clean), false, `our own validation rejects ${what}`);
    assert.equal(validate(clean), false, `the JSON Schema rejects ${what}`);
  }
});
