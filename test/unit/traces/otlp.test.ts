// OTLP decoding: JSON as the OTLP/HTTP JSON mapping allows it, protobuf through the written-out .proto messages,
// nanosecond times kept exact, bad spans rejected with a reason and good ones kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeOtlpJson, decodeOtlpJsonText, decodeOtlpProtobuf, encodeOtlpProtobuf, OtlpFormatError } from '../../../server/src/traces/otlp.ts';
import { OPENINFERENCE, SEMCONV } from './helpers.ts';

const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = 'eee19b7ec3c1b174';
const request = (spans: unknown[]) => ({ resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] }, scopeSpans: [{ scope: { name: 's' }, spans }] }] });
const span = (extra: Record<string, unknown> = {}) => ({ traceId: TRACE, spanId: SPAN, name: 'router', kind: 1, startTimeUnixNano: '1755000000000000001', endTimeUnixNano: '1755000000900000003', ...extra });

test('nanosecond times beyond 2^53 stay exact', () => {
  const r = decodeOtlpJson(request([span()]));
  assert.equal(r.spans[0].start, 1755000000000000001n);
  assert.equal(r.spans[0].end, 1755000000900000003n);
  assert.equal(r.spans[0].resource['service.name'], 'svc');
});

test('times and intValues as numbers are accepted too; enums as names', () => {
  const r = decodeOtlpJson(request([span({ startTimeUnixNano: 1755000000000000000, endTimeUnixNano: 1755000001000000000, kind: 'SPAN_KIND_CLIENT', status: { code: 'STATUS_CODE_ERROR', message: 'boom' }, attributes: [{ key: 'n', value: { intValue: 530 } }, { key: 's', value: { intValue: '942' } }, { key: 'big', value: { intValue: '9007199254740993' } }] })]));
  const s = r.spans[0];
  assert.equal(s.kind, 3);
  assert.deepEqual(s.status, { code: 2, message: 'boom' });
  assert.equal(s.attributes.n, 530);
  assert.equal(s.attributes.s, 942);
  assert.equal(s.attributes.big, '9007199254740993', 'an integer past 2^53 is kept as its decimal string');
  assert.equal(s.end - s.start, 1_000_000_000n);
});

test('every attribute value type, nested', () => {
  const r = decodeOtlpJson(request([span({ attributes: [
    { key: 'd', value: { doubleValue: 0.5 } },
    { key: 'b', value: { boolValue: true } },
    { key: 'a', value: { arrayValue: { values: [{ stringValue: 'x' }, { intValue: '2' }] } } },
    { key: 'kv', value: { kvlistValue: { values: [{ key: 'inner', value: { stringValue: 'y' } }] } } },
    { key: 'bytes', value: { bytesValue: 'AQI=' } },
    { key: 'empty', value: {} },
  ] })]));
  assert.deepEqual(r.spans[0].attributes, { d: 0.5, b: true, a: ['x', 2], kv: { inner: 'y' }, bytes: 'AQI=', empty: null });
});

test('ids in base64 (the protobuf JSON mapping) and snake_case keys are accepted', () => {
  const r = decodeOtlpJson({ resource_spans: [{ scope_spans: [{ spans: [{ trace_id: Buffer.from(TRACE, 'hex').toString('base64'), span_id: Buffer.from(SPAN, 'hex').toString('base64'), name: 'x', start_time_unix_nano: '1', end_time_unix_nano: '2' }] }] }] });
  assert.equal(r.spans[0].traceId, TRACE);
  assert.equal(r.spans[0].spanId, SPAN);
});

test('spans without valid ids or times are rejected with a reason; the others are kept', () => {
  const r = decodeOtlpJson(request([span(), span({ traceId: '00000000000000000000000000000000' }), span({ spanId: 'xyz' }), span({ startTimeUnixNano: 'soon' }), 42]));
  assert.equal(r.spans.length, 1);
  assert.equal(r.rejected, 4);
  assert.match(r.reasons[0], /traceId/);
  assert.match(r.reasons[1], /spanId/);
  assert.match(r.reasons[2], /startTimeUnixNano/);
});

test('an empty request is valid; a body that is not a trace request is an OtlpFormatError', () => {
  assert.equal(decodeOtlpJson({}).spans.length, 0);
  assert.equal(decodeOtlpJson({ somethingElse: 1 }).spans.length, 0);
  for (const bad of ['[1,2]', '"x"', '{"resourceSpans": 3}', '{"resourceSpans": [{"scopeSpans": "no"}]}', '{not json', '']) {
    assert.throws(() => decodeOtlpJsonText(bad), OtlpFormatError, bad);
  }
});

test('protobuf: encoding a JSON payload and decoding it gives the same spans as the JSON', () => {
  for (const file of [SEMCONV, OPENINFERENCE]) {
    const json = JSON.parse(readFileSync(file, 'utf8'));
    const fromJson = decodeOtlpJson(json);
    const fromPb = decodeOtlpProtobuf(encodeOtlpProtobuf(json));
    assert.equal(fromPb.spans.length, fromJson.spans.length);
    assert.equal(fromPb.rejected, 0);
    // Integers come back as numbers from both; everything else is identical.
    assert.deepEqual(fromPb.spans, fromJson.spans);
  }
});

test('protobuf garbage is an OtlpFormatError, not a crash', () => {
  let seed = 1;
  for (let i = 0; i < 200; i++) {
    const bytes = new Uint8Array(1 + (i % 64));
    for (let j = 0; j < bytes.length; j++) bytes[j] = (seed = (seed * 48271) % 2147483647) & 0xff;
    try {
      decodeOtlpProtobuf(bytes);
    } catch (e) {
      assert.ok(e instanceof OtlpFormatError, String(e));
    }
  }
});
