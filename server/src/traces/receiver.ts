// The OTLP/HTTP trace receiver: `POST /v1/traces` on 127.0.0.1 only, JSON and protobuf bodies, gzip or
// deflate. Whatever arrives, it answers and goes on: a body over the limit gets 413, one that is not an OTLP
// trace request 400 with the reason, an unknown content type or encoding 415, headers that take too long 408 and
// headers too large 431, spans that cannot be used are counted in `partialSuccess`. It runs in the language server process, never in the extension host.
import { isAscii } from 'node:buffer';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { gunzip, inflate, type InputType } from 'node:zlib';
import { promisify } from 'node:util';
import type { TraceSpan } from './model.ts';
import { decodeOtlpJsonText, decodeOtlpProtobuf, otlpErrorStatus, otlpResponse, OtlpFormatError, type AttributeFilter, type DecodeResult } from './otlp.ts';

const gunzipAsync = promisify(gunzip) as (b: InputType, o: object) => Promise<Buffer>;
const inflateAsync = promisify(inflate) as (b: InputType, o: object) => Promise<Buffer>;

export const DEFAULT_PORT = 4318;
export const LOOPBACK = '127.0.0.1';
export const DEFAULT_MAX_BODY = 32 * 1024 * 1024;
/** The largest request head accepted (Node's default); past it, 431. */
export const MAX_HEADER_BYTES = 16 * 1024;

export interface ReceiverOptions {
  readonly port: number;
  /** The largest body accepted, compressed and decompressed alike (bytes). */
  readonly maxBodyBytes?: number;
  /** Called with the spans of each accepted request. An exception is answered 500 and counted; the receiver goes on. */
  readonly onSpans: (spans: TraceSpan[]) => void;
  /**
   * The attributes `onSpans` reads, by key: only those are decoded, the others skipped (and checked all the
   * same, so a body is accepted or rejected as without it). Absent: every attribute.
   */
  readonly keepAttribute?: AttributeFilter;
  /** How long a client may take (milliseconds): its headers (default 10 s), its whole request (default 30 s). */
  readonly timeouts?: { readonly headersMs?: number; readonly requestMs?: number };
}

export interface ReceiverCounters {
  requests: number;
  spans: number;
  rejectedSpans: number;
  /** 400: not an OTLP trace request. */
  malformed: number;
  /** 413: over the size limit. */
  tooLarge: number;
  /** 415: a content type or encoding that is not OTLP's. */
  unsupported: number;
  /** 404/405: another path or method. */
  notFound: number;
  /** 500: the consumer failed. */
  failed: number;
  /** 408, 431 or 400 before a request could be read: too slow, headers too large, not HTTP. */
  clientErrors: number;
}

/** Why the receiver could not start, in words a user can act on. */
export class ReceiverStartError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

type Body = { kind: 'json' | 'protobuf' };

export class OtlpReceiver {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private boundPort: number | undefined;
  readonly counters: ReceiverCounters = { requests: 0, spans: 0, rejectedSpans: 0, malformed: 0, tooLarge: 0, unsupported: 0, notFound: 0, failed: 0, clientErrors: 0 };
  /** The last few reasons for 400 answers, for the status. */
  readonly lastProblems: string[] = [];
  private readonly maxBody: number;

  constructor(private readonly options: ReceiverOptions) {
    this.maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  }

  get port(): number | undefined {
    return this.boundPort;
  }

  get listening(): boolean {
    return this.server?.listening === true;
  }

  /** Listens on 127.0.0.1:`port` (0: any free port). Rejects with ReceiverStartError when it cannot. */
  start(): Promise<number> {
    if (this.server) return Promise.resolve(this.boundPort!);
    const port = this.options.port;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      return Promise.reject(new ReceiverStartError('EINVAL', `${port} is not a port number: set agentgraph.traces.port to a number between 1024 and 65535 (default ${DEFAULT_PORT})`));
    }
    const requestTimeout = this.options.timeouts?.requestMs ?? 30_000;
    const headersTimeout = Math.min(this.options.timeouts?.headersMs ?? 10_000, requestTimeout);
    // Timeouts are checked every connectionsCheckingInterval (Node's default, 30 s, would let a header timeout of
    // 10 s wait up to 40 s).
    const connectionsCheckingInterval = Math.max(10, Math.min(1_000, Math.floor(headersTimeout / 4)));
    const server = createServer({ requestTimeout, headersTimeout, keepAliveTimeout: 5_000, connectionsCheckingInterval, maxHeaderSize: MAX_HEADER_BYTES }, (req, res) => {
      this.handle(req, res).catch(() => {
        // handle() answers every failure itself; this is the last guard.
        this.counters.failed++;
        safeEnd(res, 500, 'text/plain', 'internal error');
      });
    });
    server.maxHeadersCount = 100;
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => undefined);
    });
    server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket & { _httpMessage?: ServerResponse }) => {
      // As Node's own answer: a status only when no answer of ours has begun on this connection (and the client
      // is still there: a connection it closed mid-request ends with HPE_INVALID_EOF_STATE and no answer).
      const inFlight = socket._httpMessage;
      if (socket.writable && (!inFlight || !inFlight.headersSent)) {
        this.counters.clientErrors++;
        socket.end(`HTTP/1.1 ${clientErrorStatus(err.code)}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      } else socket.destroy();
    });
    return new Promise<number>((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException) => {
        server.removeAllListeners('listening');
        void startError(e, port).then(reject);
      };
      server.once('error', onError);
      server.listen({ port, host: LOOPBACK, exclusive: true }, () => {
        server.off('error', onError);
        server.on('error', () => undefined);
        this.server = server;
        this.boundPort = (server.address() as AddressInfo).port;
        resolve(this.boundPort);
      });
    });
  }

  /** Stops listening and closes open connections. */
  stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.boundPort = undefined;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
      this.sockets.clear();
    });
  }

  private problem(reason: string): void {
    this.lastProblems.push(reason);
    if (this.lastProblems.length > 5) this.lastProblems.shift();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.counters.requests++;
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/v1/traces') {
      this.counters.notFound++;
      req.resume();
      return void safeEnd(res, 404, 'text/plain', `AgentGraph receives traces only: POST OTLP/HTTP to http://${LOOPBACK}:${this.boundPort}/v1/traces\n`);
    }
    if (req.method !== 'POST') {
      this.counters.notFound++;
      req.resume();
      res.setHeader('Allow', 'POST');
      return void safeEnd(res, 405, 'text/plain', 'use POST\n');
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const body: Body | undefined = type === 'application/json' ? { kind: 'json' } : type === 'application/x-protobuf' || type === 'application/protobuf' ? { kind: 'protobuf' } : undefined;
    const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (!body || !['identity', 'gzip', 'x-gzip', 'deflate', ''].includes(encoding)) {
      this.counters.unsupported++;
      req.resume();
      const why = !body
        ? `content type "${type || '(none)'}" is not OTLP: send application/json or application/x-protobuf`
        : `content encoding "${encoding}" is not supported: send gzip, deflate or no encoding`;
      this.problem(why);
      return void this.fail(res, { kind: 'json' }, 415, 3, why);
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > this.maxBody) return this.tooLarge(req, res, body);

    const raw = await readBody(req, this.maxBody);
    if (raw === 'too-large') return this.tooLarge(req, res, body);
    if (raw === 'aborted') return;

    let bytes: Buffer = raw;
    if (encoding === 'gzip' || encoding === 'x-gzip' || encoding === 'deflate') {
      try {
        bytes = encoding === 'deflate' ? await inflateAsync(raw, { maxOutputLength: this.maxBody }) : await gunzipAsync(raw, { maxOutputLength: this.maxBody });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) return this.tooLarge(req, res, body);
        this.counters.malformed++;
        const why = `the body is not valid ${encoding} data: ${(e as Error).message}`;
        this.problem(why);
        return void this.fail(res, body, 400, 3, why);
      }
    }

    let decoded: DecodeResult;
    try {
      const keep = this.options.keepAttribute;
      // An ASCII body (exporters escape what is not) is the same text read as Latin-1, a plain copy, where UTF-8
      // decoding is a tenth of the whole JSON path.
      decoded = body.kind === 'json' ? decodeOtlpJsonText(bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8'), keep) : decodeOtlpProtobuf(bytes, keep);
    } catch (e) {
      this.counters.malformed++;
      const why = e instanceof OtlpFormatError ? e.message : `the body could not be read: ${(e as Error).message}`;
      this.problem(why);
      return void this.fail(res, body, 400, 3, why);
    }

    try {
      if (decoded.spans.length > 0) this.options.onSpans(decoded.spans);
    } catch (e) {
      this.counters.failed++;
      return void this.fail(res, body, 500, 13, `AgentGraph could not take these spans: ${(e as Error).message}`);
    }
    this.counters.spans += decoded.spans.length;
    this.counters.rejectedSpans += decoded.rejected;
    if (decoded.rejected > 0) this.problem(decoded.reasons[0] ?? 'spans rejected');
    const reply = otlpResponse(decoded.rejected, decoded.rejected > 0 ? `${decoded.rejected} span(s) rejected: ${decoded.reasons.join('; ')}` : '');
    if (body.kind === 'json') safeEnd(res, 200, 'application/json', JSON.stringify(reply.json));
    else safeEnd(res, 200, 'application/x-protobuf', Buffer.from(reply.protobuf));
  }

  private tooLarge(req: IncomingMessage, res: ServerResponse, body: Body): void {
    this.counters.tooLarge++;
    const limit = this.maxBody >= 1048576 ? `${Math.round(this.maxBody / 1048576)} MiB` : `${Math.round(this.maxBody / 1024)} KiB`;
    const why = `the body is larger than ${limit} (decompressed): lower the exporter's batch size (OTEL_BSP_MAX_EXPORT_BATCH_SIZE)`;
    this.problem(why);
    res.setHeader('Connection', 'close');
    this.fail(res, body, 413, 8, why);
    // Stop reading what the client still sends; the connection closes after the answer.
    req.unpipe();
    req.resume();
    res.on('finish', () => req.socket?.destroy());
  }

  private fail(res: ServerResponse, body: Body, status: number, grpcCode: number, message: string): void {
    const s = otlpErrorStatus(grpcCode, message);
    if (body.kind === 'protobuf') safeEnd(res, status, 'application/x-protobuf', Buffer.from(s.protobuf));
    else safeEnd(res, status, 'application/json', JSON.stringify(s.json));
  }
}

/** The status line for a client error Node reports before a request exists (its codes, as in Node 20). */
export function clientErrorStatus(code: string | undefined): string {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT': // the headers (headersTimeout) or the whole request (requestTimeout) took too long
      return '408 Request Timeout';
    case 'HPE_HEADER_OVERFLOW':
      return '431 Request Header Fields Too Large';
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return '413 Payload Too Large';
    default:
      return '400 Bad Request';
  }
}

async function startError(e: NodeJS.ErrnoException, port: number): Promise<ReceiverStartError> {
  switch (e.code) {
    case 'EADDRINUSE': {
      const free = await nextFreePort(port);
      const suggestion = free === undefined ? 'a free port' : `a free port (${free} is free now)`;
      return new ReceiverStartError('EADDRINUSE', `port ${port} on ${LOOPBACK} is already in use, often by an OpenTelemetry collector (the AI Toolkit runs one on 4317/4318): stop it, or set agentgraph.traces.port to ${suggestion} and point your exporter at http://${LOOPBACK}:<that port> (OTEL_EXPORTER_OTLP_ENDPOINT)`);
    }
    case 'EACCES':
      return new ReceiverStartError('EACCES', `port ${port} needs privileges this process lacks: set agentgraph.traces.port to a port above 1023 (default ${DEFAULT_PORT})`);
    default:
      return new ReceiverStartError(e.code ?? 'EUNKNOWN', `the trace receiver could not listen on ${LOOPBACK}:${port}: ${e.message}`);
  }
}

/** The first port after `port` (up to 20 on) that can be listened on at 127.0.0.1 now, if any. */
export async function nextFreePort(port: number, tries = 20): Promise<number | undefined> {
  const first = Math.max(port + 1, 1024);
  for (let p = first; p <= Math.min(65535, first + tries - 1); p++) {
    if (await canListen(p)) return p;
  }
  return undefined;
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createNetServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: LOOPBACK, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** Reads a body up to `max` bytes; 'too-large' past that, 'aborted' when the client goes away. */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (v: Buffer | 'too-large' | 'aborted') => {
      if (done) return;
      done = true;
      resolve(v);
    };
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > max) {
        chunks.length = 0;
        finish('too-large');
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => finish(Buffer.concat(chunks, size)));
    req.on('error', () => finish('aborted'));
    req.on('aborted', () => finish('aborted'));
  });
}

function safeEnd(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  if (res.headersSent || res.writableEnded) return;
  try {
    res.statusCode = status;
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.end(body);
  } catch {
    res.destroy();
  }
}
