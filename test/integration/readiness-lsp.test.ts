// The readiness check over LSP, as the extension (or any editor) uses it: `agentgraph/readiness` for the
// workspace folders and for files (open buffers as they are now), with work-done progress and cancellation;
// the verdict pushed for each open graph; and the verdict lens on a graph's first line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { LspTestClient } from '../support/lspClient.ts';

interface Result {
  markdown: string;
  graphs: { uri: string; graph: string; verdict: string; passed: number[]; failed: number[]; firstFix?: string }[];
  problems: string[];
}

let client: LspTestClient;
let dir: string;
const uriOf = (name: string) => pathToFileURL(join(dir, name)).toString();
const progress: { token: unknown; value: { kind: string; percentage?: number; message?: string } }[] = [];
const statuses: { uri: string; verdict: string; failed: number[] }[] = [];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'agentgraph-readiness-lsp-'));
  cpSync(resolve('examples'), dir, { recursive: true });
  client = new LspTestClient(dir);
  client.connection.onRequest('workspace/workspaceFolders', () => [{ uri: pathToFileURL(dir).toString(), name: 'examples' }]);
  client.connection.onNotification('$/progress', (p: (typeof progress)[number]) => void progress.push(p));
  client.connection.onNotification('agentgraph/readinessStatus', (p: (typeof statuses)[number]) => void statuses.push(p));
  await client.initialize(pathToFileURL(dir).toString());
});
after(() => client.shutdown().finally(() => rmSync(dir, { recursive: true, force: true })));

test('the workspace: every graph file in the folders, with progress to the given token', async () => {
  const r = (await client.connection.sendRequest('agentgraph/readiness', { scope: 'workspace', workDoneToken: 'ws-1' })) as Result;
  assert.deepEqual(r.graphs.map((g) => [g.graph, g.verdict]), [
    ['kyc', 'ready'],
    ['customer-onboarding', 'not-ready'],
    ['research_assistant', 'ready'], // its langgraph.json graph id
    ['research-agent', 'not-ready'],
    ['support-triage', 'ready'],
  ]);
  assert.deepEqual(r.problems, []);
  // Paths relative to the folder; each place links to the file URI with the line.
  assert.match(r.markdown, /\| \*\*research-agent\*\* \| \[research-agent\.agentgraph\.yaml\]\(file:\/\/\/.+\/research-agent\.agentgraph\.yaml#L1\) \|/);
  assert.match(r.markdown, /\[research-agent\.agentgraph\.yaml:58\]\(file:\/\/\/.+#L58\)/);
  const mine = progress.filter((p) => p.token === 'ws-1').map((p) => p.value);
  assert.equal(mine[0].kind, 'begin');
  assert.equal(mine.at(-1)!.kind, 'end');
  assert.deepEqual(mine.filter((v) => v.kind === 'report').at(-1), { kind: 'report', percentage: 100, message: '6 of 6 graph files' });
});

test('files: an open buffer is checked as it is now, not as it is on disk', async () => {
  const uri = uriOf('support-triage.agentgraph.yaml');
  const text = readFileSync(join(dir, 'support-triage.agentgraph.yaml'), 'utf8').replace(/\ntracing:\n(  .*\n)+/, '\n');
  await client.open(uri, text);
  const r = (await client.connection.sendRequest('agentgraph/readiness', { scope: 'files', uris: [uri] })) as Result;
  assert.deepEqual(r.graphs.map((g) => [g.graph, g.verdict, g.failed]), [['support-triage', 'not-ready', [2]]]);
  assert.match(r.graphs[0].firstFix!, /add tracing/);

  // The verdict of the open file is pushed after its analysis, for the status bar.
  const pushed = await waitFor(() => statuses.find((s) => s.uri === uri));
  assert.deepEqual([pushed.verdict, pushed.failed], ['not-ready', [2]]);

  // The lens on the first line says the same, and its command checks that file.
  const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as { range: { start: { line: number } }; command: { title: string; command: string; arguments: unknown[] } }[];
  const lens = lenses.find((l) => l.command.command === 'agentgraph.checkReadiness')!;
  assert.equal(lens.range.start.line, 0);
  assert.equal(lens.command.title, '$(warning) Production readiness: not ready (checkpoint 2 fails)');
  assert.deepEqual(lens.command.arguments, [uri]);
  await client.close(uri);
});

test('a file with errors: the pushed verdict (status bar) and the lens say the same, whatever its checkpoints say', async () => {
  const uri = uriOf('support-triage.agentgraph.yaml');
  // An unknown key is an AG001 error; every checkpoint still passes on what could be read.
  const text = readFileSync(join(dir, 'support-triage.agentgraph.yaml'), 'utf8').replace('    kind: llm\n', '    kind: llm\n    colour: red\n');
  statuses.length = 0;
  await client.open(uri, text);
  const pushed = (await waitFor(() => statuses.find((s) => s.uri === uri))) as (typeof statuses)[number] & { summary: string; short: string; sentence: string };
  assert.deepEqual([pushed.verdict, pushed.short, pushed.summary, pushed.sentence], ['not-ready', 'Not ready: errors', 'not ready (the file has errors)', 'is not ready for production: the file has errors']);
  const lenses = (await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as { command: { title: string; command: string } }[];
  assert.equal(lenses.find((l) => l.command.command === 'agentgraph.checkReadiness')!.command.title, `$(warning) Production readiness: ${pushed.summary}`);
  const r = (await client.connection.sendRequest('agentgraph/readiness', { scope: 'files', uris: [uri] })) as Result;
  assert.match(r.markdown, /^### support-triage: not ready, the file has errors$/m);
  await client.close(uri);
});

test('bad params are refused with a message, not a crash', async () => {
  for (const params of [{}, { scope: 'files', uris: [] }, { scope: 'planet' }, null, { scope: 'files', uris: [42] }]) {
    await assert.rejects(client.connection.sendRequest('agentgraph/readiness', params), (e: { code: number; message: string }) => {
      assert.equal(e.code, -32602);
      assert.match(e.message, /invalid params/);
      return true;
    });
  }
  // The server still answers.
  const r = (await client.connection.sendRequest('agentgraph/readiness', { scope: 'files', uris: [uriOf('research-agent.agentgraph.yaml')] })) as Result;
  assert.equal(r.graphs[0].verdict, 'not-ready');
});

test('a large workspace can be cancelled midway', async () => {
  mkdirSync(join(dir, 'many'));
  const triage = readFileSync(join(dir, 'support-triage.agentgraph.yaml'), 'utf8');
  for (let i = 0; i < 400; i++) writeFileSync(join(dir, 'many', `g${i}.agentgraph.yaml`), triage.replace('name: support-triage', `name: g${i}`));
  const source = new CancellationTokenSource();
  const seen = progress.length;
  const pending = client.connection.sendRequest('agentgraph/readiness', { scope: 'workspace', workDoneToken: 'ws-big' }, source.token);
  await waitFor(() => progress.slice(seen).some((p) => p.token === 'ws-big' && p.value.kind === 'report'));
  source.cancel();
  await assert.rejects(pending, (e: { code: number }) => e.code === -32800);
  rmSync(join(dir, 'many'), { recursive: true, force: true });
});

async function waitFor<T>(probe: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
