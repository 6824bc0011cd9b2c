// The bundled language server over its protocol: spawned on stdio as an editor would, documents opened,
// edited and closed, and the diagnostics it publishes checked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspTestClient } from '../support/lspClient.ts';

let client: LspTestClient;
let dir: string;
const uriOf = (name: string) => pathToFileURL(join(dir, name)).toString();

const BROKEN = `agentgraph: 1
name: research
entry: plan
nodes:
  plan:
    kind: llm
    model: smart
    max_output_tokens: 500
    next: search
  search:
    kind: tool
    tool: web
    routes: { more: plan, done: END }
models:
  smart: { input_usd_per_mtok: 3, output_usd_per_mtok: 15 }
tools:
  web: { effect: read, timeout_s: 10, rate_limit: 5/s }
`;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'agentgraph-lsp-'));
  client = new LspTestClient(dir);
  const init = (await client.initialize(pathToFileURL(dir).toString())) as { capabilities: { textDocumentSync: unknown }; serverInfo: { name: string } };
  assert.equal(init.serverInfo.name, 'agentgraph');
});

after(async () => {
  await client.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

test('publishes diagnostics with code, source, doc link and the loop as related information', async () => {
  const uri = uriOf('research.agentgraph.yaml');
  const published = client.next(uri);
  await client.open(uri, BROKEN);
  const { diagnostics } = await published;
  const loop = diagnostics.find((d) => d.code === 'AG201');
  assert.ok(loop, `expected AG201 among ${diagnostics.map((d) => d.code).join(', ')}`);
  assert.equal(loop.source, 'agentgraph');
  assert.equal(loop.severity, 1);
  // The rule's page installed with AgentGraph, opened offline: a file that exists, not a web address.
  assert.match(loop.codeDescription!.href, /^file:\/\/.*\/docs\/rules\/AG201\.md$/);
  assert.match(readFileSync(new URL(loop.codeDescription!.href), 'utf8'), /^# AG201/);
  const related = (loop.relatedInformation ?? []).map((r) => r.message).join(' | ');
  assert.match(related, /plan/);
  assert.match(related, /search/);
});

test('an edit that fixes a defect makes its diagnostic disappear; the version is echoed', async () => {
  const uri = uriOf('research.agentgraph.yaml');
  // Bound the loop: add max_visits and on_exhausted to "plan" (insert after line 8, "max_output_tokens: 500").
  const published = client.next(uri, (p) => p.version === 2);
  await client.change(uri, 2, [{ range: { start: { line: 8, character: 0 }, end: { line: 8, character: 0 } }, text: '    max_visits: 4\n    on_exhausted: END\n' }]);
  const { diagnostics } = await published;
  assert.deepEqual(diagnostics.filter((d) => d.code === 'AG201'), []);
});

test('bad input gets AG001 at the place and the server stays up for the next edit', async () => {
  const uri = uriOf('bad.agentgraph.yaml');
  let published = client.next(uri);
  await client.open(uri, 'agentgraph: 1\nname: x\nnodes: [unclosed\n');
  let { diagnostics } = await published;
  assert.equal(diagnostics[0].code, 'AG001');
  assert.match(diagnostics[0].message, /syntax error/);

  published = client.next(uri, (p) => p.version === 2);
  await client.change(uri, 2, [{ text: 'agentgraph: 1\u0000\u0001\u0002binary' }]);
  ({ diagnostics } = await published);
  assert.match(diagnostics[0].message, /binary/);

  published = client.next(uri, (p) => p.version === 3);
  await client.change(uri, 3, [{ text: 'x: ' + 'a'.repeat(10 * 1024 * 1024) }]);
  ({ diagnostics } = await published);
  assert.match(diagnostics[0].message, /10\.0 MB/);

  published = client.next(uri, (p) => p.version === 4);
  await client.change(uri, 4, [{ text: 'agentgraph: 1\nname: fine\nentry: a\nnodes:\n  a: { kind: function, next: END }\n' }]);
  ({ diagnostics } = await published);
  assert.deepEqual(diagnostics.filter((d) => d.severity === 1), []);
});

test('closing a document clears its diagnostics', async () => {
  const uri = uriOf('bad.agentgraph.yaml');
  const published = client.next(uri, (p) => p.diagnostics.length === 0);
  await client.close(uri);
  await published;
});

test('a file that refers to an edited subgraph is analysed again', async () => {
  const parent = uriOf('parent.agentgraph.yaml');
  const child = uriOf('child.agentgraph.yaml');
  const childText = 'agentgraph: 1\nname: child\nentry: a\nnodes:\n  a: { kind: function, next: END }\n';
  writeFileSync(join(dir, 'child.agentgraph.yaml'), childText);
  const parentText = 'agentgraph: 1\nname: parent\nentry: sub\nnodes:\n  sub:\n    kind: subgraph\n    graph: ./child.agentgraph.yaml\n    passes: []\n    next: END\n';
  let published = client.next(parent);
  await client.open(parent, parentText);
  let { diagnostics } = await published;
  assert.deepEqual(diagnostics.filter((d) => d.code === 'AG002'), [], 'the subgraph resolves');

  await client.open(child, childText);
  published = client.next(parent, (p) => p.diagnostics.some((d) => d.code === 'AG002'));
  await client.change(child, 2, [{ text: 'agentgraph: 1\nname: child\nentry: [broken\n' }]);
  ({ diagnostics } = await published);
  assert.match(diagnostics.find((d) => d.code === 'AG002')!.message, /child\.agentgraph\.yaml/);
});

test('severity settings apply: a rule turned off disappears', async () => {
  const uri = uriOf('research.agentgraph.yaml');
  client.settings = { rules: { AG601: 'off', AG701: 'error' } };
  const published = client.next(uri, (p) => !p.diagnostics.some((d) => d.code === 'AG601'));
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  const { diagnostics } = await published;
  assert.equal(diagnostics.find((d) => d.code === 'AG701')?.severity, 1);
  client.settings = {};
});
