// The trace feature over the language server's protocol (the bundled server on stdio, as an editor runs it):
// a trace file read into the server, figures answered for an open graph, conformance findings published with
// the lint findings of the graph file, the receiver started and stopped, and clearing that clears the findings.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  TraceClearRequest, TraceFiguresRequest, TraceOpenFileRequest, TraceStartReceiverRequest, TraceStatusRequest, TraceStopReceiverRequest, type TraceCommandResult,
} from '../../common/protocol.ts';
import type { TraceFigures, TraceStatus } from '../../common/traceModel.ts';
import { LspTestClient } from '../support/lspClient.ts';

let client: LspTestClient;
let dir: string;
const GRAPH = readFileSync('test/fixtures/traces/weather.agentgraph.yaml', 'utf8').replace('max_visits: 4', 'max_visits: 2');
const DEBUG = resolve('test/fixtures/traces/langgraph-debug-stream.jsonl');

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'agentgraph-traces-lsp-'));
  client = new LspTestClient(dir);
  await client.initialize(pathToFileURL(dir).toString());
});

after(async () => {
  await client.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

test('a trace file read into the server: figures for the open graph, AG802 with the lint findings, cleared with the traces', async () => {
  const uri = pathToFileURL(join(dir, 'weather.agentgraph.yaml')).toString();
  const first = client.next(uri);
  await client.open(uri, GRAPH);
  assert.deepEqual((await first).diagnostics.filter((d) => String(d.code).startsWith('AG8')), [], 'no traces, no trace findings');

  const withFinding = client.next(uri, (p) => p.diagnostics.some((d) => d.code === 'AG802'), 10_000);
  const opened = await client.request<TraceCommandResult>(TraceOpenFileRequest.method, { path: DEBUG, watch: false });
  assert.equal(opened.ok, true, opened.message);
  assert.match(opened.message, /read langgraph-debug-stream\.jsonl: 6 spans/);
  const published = await withFinding;
  const ag802 = published.diagnostics.find((d) => d.code === 'AG802')!;
  assert.match(ag802.message, /a run visited "agent" 3 times, past its max_visits of 2/);
  assert.equal(ag802.codeDescription?.href.endsWith('docs/rules/AG802.md'), true);
  assert.equal(ag802.range.start.line, 43);

  const figures = await client.request<TraceFigures | null>(TraceFiguresRequest.method, { uri });
  assert.equal(figures?.nodes.agent.visits, 3);
  assert.equal(figures?.nodes.agent.tokensIn, 1430);
  const run = await client.request<TraceFigures | null>(TraceFiguresRequest.method, { uri, runId: figures!.runs[0].id, position: 2 });
  assert.equal(run?.run?.position, 2);
  assert.equal(run?.nodes.agent.visits, 1);

  const cleared = client.next(uri, (p) => !p.diagnostics.some((d) => String(d.code).startsWith('AG8')), 10_000);
  await client.request<TraceCommandResult>(TraceClearRequest.method, undefined);
  await cleared;
});

test('the receiver starts on a free port, takes a run, stops; bad params are refused', async () => {
  const started = await client.request<TraceCommandResult>(TraceStartReceiverRequest.method, { port: 0 });
  assert.equal(started.ok, true, started.message);
  const port = started.status.receiver.port;
  assert.ok(port > 0);
  const body = readFileSync('test/fixtures/traces/otlp-genai-semconv.json');
  const status = await new Promise<number>((res, rej) => {
    const req = request({ host: '127.0.0.1', port, path: '/v1/traces', method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': body.length } }, (r) => {
      r.resume();
      r.on('end', () => res(r.statusCode ?? 0));
    });
    req.on('error', rej);
    req.end(body);
  });
  assert.equal(status, 200);
  const s = await client.request<TraceStatus>(TraceStatusRequest.method, undefined);
  assert.equal(s.receiver.state, 'running');
  assert.equal(s.spans, 7);
  const stopped = await client.request<TraceCommandResult>(TraceStopReceiverRequest.method, undefined);
  assert.equal(stopped.status.receiver.state, 'stopped');
  await assert.rejects(client.request(TraceStartReceiverRequest.method, { port: 'x' }), /invalid params/);
  await assert.rejects(client.request(TraceFiguresRequest.method, { nope: 1 }), /invalid params/);
  const missing = await client.request<TraceCommandResult>(TraceOpenFileRequest.method, { path: join(dir, 'missing.jsonl'), watch: false });
  assert.equal(missing.ok, false);
  assert.match(missing.message, /cannot be read: ENOENT/);
});
