// Many open graph files: the server keeps the full analyses of the files in use only, and the requests about
// the others must not wait for a fresh analysis that never comes (3 s each, every time, until the file is
// edited). 40 open files, every request on every one of them answers at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspTestClient } from '../support/lspClient.ts';

const TRIAGE = readFileSync('examples/support-triage.agentgraph.yaml', 'utf8');
const FILES = 40;
let client: LspTestClient;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'agentgraph-many-'));
  client = new LspTestClient(dir);
  client.settings = { inlayHints: { enabled: true } };
  await client.initialize(pathToFileURL(dir).toString());
});
after(async () => {
  await client.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

test(`with ${FILES} graph files open, hover, outline, code actions, lenses, inlay hints and definition answer within 100 ms on each, twice`, async () => {
  const uris = Array.from({ length: FILES }, (_, i) => pathToFileURL(join(dir, `g${i}.agentgraph.yaml`)).toString());
  for (const uri of uris) {
    const published = client.next(uri);
    await client.open(uri, TRIAGE);
    await published;
  }
  const line = TRIAGE.split('\n').findIndex((l) => l.includes('next: review'));
  const position = { line, character: TRIAGE.split('\n')[line].indexOf('review') + 2 };
  const whole = { start: { line: 0, character: 0 }, end: { line: TRIAGE.split('\n').length, character: 0 } };
  const slow: string[] = [];
  for (const round of [1, 2]) {
    for (const uri of uris) {
      const textDocument = { uri };
      for (const [method, params] of [
        ['textDocument/hover', { textDocument, position }],
        ['textDocument/documentSymbol', { textDocument }],
        ['textDocument/codeAction', { textDocument, range: whole, context: { diagnostics: [] } }],
        ['textDocument/codeLens', { textDocument }],
        ['textDocument/inlayHint', { textDocument, range: whole }],
        ['textDocument/definition', { textDocument, position }],
      ] as const) {
        // Asked again once when slow: a busy machine can hold one answer up, the wait this guards against
        // (3 s for a fresh analysis that never comes) came back on every request.
        let ms = Infinity;
        let result: unknown;
        for (let attempt = 0; attempt < 2 && ms >= 100; attempt++) {
          const t0 = performance.now();
          result = await client.request(method, params);
          ms = performance.now() - t0;
        }
        if (ms >= 100) slow.push(`round ${round}, ${uri.slice(-22)}, ${method}: ${Math.round(ms)} ms`);
        if (slow.length >= 5) assert.deepEqual(slow, []); // enough to tell, without waiting seconds for each of the rest
        if (method === 'textDocument/definition') assert.ok(result && (result as unknown[]).length === 1, `no definition in ${uri}`);
      }
    }
  }
  assert.deepEqual(slow, []);
});
