// Trace sources: a file followed as it grows (appended lines, a line written in two parts, truncation,
// rotation), a finished file read once, and the hub that feeds the aggregator and throttles its news.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileSource, TailSource } from '../../../server/src/traces/sources.ts';
import { TraceHub } from '../../../server/src/traces/hub.ts';
import { bareContext } from '../../../server/src/traces/graphContext.ts';
import type { TraceEvent } from '../../../server/src/traces/model.ts';
import { DEBUG, SEMCONV } from './helpers.ts';

const debugLines = readFileSync(DEBUG, 'utf8').split('\n').filter((l) => l.trim() !== '');
const otlpLine = JSON.stringify(JSON.parse(readFileSync(SEMCONV, 'utf8')));

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'agentgraph-traces-'));
}

test('a followed file: what it holds, then appended lines, a line written in two parts', async () => {
  const dir = tmp();
  try {
    const file = join(dir, 'run.jsonl');
    writeFileSync(file, debugLines.slice(0, 4).join('\n') + '\n');
    const got: TraceEvent[] = [];
    const src = new TailSource(file, {}, 50);
    const status = await src.start({ events: (e) => got.push(...e) });
    assert.equal(status.state, 'running');
    assert.equal(got.filter((e) => e.type === 'span').length, 2, 'router task and its result');
    const half = Math.floor(debugLines[4].length / 2);
    appendFileSync(file, debugLines[4].slice(0, half));
    await src.read();
    assert.equal(got.length, 2, 'half a line is kept until its end arrives');
    appendFileSync(file, debugLines[4].slice(half) + '\n' + debugLines.slice(5).join('\n') + '\n');
    await src.read();
    assert.equal(got.filter((e) => e.type === 'span').length, 12);
    assert.equal(got.filter((e) => e.type === 'runEnd').length, 1, 'the last checkpoint ends the run');
    assert.equal(src.status().format, 'langgraph-debug');
    await src.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a followed file that is truncated or rotated is read again from its start', async () => {
  const dir = tmp();
  try {
    const file = join(dir, 'spans.jsonl');
    writeFileSync(file, otlpLine + '\n' + otlpLine + '\n');
    const got: TraceEvent[] = [];
    const src = new TailSource(file, {}, 50);
    await src.start({ events: (e) => got.push(...e) });
    assert.equal(got.length, 14);
    writeFileSync(file, otlpLine + '\n'); // truncated to a shorter file
    await src.read();
    assert.equal(src.restarts, 1);
    assert.equal(got.length, 21);
    renameSync(file, file + '.1'); // rotated: a new file takes the name
    writeFileSync(file, otlpLine + '\n' + otlpLine + '\n' + otlpLine + '\n');
    await src.read();
    assert.equal(src.restarts, 2);
    assert.equal(got.length, 42);
    assert.equal(src.status().format, 'otlp-jsonl');
    await src.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the followed file is picked up by fs.watch or polling without being asked', async () => {
  const dir = tmp();
  try {
    const file = join(dir, 'live.jsonl');
    writeFileSync(file, '');
    let spans = 0;
    const src = new TailSource(file, {}, 30);
    await src.start({ events: (e) => (spans += e.filter((x) => x.type === 'span').length) });
    appendFileSync(file, otlpLine + '\n');
    const deadline = Date.now() + 3000;
    while (spans < 7 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(spans, 7);
    await src.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a finished file read once; a file that is not traces says so', async () => {
  const dir = tmp();
  try {
    const got: TraceEvent[] = [];
    const s = await new FileSource(SEMCONV, {}).start({ events: (e) => got.push(...e) });
    assert.equal(s.state, 'done');
    assert.equal(s.spans, 7);
    assert.equal(s.format, 'otlp-json');
    const junk = join(dir, 'junk.txt');
    writeFileSync(junk, 'hello\nworld\n');
    const j = await new FileSource(junk, {}).start({ events: () => undefined });
    assert.equal(j.state, 'done');
    assert.equal(j.malformed, 2);
    assert.match(j.message ?? '', /not traces/);
    const missing = await new FileSource(join(dir, 'nope.json'), {}).start({ events: () => undefined });
    assert.equal(missing.state, 'error');
    assert.match(missing.message ?? '', /ENOENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the hub: figures from a file, change news throttled, quiet runs end, a receiver on a busy port says so', async () => {
  let changes = 0;
  const statuses: unknown[] = [];
  let now = 0;
  const hub = new TraceHub({ onChange: () => changes++, onStatus: (s) => statuses.push(s), changeMs: 50, idleRunMs: 1000, now: () => now });
  try {
    const ctx = bareContext('mem:graph');
    hub.setGraph(ctx);
    const s = await hub.openFile(SEMCONV, false);
    assert.equal(s.state, 'done');
    assert.equal(hub.aggregate(ctx).figures.nodes.router.visits, 1);
    // Many batches in a burst: one change notification per window.
    for (let i = 0; i < 100; i++) hub.ingest([{ type: 'span', span: { ...hub.state.runs.values().next().value!.spans.values().next().value!, spanId: `x${i}`.padStart(16, '0') }, source: 't' }]);
    await new Promise((r) => setTimeout(r, 120));
    assert.ok(changes >= 1 && changes <= 3, `changes ${changes}`);

    const receiver = await hub.startReceiver(0);
    assert.equal(receiver.state, 'running');
    const port = receiver.port!;
    const other = new TraceHub();
    const busy = await other.startReceiver(port);
    assert.equal(busy.state, 'error');
    assert.match(busy.message ?? '', /already in use/);
    assert.equal(other.status().receiver.state, 'error', 'the status bar shows the problem');
    await other.dispose();
    await hub.stopReceiver();
    assert.equal(hub.status().receiver.state, 'stopped');

    // A run from a live source ends once it has been quiet for idleRunMs.
    const first = hub.state.runs.values().next().value!.spans.values().next().value!;
    hub.ingest([{ type: 'span', span: { ...first, runId: 'live', spanId: 'live0000000000001' }, source: 'receiver' }]);
    assert.equal(hub.state.runs.get('live')!.ended, false);
    now = 500;
    hub.tick();
    assert.equal(hub.state.runs.get('live')!.ended, false);
    now = 1500;
    hub.tick();
    assert.equal(hub.state.runs.get('live')!.ended, true);

    hub.clear();
    assert.equal(hub.state.runs.size, 0);
    assert.equal(hub.aggregate(ctx).figures.runCount, 0);
  } finally {
    await hub.dispose();
  }
});

test('receiver starts asked for at once (a port typed in the settings, digit by digit) end with one receiver, on the last port', async () => {
  const { createServer, connect } = await import('node:net');
  const free = async () => {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const p = (s.address() as { port: number }).port;
    await new Promise((r) => s.close(r));
    return p;
  };
  const listening = (port: number) => new Promise<boolean>((r) => {
    const c = connect(port, '127.0.0.1');
    c.on('connect', () => { c.destroy(); r(true); });
    c.on('error', () => r(false));
  });
  const hub = new TraceHub();
  try {
    const ports = [await free(), await free(), await free()];
    const all = await Promise.all(ports.map((p) => hub.startReceiver(p)));
    assert.equal(all.at(-1)!.state, 'running');
    assert.equal(hub.status().receiver.port, ports[2]);
    assert.deepEqual(await Promise.all(ports.map(listening)), [false, false, true], 'the earlier receivers were left listening');
    await hub.stopReceiver();
    assert.deepEqual(await Promise.all(ports.map(listening)), [false, false, false]);
  } finally {
    await hub.dispose();
  }
});
