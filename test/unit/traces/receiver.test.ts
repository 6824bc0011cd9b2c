// The OTLP/HTTP receiver, running: JSON and protobuf bodies, gzip and deflate, partialSuccess for unusable
// spans, 413 past the size limit, 400 with a reason for a body that is not OTLP, 415 for another content type,
// a busy port reported plainly, and nothing it receives stops it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { gzipSync, deflateSync } from 'node:zlib';
import { createServer as createNetServer, connect, type Server as NetServer } from 'node:net';
import { OtlpReceiver, ReceiverStartError } from '../../../server/src/traces/receiver.ts';
import { decodeOtlpErrorStatus, decodeOtlpResponse, encodeOtlpProtobuf, type AttributeFilter } from '../../../server/src/traces/otlp.ts';
import { attributeFilter, extractSpan } from '../../../server/src/traces/mapping.ts';
import type { TraceSpan } from '../../../server/src/traces/model.ts';
import { OPENINFERENCE, SEMCONV } from './helpers.ts';

interface Reply {
  status: number;
  type: string;
  body: Buffer;
}

function post(port: number, body: Buffer | string, headers: Record<string, string>, path = '/v1/traces', method = 'POST'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method, headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function withReceiver(fn: (port: number, spans: TraceSpan[], r: OtlpReceiver) => Promise<void>, maxBodyBytes?: number, keepAttribute?: AttributeFilter) {
  const spans: TraceSpan[] = [];
  const r = new OtlpReceiver({ port: 0, ...(maxBodyBytes ? { maxBodyBytes } : {}), ...(keepAttribute ? { keepAttribute } : {}), onSpans: (s) => spans.push(...s) });
  const port = await r.start();
  try {
    await fn(port, spans, r);
  } finally {
    await r.stop();
  }
}

const semconv = readFileSync(SEMCONV, 'utf8');
const openinference = JSON.parse(readFileSync(OPENINFERENCE, 'utf8'));

test('listens on 127.0.0.1 only', async () => {
  await withReceiver(async (port) => {
    const r = await post(port, semconv, { 'Content-Type': 'application/json' });
    assert.equal(r.status, 200);
  });
  const r = new OtlpReceiver({ port: 0, onSpans: () => undefined });
  await r.start();
  // @ts-expect-error: reading the private server for the address it bound.
  assert.equal(r.server.address().address, '127.0.0.1');
  await r.stop();
});

test('OTLP JSON: 200 with an empty ExportTraceServiceResponse, every span delivered', async () => {
  await withReceiver(async (port, spans, r) => {
    const res = await post(port, semconv, { 'Content-Type': 'application/json; charset=utf-8' });
    assert.equal(res.status, 200);
    assert.match(res.type, /application\/json/);
    assert.deepEqual(JSON.parse(res.body.toString()), {});
    assert.equal(spans.length, 7);
    assert.equal(r.counters.spans, 7);
  });
});

test('OTLP protobuf (as the Python exporter sends it), plain, gzip and deflate', async () => {
  await withReceiver(async (port, spans) => {
    const pb = Buffer.from(encodeOtlpProtobuf(openinference));
    for (const [body, enc] of [[pb, undefined], [gzipSync(pb), 'gzip'], [deflateSync(pb), 'deflate']] as const) {
      const res = await post(port, body, { 'Content-Type': 'application/x-protobuf', ...(enc ? { 'Content-Encoding': enc } : {}) });
      assert.equal(res.status, 200, enc);
      assert.match(res.type, /application\/x-protobuf/);
      assert.deepEqual(decodeOtlpResponse(res.body), { rejectedSpans: 0, errorMessage: '' });
    }
    assert.equal(spans.length, 3 * 13);
    assert.equal(spans[0].start > 1_755_000_000_000_000_000n, true);
  });
});

test('JSON gzip', async () => {
  await withReceiver(async (port, spans) => {
    const res = await post(port, gzipSync(semconv), { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
    assert.equal(res.status, 200);
    assert.equal(spans.length, 7);
  });
});

test('unusable spans are answered in partialSuccess, the rest delivered', async () => {
  await withReceiver(async (port, spans) => {
    const body = JSON.parse(semconv);
    body.resourceSpans[0].scopeSpans[0].spans[0].traceId = 'nope';
    const res = await post(port, JSON.stringify(body), { 'Content-Type': 'application/json' });
    assert.equal(res.status, 200);
    const ps = JSON.parse(res.body.toString()).partialSuccess;
    assert.equal(ps.rejectedSpans, '1');
    assert.match(ps.errorMessage, /traceId/);
    assert.equal(spans.length, 6);
  });
});

test('a body over the limit is refused with 413, before and after decompression', async () => {
  await withReceiver(async (port, spans, r) => {
    const big = Buffer.alloc(8192, 32);
    const res = await post(port, big, { 'Content-Type': 'application/json' });
    assert.equal(res.status, 413);
    assert.match(JSON.parse(res.body.toString()).message, /larger than/);
    // A small gzip body that inflates past the limit (a zip bomb) is refused too.
    const bomb = gzipSync(Buffer.alloc(1024 * 1024, 32));
    assert.ok(bomb.length < 4096);
    const res2 = await post(port, bomb, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
    assert.equal(res2.status, 413);
    assert.equal(r.counters.tooLarge, 2);
    assert.equal(spans.length, 0);
    // The receiver still works.
    assert.equal((await post(port, '{}', { 'Content-Type': 'application/json' })).status, 200);
  }, 4096);
});

test('malformed payloads are answered 400 with the reason and counted', async () => {
  await withReceiver(async (port, _spans, r) => {
    const cases: [Buffer | string, Record<string, string>, RegExp][] = [
      ['{not json', { 'Content-Type': 'application/json' }, /not valid JSON/],
      ['[1,2,3]', { 'Content-Type': 'application/json' }, /not an OTLP trace request/],
      ['{"resourceSpans": 7}', { 'Content-Type': 'application/json' }, /must be an array/],
      [Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]), { 'Content-Type': 'application/x-protobuf' }, /not a protobuf ExportTraceServiceRequest/],
      [Buffer.from('not gzip'), { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, /not valid gzip/],
    ];
    for (const [body, headers, reason] of cases) {
      const res = await post(port, body, headers);
      assert.equal(res.status, 400, String(reason));
      const msg = headers['Content-Type'] === 'application/x-protobuf' ? decodeOtlpErrorStatus(res.body).message : JSON.parse(res.body.toString()).message;
      assert.match(msg, reason);
    }
    assert.equal(r.counters.malformed, cases.length);
  });
});

test('decoding only the attributes the mapping reads (as the hub runs it): the same answers, the same extracted spans', async () => {
  const bodies: [Buffer | string, Record<string, string>][] = [
    [semconv, { 'Content-Type': 'application/json' }],
    [Buffer.from(encodeOtlpProtobuf(openinference)), { 'Content-Type': 'application/x-protobuf' }],
    [gzipSync(encodeOtlpProtobuf(JSON.parse(semconv))), { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'gzip' }],
    ...readFileSync('test/fixtures/traces-real/python/otlp-protobuf.b64', 'utf8').trim().split('\n').map((l): [Buffer, Record<string, string>] => [Buffer.from(l, 'base64'), { 'Content-Type': 'application/x-protobuf' }]),
    ['{not json', { 'Content-Type': 'application/json' }],
    ['{"resourceSpans": 7}', { 'Content-Type': 'application/json' }],
    [Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f]), { 'Content-Type': 'application/x-protobuf' }],
  ];
  // Truncated and corrupted protobuf: rejected alike, with the same reason.
  const pb = Buffer.from(encodeOtlpProtobuf(openinference));
  for (const cut of [7, 100, 1000, pb.length - 3]) bodies.push([pb.subarray(0, cut), { 'Content-Type': 'application/x-protobuf' }]);
  const bad = Buffer.from(pb);
  bad[bad.indexOf('openinference.span.kind') + 30] = 0xff;
  bodies.push([bad, { 'Content-Type': 'application/x-protobuf' }]);
  const answers = async (keep?: AttributeFilter) => {
    const out: { replies: [number, string][]; spans: TraceSpan[]; malformed: number } = { replies: [], spans: [], malformed: 0 };
    await withReceiver(async (port, spans, r) => {
      for (const [body, headers] of bodies) {
        const res = await post(port, body, headers);
        out.replies.push([res.status, res.body.toString('base64')]);
      }
      out.spans = spans;
      out.malformed = r.counters.malformed;
    }, undefined, keep);
    return out;
  };
  const full = await answers();
  const skim = await answers(attributeFilter({}));
  assert.deepEqual(skim.replies, full.replies);
  assert.equal(skim.malformed, full.malformed);
  assert.ok(full.malformed >= 7, String(full.malformed));
  assert.ok(full.spans.length > 50);
  assert.deepEqual(skim.spans.map((s) => extractSpan(s)), full.spans.map((s) => extractSpan(s)));
  assert.ok(skim.spans.every((s) => !('input.value' in s.attributes)), 'the messages are not decoded');
});

test('another content type or encoding: 415; another path: 404; another method: 405', async () => {
  await withReceiver(async (port, _s, r) => {
    assert.equal((await post(port, 'x', { 'Content-Type': 'text/plain' })).status, 415);
    assert.equal((await post(port, '{}', { 'Content-Type': 'application/json', 'Content-Encoding': 'br' })).status, 415);
    assert.equal((await post(port, '{}', { 'Content-Type': 'application/json' }, '/v1/metrics')).status, 404);
    assert.equal((await post(port, '', {}, '/v1/traces', 'GET')).status, 405);
    assert.equal(r.counters.unsupported, 2);
  });
});

test('random bytes and broken requests do not stop the receiver', async () => {
  await withReceiver(async (port, spans) => {
    let seed = 3;
    for (let i = 0; i < 60; i++) {
      const bytes = Buffer.alloc(1 + (i * 37) % 700);
      for (let j = 0; j < bytes.length; j++) bytes[j] = (seed = (seed * 48271) % 2147483647) & 0xff;
      const res = await post(port, bytes, { 'Content-Type': i % 2 ? 'application/x-protobuf' : 'application/json', ...(i % 3 === 0 ? { 'Content-Encoding': 'gzip' } : {}) });
      assert.ok([200, 400].includes(res.status), String(res.status));
    }
    // A raw socket that sends garbage instead of HTTP.
    const net = await import('node:net');
    await new Promise<void>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => s.end('GARBAGE\r\n\r\n'));
      s.on('close', () => resolve());
      s.on('error', () => resolve());
      s.resume();
    });
    const ok = await post(port, semconv, { 'Content-Type': 'application/json' });
    assert.equal(ok.status, 200);
    assert.ok(spans.length >= 7);
  });
});

test('a consumer that throws is answered 500 and the receiver goes on', async () => {
  let calls = 0;
  const r = new OtlpReceiver({ port: 0, onSpans: () => { if (calls++ === 0) throw new Error('full'); } });
  const port = await r.start();
  try {
    assert.equal((await post(port, semconv, { 'Content-Type': 'application/json' })).status, 500);
    assert.equal((await post(port, semconv, { 'Content-Type': 'application/json' })).status, 200);
  } finally {
    await r.stop();
  }
});

test('a busy port is reported plainly, with the way out', async () => {
  const first = new OtlpReceiver({ port: 0, onSpans: () => undefined });
  const port = await first.start();
  try {
    const second = new OtlpReceiver({ port, onSpans: () => undefined });
    await assert.rejects(second.start(), (e: unknown) => {
      assert.ok(e instanceof ReceiverStartError);
      assert.equal(e.code, 'EADDRINUSE');
      assert.match(e.message, new RegExp(`port ${port} on 127.0.0.1 is already in use`));
      assert.match(e.message, /agentgraph\.traces\.port/);
      return true;
    });
  } finally {
    await first.stop();
  }
});

/** What the receiver answers on a raw connection that sends `head` (and then nothing): the status line, if any. */
function rawStatus(port: number, head: string): Promise<string> {
  return new Promise((resolve) => {
    let reply = '';
    const s = connect(port, '127.0.0.1', () => s.write(head));
    s.setEncoding('utf8');
    s.on('data', (d) => (reply += d));
    s.on('close', () => resolve(reply.split('\r\n')[0]));
    s.on('error', () => undefined);
  });
}

test('headers that take too long are answered 408, headers too large 431, a request that is no HTTP 400', async () => {
  const r = new OtlpReceiver({ port: 0, onSpans: () => undefined, timeouts: { headersMs: 150, requestMs: 1_000 } });
  const port = await r.start();
  try {
    const t0 = Date.now();
    // The request line and one header, and then the client stalls before the end of the headers.
    assert.equal(await rawStatus(port, 'POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\n'), 'HTTP/1.1 408 Request Timeout');
    assert.ok(Date.now() - t0 < 5_000, 'the timeout is noticed soon after it passes');
    const big = `POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(32 * 1024)}\r\n\r\n`;
    assert.equal(await rawStatus(port, big), 'HTTP/1.1 431 Request Header Fields Too Large');
    assert.equal(await rawStatus(port, 'GARBAGE\r\n\r\n'), 'HTTP/1.1 400 Bad Request');
    assert.equal(r.counters.clientErrors, 3);
    // And it goes on.
    assert.equal((await post(port, semconv, { 'Content-Type': 'application/json' })).status, 200);
  } finally {
    await r.stop();
  }
});

function hold(port: number): Promise<NetServer | undefined> {
  return new Promise((resolve) => {
    const s = createNetServer();
    s.once('error', () => resolve(undefined)); // someone else holds it: busy all the same
    s.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve(s));
  });
}

function suggested(e: unknown): number {
  assert.ok(e instanceof ReceiverStartError);
  assert.equal(e.code, 'EADDRINUSE');
  const m = /set agentgraph\.traces\.port to a free port \((\d+) is free now\)/.exec(e.message);
  assert.ok(m, e.message);
  return Number(m[1]);
}

test('a busy port suggests the next port that is free now, not always 4319', async () => {
  const first = new OtlpReceiver({ port: 0, onSpans: () => undefined });
  const port = await first.start();
  const next = await hold(port + 1);
  try {
    const e = await new OtlpReceiver({ port, onSpans: () => undefined }).start().then(() => undefined, (x: unknown) => x);
    const s = suggested(e);
    assert.ok(s > port + 1 && s <= port + 20, `${s} after ${port} and ${port + 1}, both busy`);
    // It is free: a receiver starts there.
    const there = new OtlpReceiver({ port: s, onSpans: () => undefined });
    assert.equal(await there.start(), s);
    await there.stop();
  } finally {
    await first.stop();
    await new Promise((r) => (next ? next.close(r) : r(undefined)));
  }
  // 4319 itself in use: the suggestion is not 4319 again.
  const held = await hold(4319);
  try {
    const e = await new OtlpReceiver({ port: 4319, onSpans: () => undefined }).start().then(() => undefined, (x: unknown) => x);
    assert.ok(suggested(e) > 4319);
  } finally {
    await new Promise((r) => (held ? held.close(r) : r(undefined)));
  }
});
