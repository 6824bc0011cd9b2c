// Decoding only the attributes the mapping reads (the receiver's path) gives exactly what the full decode gives:
// the same extracted spans on every recorded fixture, the same spans minus the attributes not kept, and the same
// rejections, message for message, on malformed bodies (mutated fixtures and hand-made edge cases).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { decodeOtlpJsonText, decodeOtlpProtobuf, encodeOtlpProtobuf, type AttributeFilter, type DecodeResult } from '../../../server/src/traces/otlp.ts';
import { ATTRIBUTES_READ, attributeFilter, extractSpan, type ExtractOptions } from '../../../server/src/traces/mapping.ts';
import type { Attributes, TraceSpan } from '../../../server/src/traces/model.ts';
import { OPENINFERENCE, SEMCONV } from './helpers.ts';

const RECORDINGS = ['test/fixtures/traces-real/python/recorded.jsonl', 'test/fixtures/traces-real/js/recorded.jsonl'].filter((p) => existsSync(p));
const PROTOBUF_BODIES = ['test/fixtures/traces-real/python/otlp-protobuf.b64'].filter((p) => existsSync(p));

/** Every recorded request, as JSON text and as protobuf bytes. */
function fixtures(): { name: string; json?: string; protobuf: Uint8Array }[] {
  const out: { name: string; json?: string; protobuf: Uint8Array }[] = [];
  for (const path of [SEMCONV, OPENINFERENCE]) {
    const json = readFileSync(path, 'utf8');
    out.push({ name: path, json, protobuf: encodeOtlpProtobuf(JSON.parse(json)) });
  }
  for (const path of RECORDINGS) {
    readFileSync(path, 'utf8').trim().split('\n').forEach((json, i) => out.push({ name: `${path}:${i + 1}`, json, protobuf: encodeOtlpProtobuf(JSON.parse(json)) }));
  }
  for (const path of PROTOBUF_BODIES) {
    readFileSync(path, 'utf8').trim().split('\n').forEach((l, i) => out.push({ name: `${path}:${i + 1}`, protobuf: Buffer.from(l, 'base64') }));
  }
  return out;
}

const OPTIONS: ExtractOptions[] = [{}, { customAttributes: new Set(['langgraph_node', 'session.id', 'my.node']) }];

const only = (a: Attributes, keep: AttributeFilter): Attributes => {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(a)) if (keep(k)) out[k] = v;
  return out;
};
/** A span of the full decode with only the attributes kept. */
const filtered = (s: TraceSpan, keep: AttributeFilter): TraceSpan => ({
  ...s,
  attributes: only(s.attributes, keep),
  events: s.events.map((e) => ({ ...e, attributes: only(e.attributes, keep) })),
  resource: only(s.resource, keep),
});

test('skipping the attributes the mapping does not read gives the same extracted spans as the full decode, on every recorded fixture', () => {
  const all = fixtures();
  assert.ok(all.length >= 8, 'the spec fixtures and the recorded real spans');
  let spans = 0;
  for (const options of OPTIONS) {
    const keep = attributeFilter(options);
    for (const f of all) {
      const full = decodeOtlpProtobuf(f.protobuf);
      const skim = decodeOtlpProtobuf(f.protobuf, keep);
      assert.equal(full.rejected, 0, f.name);
      assert.deepEqual(skim.spans.map((s) => extractSpan(s, options)), full.spans.map((s) => extractSpan(s, options)), `${f.name}: protobuf`);
      assert.deepEqual(skim.spans, full.spans.map((s) => filtered(s, keep)), `${f.name}: protobuf spans`);
      // Keeping every attribute, the skimming decoder is the full decode.
      assert.deepEqual(decodeOtlpProtobuf(f.protobuf, () => true), full, `${f.name}: protobuf, every attribute kept`);
      if (f.json !== undefined) {
        const fullJson = decodeOtlpJsonText(f.json);
        const skimJson = decodeOtlpJsonText(f.json, keep);
        assert.deepEqual(skimJson.spans.map((s) => extractSpan(s, options)), fullJson.spans.map((s) => extractSpan(s, options)), `${f.name}: JSON`);
        assert.deepEqual(skimJson.spans, fullJson.spans.map((s) => filtered(s, keep)), `${f.name}: JSON spans`);
      }
      spans += full.spans.length;
    }
  }
  assert.ok(spans > 100);
});

test('extractSpan reads no attribute that the filter would skip', () => {
  const custom = { customAttributes: new Set(['my.node']) };
  const keep = attributeFilter(custom);
  const read = new Set<string>();
  const watched = (a: Attributes) => new Proxy(a, {
    get: (t, k) => {
      if (typeof k === 'string') read.add(k);
      return Reflect.get(t, k);
    },
    has: (t, k) => {
      if (typeof k === 'string') read.add(k);
      return Reflect.has(t, k);
    },
  });
  const spans: TraceSpan[] = fixtures().flatMap((f) => decodeOtlpProtobuf(f.protobuf).spans);
  const bare = spans[0];
  // Every branch: no attribute at all (each fallback read), a model call (its provider), an error.
  spans.push({ ...bare, attributes: {} }, { ...bare, attributes: { 'llm.model_name': 'm' } }, { ...bare, attributes: { 'gen_ai.request.model': 'm', 'error.type': 'x' }, status: { code: 2 } });
  for (const s of spans) extractSpan({ ...s, attributes: watched(s.attributes), resource: watched(s.resource) }, custom);
  const missed = [...read].filter((k) => !keep(k));
  assert.deepEqual(missed, [], 'add these keys to ATTRIBUTES_READ (mapping.ts)');
  assert.ok(read.has('my.node') && read.has('langsmith.metadata.my.node'));
  for (const k of ATTRIBUTES_READ) assert.ok(read.has(k), `${k} is listed but never read`);
});

/** What a decode gives, as plain data: the error's message, or the extracted spans and rejections. */
function outcome(decode: () => DecodeResult, extract: boolean): unknown {
  try {
    const r = decode();
    return { spans: extract ? r.spans.map((s) => extractSpan(s)) : r.spans, rejected: r.rejected, reasons: r.reasons };
  } catch (e) {
    return { error: `${(e as Error).constructor.name}: ${(e as Error).message}` };
  }
}

function sameOutcome(body: Uint8Array, what: string): void {
  const keep = attributeFilter({});
  assert.deepEqual(outcome(() => decodeOtlpProtobuf(body, keep), true), outcome(() => decodeOtlpProtobuf(body), true), what);
  assert.deepEqual(outcome(() => decodeOtlpProtobuf(body, () => true), false), outcome(() => decodeOtlpProtobuf(body), false), `${what}, every attribute kept`);
}

const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = 'eee19b7ec3c1b174';

/** A small request that has every part of the format: events, links, status, scope, nested values of every type. */
function everything(): Uint8Array {
  const kv = (key: string, value: unknown) => ({ key, value });
  const attrs = [
    kv('gen_ai.operation.name', { stringValue: 'chat' }), kv('llm.model_name', { stringValue: 'gpt-4o-mini' }),
    kv('llm.token_count.prompt', { intValue: 934 }), kv('llm.cost.total', { doubleValue: 0.25 }), kv('flag', { boolValue: true }),
    kv('input.value', { stringValue: 'x'.repeat(300) + 'é€😀' }), kv('short', { stringValue: 'héllo' }),
    kv('list', { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '9007199254740993' }, { arrayValue: { values: [{ boolValue: false }] } }] } }),
    kv('metadata', { stringValue: JSON.stringify({ langgraph_node: 'agent', langgraph_step: 2, langgraph_checkpoint_ns: 'agent:1f0a' }) }),
    kv('kv', { kvlistValue: { values: [kv('inner', { bytesValue: Buffer.from([1, 2, 3]).toString('base64') }), kv('n', { doubleValue: -1.5 })] } }),
    kv('gen_ai.tool.name', { kvlistValue: { values: [kv('a', { stringValue: 'b' })] } }),
  ];
  return encodeOtlpProtobuf({
    resourceSpans: [{
      resource: { attributes: [kv('service.name', { stringValue: 'svc' }), kv('host', { stringValue: 'h' })], droppedAttributesCount: 1 },
      schemaUrl: 'https://opentelemetry.io/schemas/1.0',
      scopeSpans: [{
        scope: { name: 'openinference', version: '1', attributes: [kv('s', { stringValue: 'v' })] },
        spans: [
          { traceId: TRACE, spanId: SPAN, parentSpanId: 'aaaaaaaaaaaaaaaa', traceState: 'k=v', flags: 257, name: 'ChatOpenAI', kind: 3, startTimeUnixNano: '1755000000000000001', endTimeUnixNano: '1755000000900000003', attributes: attrs, droppedAttributesCount: 2,
            events: [{ timeUnixNano: '1755000000000000005', name: 'exception', attributes: [kv('exception.message', { stringValue: 'boom' }), kv('error.type', { stringValue: 'E' })] }],
            links: [{ traceId: TRACE, spanId: SPAN, traceState: 't', attributes: [kv('l', { intValue: 1 })], flags: 1 }],
            status: { code: 2, message: 'failed' } },
          { traceId: TRACE, spanId: 'bbbbbbbbbbbbbbbb', name: 'agent', startTimeUnixNano: '1755000000000000000', endTimeUnixNano: '1755000001000000000', attributes: [kv('metadata', { stringValue: '{"langgraph_node":"agent"}' })], events: [{ name: 'no time' }] },
        ],
      }],
    }],
  });
}

test('mutated bodies: the skimming decoder rejects exactly what the full decode rejects, with the same message, and agrees on the rest', () => {
  const real = PROTOBUF_BODIES.length ? Buffer.from(readFileSync(PROTOBUF_BODIES[0], 'utf8').trim().split('\n')[0], 'base64') : undefined;
  const bases = [everything(), ...(real ? [real.subarray(0, Math.min(real.length, 6000))] : [])];
  let seed = 7;
  const rand = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
  const kinds = new Set<string>();
  for (const base of bases) {
    for (let i = 0; i < 700; i++) {
      let b = Buffer.from(base);
      const at = rand(b.length);
      switch (i % 6) {
        case 0: b[at] = rand(256); break;
        case 1: b[at] ^= 1 << rand(8); break;
        case 2: b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1)]); break;
        case 3: b = Buffer.concat([b.subarray(0, at), Buffer.from([rand(256)]), b.subarray(at)]); break;
        case 4: b = b.subarray(0, at); break;
        default: {
          const len = 1 + rand(40);
          b = Buffer.concat([b.subarray(0, at), b.subarray(at, at + len), b.subarray(at)]);
        }
      }
      sameOutcome(b, `mutation ${i} of a ${base.length}-byte body`);
      const o = outcome(() => decodeOtlpProtobuf(b), false) as { error?: string };
      kinds.add(o.error ? o.error.replace(/[\d]+/g, 'N') : 'decoded');
    }
  }
  // The mutations reach the decoder's checks, not only one of them.
  assert.ok(kinds.has('decoded') && kinds.size >= 5, [...kinds].join('\n'));
});

test('hand-made edge cases of the wire format: the same spans or the same rejection', () => {
  const w = () => protobuf.Writer.create();
  const msg = (field: number, body: Uint8Array, into = w()) => into.uint32((field << 3) | 2).bytes(body);
  const str = (field: number, s: string, into = w()) => into.uint32((field << 3) | 2).string(s);
  const anyString = (s: string) => str(1, s).finish();
  const keyValue = (parts: ((x: protobuf.Writer) => void)[]) => {
    const x = w();
    for (const p of parts) p(x);
    return x.finish();
  };
  const key = (k: string) => (x: protobuf.Writer) => void str(1, k, x);
  const value = (v: Uint8Array) => (x: protobuf.Writer) => void msg(2, v, x);
  const raw = (bytes: number[]) => (x: protobuf.Writer) => {
    for (const byte of bytes) x.uint32(byte);
  };
  const span = (attributes: Uint8Array[], extra: (x: protobuf.Writer) => void = () => undefined) => {
    const x = w();
    x.uint32((1 << 3) | 2).bytes(Buffer.from(TRACE, 'hex'));
    x.uint32((2 << 3) | 2).bytes(Buffer.from(SPAN, 'hex'));
    str(5, 'node', x);
    x.uint32((7 << 3) | 1).fixed64('1755000000000000001' as unknown as number);
    x.uint32((8 << 3) | 1).fixed64('1755000000900000003' as unknown as number);
    for (const a of attributes) msg(9, a, x);
    extra(x);
    return x.finish();
  };
  const request = (spans: Uint8Array[], resource?: Uint8Array, resourceLast = false) => {
    const scope = w();
    for (const s of spans) msg(2, s, scope);
    const rs = w();
    if (resource && !resourceLast) msg(1, resource, rs);
    msg(2, scope.finish(), rs);
    if (resource && resourceLast) msg(1, resource, rs);
    return msg(1, rs.finish()).finish();
  };
  const nested = (depth: number) => {
    let v = anyString('deep');
    for (let i = 0; i < depth; i++) v = msg(5, msg(1, v).finish()).finish();
    return v;
  };
  const badUtf8 = (n: number) => Buffer.concat([Buffer.from('a'.repeat(n)), Buffer.from([0xc3, 0x28])]);
  const resource = msg(1, keyValue([key('service.name'), value(anyString('svc'))])).finish();
  const cases: [string, Uint8Array][] = [
    ['value before key', request([span([keyValue([value(anyString('chat')), key('gen_ai.operation.name')])])])],
    ['key given twice', request([span([keyValue([key('ignored'), value(anyString('chat')), key('gen_ai.operation.name')]), keyValue([key('gen_ai.operation.name'), value(anyString('x')), key('input.value')])])])],
    ['value given twice: merged', request([span([keyValue([key('llm.model_name'), value(msg(5, msg(1, anyString('a')).finish()).finish()), value(msg(5, msg(1, anyString('b')).finish()).finish())])])])],
    ['oneof switching', request([span([keyValue([key('llm.model_name'), value(keyValue([raw([8 * 3, 5]), (x) => void str(1, 'last', x)]))])])])],
    ['empty key and no value', request([span([keyValue([key('')]), keyValue([key('metadata')]), keyValue([])])])],
    ['duplicate attributes: the last wins', request([span([keyValue([key('llm.model_name'), value(anyString('a'))]), keyValue([key('llm.model_name'), value(anyString('b'))])])])],
    ['resource after the spans', request([span([])], resource, true)],
    ['status twice, merged', request([span([], (x) => { msg(15, keyValue([(y) => void str(2, 'first', y), raw([24, 2])]), x); msg(15, keyValue([raw([24, 1])]), x); })])],
    ['unknown fields, a group among them', request([span([keyValue([key('input.value'), raw([(20 << 3) | 3, (1 << 3) | 0, 5, (20 << 3) | 4]), value(anyString('v'))])], (x) => void raw([(99 << 3) | 0, 1, (98 << 3) | 5, 1, 2, 3, 4])(x))])],
    ['a wire type that does not match the field', request([span([keyValue([raw([(1 << 3) | 0, 7]), key('tool.name'), value(anyString('t'))])], (x) => void raw([(5 << 3) | 0, 1])(x))])],
    ['field number 0', request([span([keyValue([key('input.value'), raw([0, 1])])])])],
    ['end group with no start', request([span([keyValue([key('input.value'), raw([(3 << 3) | 4])])])])],
    ['wire type 6', request([span([keyValue([key('input.value'), raw([(3 << 3) | 6])])])])],
    ['nesting within the limit, skipped', request([span([keyValue([key('input.value'), value(nested(40))])])])],
    ['nesting within the limit, kept', request([span([keyValue([key('llm.model_name'), value(nested(40))])])])],
    ['nesting past the limit, skipped', request([span([keyValue([key('input.value'), value(nested(60))])])])],
    ['nesting past the limit, kept', request([span([keyValue([key('llm.model_name'), value(nested(60))])])])],
    ['invalid UTF-8 in a short skipped value', request([span([keyValue([key('input.value'), value(msg(1, badUtf8(3)).finish())])])])],
    ['invalid UTF-8 in a long skipped value', request([span([keyValue([key('input.value'), value(msg(1, badUtf8(100)).finish())])])])],
    ['invalid UTF-8 in a skipped key', request([span([msg(1, Buffer.from([0xff, 0x41])).finish()])])],
    ['a length past the end of a skipped value', request([span([keyValue([key('input.value'), raw([(2 << 3) | 2, 9, (1 << 3) | 2, 50, 65])])])])],
    ['an id of the wrong length', request([span([], (x) => void x.uint32((4 << 3) | 2).bytes(Buffer.from('0102', 'hex')))])],
    ['a zero trace id', request([span([], (x) => void x.uint32((1 << 3) | 2).bytes(Buffer.alloc(16)))])],
    ['no times', request([span([], (x) => void raw([(7 << 3) | 1, 0, 0, 0, 0, 0, 0, 0, 0])(x))])],
    ['no request at all', new Uint8Array(0)],
    ['a key __proto__ is an attribute, not the prototype of the others', request([span([keyValue([key('__proto__'), value(msg(6, msg(1, keyValue([key('gen_ai.tool.name'), value(anyString('injected'))])).finish()).finish())])])])],
    ['a long key', request([span([keyValue([key('k'.repeat(300)), value(anyString('v'))]), keyValue([key('k'.repeat(300)), value(anyString('w'))])])])],
    ['kept scalars of every type, an empty value, a value with a field after it', request([span([
      keyValue([key('llm.token_count.prompt'), value(keyValue([raw([24, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1])]))]),
      keyValue([key('llm.cost.total'), value(keyValue([(x) => void x.uint32(33).double(0.125)]))]),
      keyValue([key('error.type'), value(keyValue([raw([16, 1])]))]),
      keyValue([key('tool.name'), value(new Uint8Array(0))]),
      keyValue([key('llm.model_name'), value(keyValue([(x) => void str(1, 'm', x), raw([(9 << 3) | 0, 1])]))]),
      keyValue([key('gen_ai.system'), value(keyValue([(x) => void str(1, 'a', x), (x) => void str(1, 'b', x)]))]),
    ])])],
    // The deepest value protobufjs decodes (its recursion limit, 100: the value sits at depth 5), and one deeper.
    ...[47, 48].flatMap((n): [string, Uint8Array][] => [
      [`nesting ${n} deep, skipped`, request([span([keyValue([key('input.value'), value(nested(n))])])])],
      [`nesting ${n} deep, kept`, request([span([keyValue([key('llm.model_name'), value(nested(n))])])])],
    ]),
  ];
  for (const [what, body] of cases) sameOutcome(body, what);
  // And the cases say what they should.
  const keep = attributeFilter({});
  const ok = (body: Uint8Array) => decodeOtlpProtobuf(body, keep).spans[0];
  assert.equal(ok(cases[0][1]).attributes['gen_ai.operation.name'], 'chat');
  assert.deepEqual(ok(cases[2][1]).attributes['llm.model_name'], ['a', 'b']);
  assert.equal(ok(cases[3][1]).attributes['llm.model_name'], 'last');
  assert.equal(ok(cases[6][1]).resource['service.name'], 'svc');
  assert.deepEqual(ok(cases[7][1]).status, { code: 1, message: 'first' });
  const proto = cases.find(([what]) => what.startsWith('a key __proto__'))![1];
  assert.equal(decodeOtlpProtobuf(proto).spans[0].attributes['gen_ai.tool.name'], undefined);
  assert.deepEqual(Object.keys(decodeOtlpProtobuf(proto).spans[0].attributes), ['__proto__']);
  assert.equal(extractSpan(decodeOtlpProtobuf(proto).spans[0]).tool, undefined);
  const json = JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: TRACE, spanId: SPAN, name: 'n', startTimeUnixNano: '1', endTimeUnixNano: '2', attributes: [{ key: '__proto__', value: { kvlistValue: { values: [{ key: 'gen_ai.tool.name', value: { stringValue: 'injected' } }] } } }] }] }] }] });
  assert.equal(extractSpan(decodeOtlpJsonText(json).spans[0]).tool, undefined, 'JSON alike');
  for (const i of [15, 16, 17, 18, 19, 20]) assert.throws(() => decodeOtlpProtobuf(cases[i][1], keep), /not a protobuf ExportTraceServiceRequest/, cases[i][0]);
  assert.throws(() => decodeOtlpProtobuf(cases[15][1], keep), /max depth exceeded/);
  assert.doesNotThrow(() => decodeOtlpProtobuf(cases[cases.length - 4][1], keep));
  assert.throws(() => decodeOtlpProtobuf(cases[cases.length - 2][1], keep), /max depth exceeded/);
});
