// OTLP trace payloads -> TraceSpan[]. JSON (`application/json`, the OTLP/HTTP JSON mapping and the file
// exporter's lines) and protobuf (`application/x-protobuf`, decoded by protobufjs from the messages in
// otlpProto.ts). Lenient where the specification lets senders differ (ids in hex or base64, times and integers
// as strings or numbers, enums as numbers or names, snake_case keys), strict about what a span must have: a span
// without a valid trace id, span id or times is rejected, counted and reported in `partialSuccess`, never guessed.
import protobuf from 'protobufjs';
import { OTLP_TRACE_PROTO } from './otlpProto.ts';
import type { AttrValue, Attributes, SpanEvent, StatusCode, TraceSpan } from './model.ts';

/** A payload that is not an OTLP trace request at all (answered 400). */
export class OtlpFormatError extends Error {}

export interface DecodeResult {
  readonly spans: TraceSpan[];
  /** Spans that were present but unusable. */
  readonly rejected: number;
  /** The first few reasons for the rejected spans. */
  readonly reasons: string[];
}

const MAX_REASONS = 5;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = Object.prototype.hasOwnProperty;
const get = (o: Obj, camel: string, snake: string): unknown => (o[camel] !== undefined ? o[camel] : o[snake]);

// --- ids -------------------------------------------------------------------------------------------------------

const HEX = /^[0-9a-fA-F]+$/;
const BYTE_HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function bytesToHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += BYTE_HEX[b[i]];
  return s;
}

/** A trace or span id as lower-case hex of `bytes` bytes; undefined when absent, malformed or all zero. */
function idOf(v: unknown, bytes: number): string | undefined {
  let hex: string | undefined;
  if (typeof v === 'string') {
    if (v.length === bytes * 2 && HEX.test(v)) hex = v.toLowerCase();
    else if (v.length > 0 && v.length <= 44) {
      // The protobuf JSON mapping spells bytes in base64; some exporters follow it.
      const b = Buffer.from(v, 'base64');
      if (b.length === bytes) hex = bytesToHex(b);
    }
  } else if (v instanceof Uint8Array && v.length === bytes) hex = bytesToHex(v);
  if (!hex || /^0+$/.test(hex)) return undefined;
  return hex;
}

// --- numbers ---------------------------------------------------------------------------------------------------

const DIGITS = /^\d{1,30}$/;

interface LongLike {
  low: number;
  high: number;
}
const isLong = (v: unknown): v is LongLike => isObj(v) && typeof v.low === 'number' && typeof v.high === 'number';

/** Nanoseconds since the epoch, exactly: decimal strings, numbers (already rounded by the sender's JSON), protobuf longs. */
function nanosOf(v: unknown): bigint | undefined {
  if (typeof v === 'string') return DIGITS.test(v) ? BigInt(v) : undefined;
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? BigInt(Math.trunc(v)) : undefined;
  if (typeof v === 'bigint') return v >= 0n ? v : undefined;
  if (isLong(v)) return (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
  return undefined;
}

/** An `intValue`: a number when exact, else its decimal string. */
function intOf(v: unknown): AttrValue {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : null;
  if (typeof v === 'string') {
    if (!/^-?\d{1,30}$/.test(v)) return null;
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : v;
  }
  if (isLong(v)) {
    const big = BigInt.asIntN(64, (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0));
    const n = Number(big);
    return Number.isSafeInteger(n) ? n : big.toString();
  }
  return null;
}

function doubleOf(v: unknown): AttrValue {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const n = Number(v);
    return Number.isNaN(n) && v !== 'NaN' ? null : n;
  }
  return null;
}

const KIND_NAMES: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0, SPAN_KIND_INTERNAL: 1, SPAN_KIND_SERVER: 2, SPAN_KIND_CLIENT: 3, SPAN_KIND_PRODUCER: 4, SPAN_KIND_CONSUMER: 5,
};
const STATUS_NAMES: Record<string, StatusCode> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };

function enumOf(v: unknown, names: Record<string, number>): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string') return names[v] ?? (DIGITS.test(v) ? Number(v) : 0);
  return 0;
}

// --- attributes ------------------------------------------------------------------------------------------------

const MAX_DEPTH = 8;

function anyValue(v: unknown, depth = 0): AttrValue {
  if (!isObj(v) || depth > MAX_DEPTH) return null;
  if (own.call(v, 'stringValue') || own.call(v, 'string_value')) {
    const s = get(v, 'stringValue', 'string_value');
    return typeof s === 'string' ? s : s == null ? '' : String(s);
  }
  if (own.call(v, 'intValue') || own.call(v, 'int_value')) return intOf(get(v, 'intValue', 'int_value'));
  if (own.call(v, 'doubleValue') || own.call(v, 'double_value')) return doubleOf(get(v, 'doubleValue', 'double_value'));
  if (own.call(v, 'boolValue') || own.call(v, 'bool_value')) return get(v, 'boolValue', 'bool_value') === true;
  if (own.call(v, 'arrayValue') || own.call(v, 'array_value')) {
    const a = get(v, 'arrayValue', 'array_value');
    const values = isObj(a) && Array.isArray(a.values) ? a.values : [];
    return values.map((x) => anyValue(x, depth + 1));
  }
  if (own.call(v, 'kvlistValue') || own.call(v, 'kvlist_value')) {
    const l = get(v, 'kvlistValue', 'kvlist_value');
    return attributesOf(isObj(l) ? l.values : undefined, depth + 1);
  }
  if (own.call(v, 'bytesValue') || own.call(v, 'bytes_value')) {
    const b = get(v, 'bytesValue', 'bytes_value');
    return b instanceof Uint8Array ? Buffer.from(b).toString('base64') : typeof b === 'string' ? b : null;
  }
  return null;
}

function attributesOf(list: unknown, depth = 0): Attributes {
  const out: Attributes = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list) {
    if (!isObj(kv) || typeof kv.key !== 'string') continue;
    out[kv.key] = anyValue(kv.value, depth);
  }
  return out;
}

function eventsOf(list: unknown): SpanEvent[] {
  if (!Array.isArray(list) || list.length === 0) return [];
  const out: SpanEvent[] = [];
  for (const e of list) {
    if (!isObj(e)) continue;
    out.push({ name: typeof e.name === 'string' ? e.name : '', time: nanosOf(get(e, 'timeUnixNano', 'time_unix_nano')), attributes: attributesOf(e.attributes) });
  }
  return out;
}

// --- the request -----------------------------------------------------------------------------------------------

/** Walks an ExportTraceServiceRequest (or TracesData: the same shape), from JSON or from protobufjs. */
function walk(request: unknown): DecodeResult {
  if (!isObj(request)) throw new OtlpFormatError('the body is not an OTLP trace request: expected a JSON object with "resourceSpans"');
  const spans: TraceSpan[] = [];
  const reasons: string[] = [];
  let rejected = 0;
  const reject = (reason: string) => {
    rejected++;
    if (reasons.length < MAX_REASONS) reasons.push(reason);
  };
  const resourceSpans = get(request, 'resourceSpans', 'resource_spans');
  if (resourceSpans === undefined || resourceSpans === null) return { spans, rejected, reasons };
  if (!Array.isArray(resourceSpans)) throw new OtlpFormatError('"resourceSpans" must be an array');
  for (const rs of resourceSpans) {
    if (!isObj(rs)) throw new OtlpFormatError('each entry of "resourceSpans" must be an object');
    const resource = isObj(rs.resource) ? attributesOf(rs.resource.attributes) : {};
    const scopes = get(rs, 'scopeSpans', 'scope_spans') ?? get(rs, 'instrumentationLibrarySpans', 'instrumentation_library_spans');
    if (scopes === undefined || scopes === null) continue;
    if (!Array.isArray(scopes)) throw new OtlpFormatError('"scopeSpans" must be an array');
    for (const ss of scopes) {
      if (!isObj(ss)) throw new OtlpFormatError('each entry of "scopeSpans" must be an object');
      const list = ss.spans;
      if (list === undefined || list === null) continue;
      if (!Array.isArray(list)) throw new OtlpFormatError('"spans" must be an array');
      for (const s of list) {
        const span = spanOf(s, resource, reject);
        if (span) spans.push(span);
      }
    }
  }
  return { spans, rejected, reasons };
}

function spanOf(s: unknown, resource: Attributes, reject: (reason: string) => void): TraceSpan | undefined {
  if (!isObj(s)) {
    reject('a span is not an object');
    return undefined;
  }
  const name = typeof s.name === 'string' ? s.name : '';
  const traceId = idOf(get(s, 'traceId', 'trace_id'), 16);
  if (!traceId) {
    reject(`span "${name.slice(0, 80)}" has no valid traceId (32 hex digits, not all zero)`);
    return undefined;
  }
  const spanId = idOf(get(s, 'spanId', 'span_id'), 8);
  if (!spanId) {
    reject(`span "${name.slice(0, 80)}" has no valid spanId (16 hex digits, not all zero)`);
    return undefined;
  }
  const start = nanosOf(get(s, 'startTimeUnixNano', 'start_time_unix_nano'));
  const end = nanosOf(get(s, 'endTimeUnixNano', 'end_time_unix_nano'));
  if (start === undefined || end === undefined || start === 0n) {
    reject(`span "${name.slice(0, 80)}" (${spanId}) has no valid startTimeUnixNano/endTimeUnixNano (nanoseconds since the epoch)`);
    return undefined;
  }
  const parentRaw = get(s, 'parentSpanId', 'parent_span_id');
  const parentSpanId = parentRaw === undefined || parentRaw === '' || (parentRaw instanceof Uint8Array && parentRaw.length === 0) ? undefined : idOf(parentRaw, 8);
  const st = isObj(s.status) ? s.status : undefined;
  const code = st ? enumOf(st.code, STATUS_NAMES) : 0;
  const message = st && typeof st.message === 'string' && st.message !== '' ? st.message : undefined;
  const span: { -readonly [K in keyof TraceSpan]: TraceSpan[K] } = {
    traceId,
    spanId,
    name,
    kind: enumOf(s.kind, KIND_NAMES),
    start,
    end: end < start ? start : end,
    status: message ? { code: code === 2 ? 2 : code === 1 ? 1 : 0, message } : { code: code === 2 ? 2 : code === 1 ? 1 : 0 },
    attributes: attributesOf(s.attributes),
    events: eventsOf(s.events),
    resource,
  };
  if (parentSpanId) span.parentSpanId = parentSpanId;
  return span;
}

/** Decodes a parsed OTLP JSON request (`ExportTraceServiceRequest` or `TracesData`). Throws OtlpFormatError when it is none. */
export function decodeOtlpJson(value: unknown): DecodeResult {
  return walk(value);
}

/** Parses and decodes an OTLP JSON body. Throws OtlpFormatError on invalid JSON. */
export function decodeOtlpJsonText(text: string): DecodeResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new OtlpFormatError(`the body is not valid JSON: ${(e as Error).message}`);
  }
  return walk(value);
}

// --- protobuf --------------------------------------------------------------------------------------------------

interface ProtoTypes {
  request: protobuf.Type;
  response: protobuf.Type;
  status: protobuf.Type;
}
let types: ProtoTypes | undefined;

function protoTypes(): ProtoTypes {
  if (!types) {
    const root = protobuf.parse(OTLP_TRACE_PROTO, { keepCase: false }).root;
    types = {
      request: root.lookupType('opentelemetry.proto.ExportTraceServiceRequest'),
      response: root.lookupType('opentelemetry.proto.ExportTraceServiceResponse'),
      status: root.lookupType('opentelemetry.proto.RpcStatus'),
    };
  }
  return types;
}

/** Decodes an `application/x-protobuf` ExportTraceServiceRequest. Throws OtlpFormatError when the bytes are not one. */
export function decodeOtlpProtobuf(body: Uint8Array): DecodeResult {
  let message: unknown;
  try {
    message = protoTypes().request.decode(body);
  } catch (e) {
    throw new OtlpFormatError(`the body is not a protobuf ExportTraceServiceRequest: ${(e as Error).message}`);
  }
  return walk(message);
}

/** The ExportTraceServiceResponse for a request: empty when every span was accepted. */
export function otlpResponse(rejected: number, errorMessage: string): { json: Obj; protobuf: Uint8Array } {
  const json: Obj = rejected > 0 || errorMessage ? { partialSuccess: { rejectedSpans: String(rejected), errorMessage } } : {};
  const t = protoTypes().response;
  const pb = t.encode(t.fromObject(rejected > 0 || errorMessage ? { partialSuccess: { rejectedSpans: rejected, errorMessage } } : {})).finish();
  return { json, protobuf: pb };
}

/** An OTLP/HTTP error body (google.rpc.Status): `code` is a gRPC code (3 invalid argument, 8 resource exhausted). */
export function otlpErrorStatus(code: number, message: string): { json: Obj; protobuf: Uint8Array } {
  const t = protoTypes().status;
  return { json: { code, message }, protobuf: t.encode(t.fromObject({ code, message })).finish() };
}

/** Decodes an error body (for tests). */
export function decodeOtlpErrorStatus(body: Uint8Array): { code: number; message: string } {
  const t = protoTypes().status;
  const m = t.toObject(t.decode(body), { defaults: true }) as { code: number; message: string };
  return { code: m.code, message: m.message };
}

/** Decodes an ExportTraceServiceResponse (for tests and the bench). */
export function decodeOtlpResponse(body: Uint8Array): { rejectedSpans: number; errorMessage: string } {
  const m = protoTypes().response.toObject(protoTypes().response.decode(body), { longs: Number, defaults: true }) as { partialSuccess?: { rejectedSpans?: number; errorMessage?: string } };
  return { rejectedSpans: Number(m.partialSuccess?.rejectedSpans ?? 0), errorMessage: m.partialSuccess?.errorMessage ?? '' };
}

/**
 * Encodes an OTLP JSON request as protobuf, as a Python exporter would send it (for tests and the bench; the
 * product only decodes). Ids are hex strings in the JSON mapping and bytes on the wire.
 */
export function encodeOtlpProtobuf(request: unknown): Uint8Array {
  const toWire = (v: unknown, key = ''): unknown => {
    if (Array.isArray(v)) return v.map((x) => toWire(x));
    if (!isObj(v)) {
      if (typeof v === 'string' && (key === 'traceId' || key === 'spanId' || key === 'parentSpanId')) return Buffer.from(v, 'hex');
      return v;
    }
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) out[k] = toWire(x, k);
    return out;
  };
  const t = protoTypes().request;
  return t.encode(t.fromObject(toWire(request) as Obj)).finish();
}
