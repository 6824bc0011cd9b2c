// OTLP trace payloads -> TraceSpan[]. JSON (`application/json`, the OTLP/HTTP JSON mapping and the file
// exporter's lines) and protobuf (`application/x-protobuf`, decoded by protobufjs from the messages in
// otlpProto.ts). Lenient where the specification lets senders differ (ids in hex or base64, times and integers
// as strings or numbers, enums as numbers or names, snake_case keys), strict about what a span must have: a span
// without a valid trace id, span id or times is rejected, counted and reported in `partialSuccess`, never guessed.
import { isUtf8 } from 'node:buffer';
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

/**
 * Which attributes to keep, by key: those of spans, of their events and of their resources (the values of a
 * kept attribute are kept whole, nested lists included). The consumer says which keys it reads; absent, all.
 */
export type AttributeFilter = (key: string) => boolean;

/**
 * Sets an attribute as an own property: a key `__proto__` is an attribute like any other, never the object's
 * prototype (which would let a sender make every other attribute appear on it).
 */
function setAttribute(out: Attributes, key: string, value: AttrValue): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

function attributesOf(list: unknown, depth = 0, keep?: AttributeFilter): Attributes {
  const out: Attributes = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list) {
    if (!isObj(kv) || typeof kv.key !== 'string') continue;
    if (keep && !keep(kv.key)) continue;
    setAttribute(out, kv.key, anyValue(kv.value, depth));
  }
  return out;
}

function eventsOf(list: unknown, keep?: AttributeFilter): SpanEvent[] {
  if (!Array.isArray(list) || list.length === 0) return [];
  const out: SpanEvent[] = [];
  for (const e of list) {
    if (!isObj(e)) continue;
    out.push({ name: typeof e.name === 'string' ? e.name : '', time: nanosOf(get(e, 'timeUnixNano', 'time_unix_nano')), attributes: attributesOf(e.attributes, 0, keep) });
  }
  return out;
}

// --- the request -----------------------------------------------------------------------------------------------

/** Walks an ExportTraceServiceRequest (or TracesData: the same shape), from JSON or from protobufjs. */
function walk(request: unknown, keep?: AttributeFilter): DecodeResult {
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
    const resource = isObj(rs.resource) ? attributesOf(rs.resource.attributes, 0, keep) : {};
    const scopes = get(rs, 'scopeSpans', 'scope_spans') ?? get(rs, 'instrumentationLibrarySpans', 'instrumentation_library_spans');
    if (scopes === undefined || scopes === null) continue;
    if (!Array.isArray(scopes)) throw new OtlpFormatError('"scopeSpans" must be an array');
    for (const ss of scopes) {
      if (!isObj(ss)) throw new OtlpFormatError('each entry of "scopeSpans" must be an object');
      const list = ss.spans;
      if (list === undefined || list === null) continue;
      if (!Array.isArray(list)) throw new OtlpFormatError('"spans" must be an array');
      for (const s of list) {
        const span = spanOf(s, resource, reject, keep);
        if (span) spans.push(span);
      }
    }
  }
  return { spans, rejected, reasons };
}

function spanOf(s: unknown, resource: Attributes, reject: (reason: string) => void, keep?: AttributeFilter): TraceSpan | undefined {
  if (!isObj(s)) {
    reject('a span is not an object');
    return undefined;
  }
  return spanFrom({
    name: typeof s.name === 'string' ? s.name : '',
    traceId: get(s, 'traceId', 'trace_id'),
    spanId: get(s, 'spanId', 'span_id'),
    start: get(s, 'startTimeUnixNano', 'start_time_unix_nano'),
    end: get(s, 'endTimeUnixNano', 'end_time_unix_nano'),
    parentSpanId: get(s, 'parentSpanId', 'parent_span_id'),
    kind: s.kind,
    status: s.status,
  }, () => attributesOf(s.attributes, 0, keep), () => eventsOf(s.events, keep), resource, reject);
}

/** A span's fields as sent (JSON values or protobufjs's), before they are checked. */
interface RawSpan {
  readonly name: string;
  readonly traceId: unknown;
  readonly spanId: unknown;
  readonly start: unknown;
  readonly end: unknown;
  readonly parentSpanId: unknown;
  readonly kind: unknown;
  readonly status: unknown;
}

function spanFrom(s: RawSpan, attributes: () => Attributes, events: () => SpanEvent[], resource: Attributes, reject: (reason: string) => void): TraceSpan | undefined {
  const name = s.name;
  const traceId = idOf(s.traceId, 16);
  if (!traceId) {
    reject(`span "${name.slice(0, 80)}" has no valid traceId (32 hex digits, not all zero)`);
    return undefined;
  }
  const spanId = idOf(s.spanId, 8);
  if (!spanId) {
    reject(`span "${name.slice(0, 80)}" has no valid spanId (16 hex digits, not all zero)`);
    return undefined;
  }
  const start = nanosOf(s.start);
  const end = nanosOf(s.end);
  if (start === undefined || end === undefined || start === 0n) {
    reject(`span "${name.slice(0, 80)}" (${spanId}) has no valid startTimeUnixNano/endTimeUnixNano (nanoseconds since the epoch)`);
    return undefined;
  }
  const parentRaw = s.parentSpanId;
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
    attributes: attributes(),
    events: events(),
    resource,
  };
  if (parentSpanId) span.parentSpanId = parentSpanId;
  return span;
}

/** Decodes a parsed OTLP JSON request (`ExportTraceServiceRequest` or `TracesData`). Throws OtlpFormatError when it is none. */
export function decodeOtlpJson(value: unknown, keep?: AttributeFilter): DecodeResult {
  return walk(value, keep);
}

/** Parses and decodes an OTLP JSON body. Throws OtlpFormatError on invalid JSON. */
export function decodeOtlpJsonText(text: string, keep?: AttributeFilter): DecodeResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new OtlpFormatError(`the body is not valid JSON: ${(e as Error).message}`);
  }
  return walk(value, keep);
}

// --- protobuf --------------------------------------------------------------------------------------------------

interface ProtoTypes {
  request: protobuf.Type;
  anyValue: protobuf.Type;
  response: protobuf.Type;
  status: protobuf.Type;
}
let types: ProtoTypes | undefined;

function protoTypes(): ProtoTypes {
  if (!types) {
    const root = protobuf.parse(OTLP_TRACE_PROTO, { keepCase: false }).root;
    types = {
      request: root.lookupType('opentelemetry.proto.ExportTraceServiceRequest'),
      anyValue: root.lookupType('opentelemetry.proto.AnyValue').setup(),
      response: root.lookupType('opentelemetry.proto.ExportTraceServiceResponse'),
      status: root.lookupType('opentelemetry.proto.RpcStatus'),
    };
  }
  return types;
}

/**
 * Decodes an `application/x-protobuf` ExportTraceServiceRequest. Throws OtlpFormatError when the bytes are not
 * one. With `keep`, only the attributes kept are decoded, the others skipped (and checked all the same).
 */
export function decodeOtlpProtobuf(body: Uint8Array, keep?: AttributeFilter): DecodeResult {
  let message: unknown;
  try {
    if (keep) return decodeSkimming(body, keep);
    message = protoTypes().request.decode(body);
  } catch (e) {
    throw new OtlpFormatError(`the body is not a protobuf ExportTraceServiceRequest: ${(e as Error).message}`);
  }
  return walk(message);
}

// --- protobuf, reading only the attributes kept -----------------------------------------------------------------
//
// The receiver's path when its consumer names the attributes it reads: the wire format read straight into
// TraceSpans with protobufjs's Reader, every attribute that is not kept skipped without making its strings. What
// is skipped is still checked as protobufjs's decode checks it (lengths, wire types, nesting depth, UTF-8), with
// protobufjs's own reads and errors: a body is rejected here exactly when `decodeOtlpProtobuf` rejects it, with
// the same message, and the spans are those it gives minus the attributes not kept (otlpSkim.test.ts compares
// the two on the recorded fixtures and on mutated bodies).

type Reader = protobuf.Reader;
const utf8 = (protobuf.util as unknown as { utf8: { readStrict(b: Uint8Array, start: number, end: number): string } }).utf8;
const recursionLimit = (): number => (protobuf.Reader as unknown as { recursionLimit: number }).recursionLimit;

/** What protobufjs reads of a field this decoder skips: a scalar's reader, or a message's fields by number. */
type Skim = 'string' | 'bytes' | 'uint32' | 'int64' | 'bool' | 'fixed64' | 'fixed32' | 'double' | SkimMessage;
type SkimMessage = (Skim | undefined)[];

const ANY_VALUE: SkimMessage = [undefined, 'string', 'bool', 'int64', 'double', undefined, undefined, 'bytes'];
const KEY_VALUE: SkimMessage = [undefined, 'string', ANY_VALUE];
ANY_VALUE[5] = [undefined, ANY_VALUE]; // ArrayValue
ANY_VALUE[6] = [undefined, KEY_VALUE]; // KeyValueList
const SCOPE: SkimMessage = [undefined, 'string', 'string', KEY_VALUE, 'uint32'];
const LINK: SkimMessage = [undefined, 'bytes', 'bytes', 'string', KEY_VALUE, 'uint32', 'fixed32'];

const wireOf = (k: Skim): number => (typeof k !== 'string' || k === 'string' || k === 'bytes' ? 2 : k === 'fixed64' || k === 'double' ? 1 : k === 'fixed32' ? 5 : 0);

/** Enters a length-delimited message at depth `q` as protobufjs's decoders do; returns the outer limit. */
function enter(r: Reader, q: number): number {
  const l = r.size();
  if (q > recursionLimit()) throw Error('max depth exceeded');
  const c = r.pos + l;
  if (c > r.len) throw RangeError('index out of range');
  const outer = r.len;
  r.len = c;
  return outer;
}

function leave(r: Reader, outer: number): void {
  if (r.pos !== r.len) throw RangeError('index out of range');
  r.len = outer;
}

const isAsciiRange = (b: Uint8Array, start: number, end: number): boolean => {
  for (let i = start; i < end; i++) if (b[i] >= 0x80) return false;
  return true;
};

/** Skips a string as `stringVerify` reads it: within bounds, valid UTF-8 (else protobufjs's own read throws its error). */
function skimString(r: Reader): void {
  const n = r.size();
  const start = r.pos;
  r.skip(n);
  const end = start + n;
  if (n > 0 && !(n < 32 ? isAsciiRange(r.buf, start, end) : false) && !isUtf8(r.buf.subarray(start, end))) utf8.readStrict(r.buf, start, end);
}

function skimField(r: Reader, k: Skim, q: number): void {
  switch (k) {
    case 'string': return skimString(r);
    case 'bytes': return void r.skip(r.size());
    case 'uint32': return void r.uint32();
    case 'int64': return void r.int64();
    case 'bool': return void r.bool();
    case 'fixed64': return void r.fixed64();
    case 'fixed32': return void r.fixed32();
    case 'double': return void r.double();
    default: return skimMessage(r, k, q + 1);
  }
}

/** Skips a message of `schema` at depth `q`, checking what protobufjs's decoder would. */
function skimMessage(r: Reader, schema: SkimMessage, q: number): void {
  const outer = enter(r, q);
  while (r.pos < r.len) {
    const t = r.tag();
    const f = t >>> 3;
    const u = t & 7;
    const k = schema[f];
    if (k !== undefined && u === wireOf(k)) skimField(r, k, q);
    else r.skipType(u, q, f);
  }
  leave(r, outer);
}

interface Skimming {
  readonly keep: AttributeFilter;
  readonly anyValue: protobuf.Type;
  /** A second reader over the body, to decode a kept value again. */
  readonly again: Reader;
  readonly spans: TraceSpan[];
  reject(reason: string): void;
}

type MessageDecoder = (r: Reader, l: number, z: undefined, q: number, into: unknown) => unknown;

/** Attribute keys read before, by a hash of their bytes: the spans of one batch repeat the same few dozen keys. */
const KEYS = new Map<number, string>();
const MAX_KEYS = 4096;
/** Longer keys are not kept in KEYS (its memory stays under a megabyte whatever is sent). */
const MAX_KEY_BYTES = 200;

/** A key as `stringVerify` reads it (the same string, the same errors), without making it again when known. */
function keyOf(r: Reader): string {
  const n = r.size();
  const start = r.pos;
  r.skip(n);
  const b = r.buf;
  const end = start + n;
  if (n > MAX_KEY_BYTES) return utf8.readStrict(b, start, end);
  let h = n;
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c >= 0x80) return utf8.readStrict(b, start, end);
    h = (Math.imul(h, 31) + c) | 0;
  }
  const known = KEYS.get(h);
  if (known !== undefined && known.length === n) {
    let i = 0;
    while (i < n && known.charCodeAt(i) === b[start + i]) i++;
    if (i === n) return known;
  }
  const key = utf8.readStrict(b, start, end);
  if (KEYS.size >= MAX_KEYS) KEYS.clear();
  KEYS.set(h, key);
  return key;
}

/**
 * A kept attribute's value (already checked by `skimMessage`), as `anyValue` turns protobufjs's message into
 * one: a value that is one scalar field is read directly, any other (lists, repeated fields) by protobufjs.
 */
function keptValue(k: Skimming, at: number, more: number[] | undefined, q: number): AttrValue {
  const r = k.again;
  r.pos = at;
  r.len = r.buf.length;
  if (!more) {
    const end = r.size() + r.pos;
    if (r.pos === end) return null;
    const t = r.tag();
    const v = t === 10 ? r.stringVerify() : t === 24 ? intOf(r.int64()) : t === 33 ? r.double() : t === 16 ? r.bool() : undefined;
    if (v !== undefined && r.pos === end) return v;
    r.pos = at;
  }
  // Decoded by protobufjs itself, a repeated value merged into the one before as there.
  const decode = k.anyValue.decode as unknown as MessageDecoder;
  let value: unknown = null;
  for (const p of more ? [at, ...more] : [at]) {
    r.pos = p;
    r.len = r.buf.length;
    value = decode(r, r.size(), undefined, q, value ?? undefined);
  }
  return anyValue(value, 0);
}

/** A KeyValue at depth `q` into `out` when its key is kept (its value as `walk` would see it). */
function keyValueInto(r: Reader, q: number, out: Attributes, k: Skimming): void {
  const outer = enter(r, q);
  let key = '';
  let first = -1;
  let more: number[] | undefined;
  while (r.pos < r.len) {
    const t = r.tag();
    const f = t >>> 3;
    const u = t & 7;
    if (f === 1 && u === 2) key = keyOf(r);
    else if (f === 2 && u === 2) {
      if (first < 0) first = r.pos;
      else (more ??= []).push(r.pos);
      skimMessage(r, ANY_VALUE, q + 1);
    } else r.skipType(u, q, f);
  }
  leave(r, outer);
  if (!k.keep(key)) return;
  setAttribute(out, key, first < 0 ? null : keptValue(k, first, more, q + 1));
}

function resourceInto(r: Reader, q: number, out: Attributes, k: Skimming): void {
  const outer = enter(r, q);
  while (r.pos < r.len) {
    const t = r.tag();
    const f = t >>> 3;
    const u = t & 7;
    if (f === 1 && u === 2) keyValueInto(r, q + 1, out, k);
    else if (f === 2 && u === 0) r.uint32();
    else r.skipType(u, q, f);
  }
  leave(r, outer);
}

/** A range of the body read as `bytes`: its bytes, empty when absent (protobufjs's default). */
function bytesAt(r: Reader): Uint8Array {
  const n = r.size();
  const start = r.pos;
  r.skip(n);
  return r.buf.subarray(start, start + n);
}

const NO_BYTES = new Uint8Array(0);
const ZERO_LONG = { low: 0, high: 0 };

function eventOf(r: Reader, q: number, k: Skimming): SpanEvent {
  const outer = enter(r, q);
  let name = '';
  let time: unknown = ZERO_LONG;
  const attributes: Attributes = {};
  while (r.pos < r.len) {
    const t = r.tag();
    const f = t >>> 3;
    const u = t & 7;
    if (f === 1 && u === 1) time = r.fixed64();
    else if (f === 2 && u === 2) name = r.stringVerify();
    else if (f === 3 && u === 2) keyValueInto(r, q + 1, attributes, k);
    else if (f === 4 && u === 0) r.uint32();
    else r.skipType(u, q, f);
  }
  leave(r, outer);
  return { name, time: nanosOf(time), attributes };
}

function spanSkimmed(r: Reader, q: number, resource: Attributes, k: Skimming): void {
  const outer = enter(r, q);
  let name = '';
  let traceId: Uint8Array = NO_BYTES;
  let spanId: Uint8Array = NO_BYTES;
  let parentSpanId: Uint8Array = NO_BYTES;
  let start: unknown = ZERO_LONG;
  let end: unknown = ZERO_LONG;
  let kind = 0;
  let status: { code: number; message: string } | undefined;
  const attributes: Attributes = {};
  const events: SpanEvent[] = [];
  while (r.pos < r.len) {
    const t = r.tag();
    const f = t >>> 3;
    const u = t & 7;
    switch (f) {
      case 1: if (u !== 2) break; traceId = bytesAt(r); continue;
      case 2: if (u !== 2) break; spanId = bytesAt(r); continue;
      case 3: if (u !== 2) break; skimString(r); continue;
      case 4: if (u !== 2) break; parentSpanId = bytesAt(r); continue;
      case 5: if (u !== 2) break; name = r.stringVerify(); continue;
      case 6: if (u !== 0) break; kind = r.int32(); continue;
      case 7: if (u !== 1) break; start = r.fixed64(); continue;
      case 8: if (u !== 1) break; end = r.fixed64(); continue;
      case 9: if (u !== 2) break; keyValueInto(r, q + 1, attributes, k); continue;
      case 11: if (u !== 2) break; events.push(eventOf(r, q + 1, k)); continue;
      case 13: if (u !== 2) break; skimMessage(r, LINK, q + 1); continue;
      case 15: {
        if (u !== 2) break;
        // A repeated status merges into the one before, as protobufjs decodes it.
        status ??= { code: 0, message: '' };
        const so = enter(r, q + 1);
        while (r.pos < r.len) {
          const st = r.tag();
          const sf = st >>> 3;
          const su = st & 7;
          if (sf === 2 && su === 2) status.message = r.stringVerify();
          else if (sf === 3 && su === 0) status.code = r.int32();
          else r.skipType(su, q + 1, sf);
        }
        leave(r, so);
        continue;
      }
      case 16: if (u !== 5) break; r.fixed32(); continue;
      case 10: case 12: case 14: if (u !== 0) break; r.uint32(); continue;
    }
    r.skipType(u, q, f);
  }
  leave(r, outer);
  const span = spanFrom({ name, traceId, spanId, start, end, parentSpanId, kind, status }, () => attributes, () => events, resource, k.reject);
  if (span) k.spans.push(span);
}

function scopeSpansSkimmed(r: Reader, q: number, resource: Attributes, k: Skimming): void {
  const outer = enter(r, q);
  while (r.pos < r.len) {
    const t = r.tag();
    const f = t >>> 3;
    const u = t & 7;
    if (f === 2 && u === 2) spanSkimmed(r, q + 1, resource, k);
    else if (f === 1 && u === 2) skimMessage(r, SCOPE, q + 1);
    else if (f === 3 && u === 2) skimString(r);
    else r.skipType(u, q, f);
  }
  leave(r, outer);
}

function resourceSpansSkimmed(r: Reader, q: number, k: Skimming): void {
  const outer = enter(r, q);
  // Shared by its spans; the resource may come after them on the wire.
  const resource: Attributes = {};
  while (r.pos < r.len) {
    const t = r.tag();
    const f = t >>> 3;
    const u = t & 7;
    if (f === 2 && u === 2) scopeSpansSkimmed(r, q + 1, resource, k);
    else if (f === 1 && u === 2) resourceInto(r, q + 1, resource, k);
    else if (f === 3 && u === 2) skimString(r);
    else r.skipType(u, q, f);
  }
  leave(r, outer);
}

function decodeSkimming(body: Uint8Array, keep: AttributeFilter): DecodeResult {
  const spans: TraceSpan[] = [];
  const reasons: string[] = [];
  let rejected = 0;
  const k: Skimming = {
    keep,
    anyValue: protoTypes().anyValue,
    again: protobuf.Reader.create(body),
    spans,
    reject: (reason) => {
      rejected++;
      if (reasons.length < MAX_REASONS) reasons.push(reason);
    },
  };
  const r = protobuf.Reader.create(body);
  while (r.pos < r.len) {
    const t = r.tag();
    const f = t >>> 3;
    const u = t & 7;
    if (f === 1 && u === 2) resourceSpansSkimmed(r, 1, k);
    else r.skipType(u, 0, f);
  }
  return { spans, rejected, reasons };
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
