// Trace ingestion benchmark (npm run bench:traces): OTLP/HTTP on loopback into the receiver and the aggregator,
// which run in their own process (bench/tracesWorker.ts) as they do in the language server.
//   throughput  spans per second, JSON and protobuf, 520-span requests (a Python BatchSpanProcessor sends 512),
//               4 keep-alive connections; every span sent must be counted by the aggregator (no loss), and the
//               receiver's CPU time per wall second says how much of one core it used; spans per second of
//               receiver CPU is the figure that does not depend on how fast this process can send
//   decode      the receiver's decoding (only the attributes the mapping reads) against the full decode of every
//               attribute (the baseline, as before), in this process, rounds interleaved: spans per second of one
//               core for decode + extractSpan, and the ratio
//   overlay     the overlay's update rate under load: the worker forwards the figures at the hub's change rate,
//               the bench posts them into the graph panel's page (headless Chromium, the built bundle) and counts
//               the overlays the page applied per second (target: at least 5, never more than 30)
//   soak        memory of the receiving process over a sustained stream (AGENTGRAPH_SOAK_S seconds, default 60),
//               sampled every 5 s after a forced GC; the slope is extrapolated to 10 minutes
// AGENTGRAPH_LOADS=<regexp> picks the loads by name, AGENTGRAPH_CPU_PROF=<dir> writes the worker's CPU profiles there.
import { fork, type ChildProcess } from 'node:child_process';
import { isAscii } from 'node:buffer';
import { existsSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { decodeOtlpJsonText, decodeOtlpProtobuf, encodeOtlpProtobuf, type AttributeFilter } from '../server/src/traces/otlp.ts';
import { attributeFilter, extractSpan } from '../server/src/traces/mapping.ts';
import { buildGraphView } from '../server/src/view/graphView.ts';
import { lintFile } from '../test/support/lint.ts';

const only = process.argv[2];
const SECONDS = Number(process.env.AGENTGRAPH_BENCH_S ?? 8);
const SOAK_S = Number(process.env.AGENTGRAPH_SOAK_S ?? 60);

// --- the load ----------------------------------------------------------------------------------------------------

const specTemplate = JSON.parse(readFileSync('test/fixtures/traces/otlp-openinference-langgraph.json', 'utf8'));
const templateTrace: string = specTemplate.resourceSpans[0].scopeSpans[0].spans[0].traceId;

/**
 * The recorded real spans (test/fixtures/traces-real/: four runs of a LangGraph app under the OpenInference
 * instrumentation, with their full input and output messages), as one request.
 */
const REAL: [string, string][] = [
  ['recorded real spans', 'test/fixtures/traces-real/python/recorded.jsonl'],
  ['recorded real spans (TypeScript)', 'test/fixtures/traces-real/js/recorded.jsonl'],
].filter((r): r is [string, string] => existsSync(r[1]));

function realTemplate(path = REAL[0][1]): unknown {
  const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const first = lines[0];
  const spans = lines.flatMap((l) => l.resourceSpans.flatMap((rs: { scopeSpans: { spans: unknown[] }[] }) => rs.scopeSpans.flatMap((ss) => ss.spans)));
  first.resourceSpans = [{ ...first.resourceSpans[0], scopeSpans: [{ ...first.resourceSpans[0].scopeSpans[0], spans }] }];
  return first;
}

/**
 * One request body of about 520 spans (a Python BatchSpanProcessor sends 512): copies of the template's runs,
 * each copy's trace id ending in its index; `stamp` rewrites the head per request.
 */
function buildRequest(template: unknown): { body: unknown; spans: number } {
  const body = structuredClone(template) as { resourceSpans: { scopeSpans: { spans: { traceId: string }[] }[] }[] };
  const spans = body.resourceSpans[0].scopeSpans[0].spans;
  const runOf = new Map<string, number>();
  for (const s of spans) if (!runOf.has(s.traceId)) runOf.set(s.traceId, runOf.size);
  const copies = Math.max(1, Math.round(520 / spans.length));
  const out = [];
  for (let c = 0; c < copies; c++) for (const s of spans) out.push({ ...s, traceId: `${'0'.repeat(8)}${templateTrace.slice(8, 28)}${(c * runOf.size + runOf.get(s.traceId)!).toString(16).padStart(4, '0')}` });
  body.resourceSpans[0].scopeSpans[0].spans = out;
  return { body, spans: out.length };
}

/** Offsets where the 8 placeholder id digits (hex in JSON, 4 bytes in protobuf) sit, to stamp a request counter in. */
function offsets(buf: Buffer, needle: Buffer): number[] {
  const out: number[] = [];
  for (let i = buf.indexOf(needle); i >= 0; i = buf.indexOf(needle, i + 1)) out.push(i);
  return out;
}

interface Load {
  body: Buffer;
  type: string;
  /** Spans per request. */
  spans: number;
  stamp(n: number): void;
}

function jsonLoad(template: unknown = specTemplate): Load {
  const request = buildRequest(template);
  const body = Buffer.from(JSON.stringify(request.body));
  const at = offsets(body, Buffer.from(`"${'0'.repeat(8)}${templateTrace.slice(8, 28)}`)).map((i) => i + 1);
  return { body, type: 'application/json', spans: request.spans, stamp: (n) => { const s = Buffer.from(n.toString(16).padStart(8, '0')); for (const i of at) s.copy(body, i); } };
}

function protobufLoad(template: unknown = specTemplate): Load {
  const request = buildRequest(template);
  const body = Buffer.from(encodeOtlpProtobuf(request.body));
  const at = offsets(body, Buffer.from(`${'0'.repeat(8)}${templateTrace.slice(8, 28)}`, 'hex'));
  return { body, type: 'application/x-protobuf', spans: request.spans, stamp: (n) => { const s = Buffer.alloc(4); s.writeUInt32BE(n >>> 0); for (const i of at) s.copy(body, i); } };
}

let requestNo = 1;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

function send(port: number, load: Load): Promise<number> {
  load.stamp(requestNo++);
  const body = Buffer.from(load.body);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/v1/traces', method: 'POST', agent, headers: { 'Content-Type': load.type, 'Content-Length': String(body.length) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends for `seconds` with `concurrency` requests in flight, at most `rate` spans/s when given. */
async function drive(port: number, load: Load, seconds: number, concurrency = 4, rate?: number): Promise<{ spans: number; seconds: number; failed: number }> {
  const start = performance.now();
  const end = start + seconds * 1000;
  let spans = 0;
  let failed = 0;
  const worker = async () => {
    while (performance.now() < end) {
      if (rate) {
        const due = start + (spans / rate) * 1000;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      spans += load.spans;
      const status = await send(port, load);
      if (status !== 200) failed += load.spans;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { spans, seconds: (performance.now() - start) / 1000, failed };
}

// --- the worker --------------------------------------------------------------------------------------------------

interface Stats {
  spans: number;
  keptSpans: number;
  keptRuns: number;
  evicted: number;
  dropped: number;
  cpu: { user: number; system: number };
  rss: number;
  heapUsed: number;
  changes: number;
  figureMs: number[];
}

class Worker {
  readonly child: ChildProcess;
  private waiting: ((m: { type: string } & Record<string, unknown>) => void)[] = [];
  onFigures: ((f: unknown) => void) | undefined;

  constructor() {
    this.child = fork('bench/tracesWorker.ts', [], { execArgv: ['--import', 'tsx', '--expose-gc', '--single-threaded-gc', ...(process.env.AGENTGRAPH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.AGENTGRAPH_CPU_PROF}`] : [])], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (m: { type: string; figures?: unknown }) => {
      if (m.type === 'figures') return this.onFigures?.(m.figures);
      this.waiting.shift()?.(m as never);
    });
  }

  ask<T>(msg: object): Promise<T> {
    return new Promise((resolve) => {
      this.waiting.push(resolve as never);
      this.child.send(msg);
    });
  }

  async ready(): Promise<number> {
    await new Promise<void>((r) => this.waiting.push(() => r()));
    const s = await this.ask<{ port: number; state: string; message?: string }>({ cmd: 'start' });
    if (s.state !== 'running') throw new Error(s.message);
    return s.port;
  }

  stats(gc = true): Promise<Stats> {
    return this.ask<Stats>({ cmd: 'stats', ...(gc ? {} : { forward: true }) });
  }

  async stop(): Promise<void> {
    this.child.send({ cmd: 'stop' });
    await new Promise((r) => this.child.once('exit', r));
  }
}

const cpuMs = (c: { user: number; system: number }) => (c.user + c.system) / 1000;
const mib = (b: number) => (b / 1048576).toFixed(1);

async function throughput(): Promise<void> {
  console.log('\n## Spans ingested per second, OTLP/HTTP on loopback into the aggregator (receiver in its own process)\n');
  console.log('| body | spans sent | spans counted | lost | seconds | spans/s | receiver CPU (cores) | spans/s per core of receiver CPU | target |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|');
  const loads: [string, () => Load][] = [
    ['JSON', () => jsonLoad()], ['protobuf', () => protobufLoad()],
    ...REAL.flatMap(([name, path]): [string, () => Load][] => [[`JSON, ${name}`, () => jsonLoad(realTemplate(path))], [`protobuf, ${name}`, () => protobufLoad(realTemplate(path))]]),
  ];
  for (const [name, make] of picked(loads)) {
    const w = new Worker();
    const port = await w.ready();
    const load = make();
    await drive(port, load, 1); // warm-up
    const before = await w.stats();
    const r = await drive(port, load, SECONDS);
    const after = await w.stats();
    const counted = after.spans - before.spans;
    const cores = (cpuMs(after.cpu) - cpuMs(before.cpu)) / 1000 / r.seconds;
    const rate = counted / r.seconds;
    const perCore = rate / cores;
    console.log(`| ${name} | ${r.spans} | ${counted} | ${r.spans - counted} | ${r.seconds.toFixed(1)} | ${Math.round(rate)} | ${cores.toFixed(2)} | ${Math.round(perCore)} | ≥ 50,000 per core, no loss: ${perCore >= 50_000 && counted === r.spans ? 'met' : 'NOT met'} |`);
    await w.stop();
  }
}

function picked<T extends [string, ...unknown[]]>(loads: T[]): T[] {
  const only = process.env.AGENTGRAPH_LOADS ? new RegExp(process.env.AGENTGRAPH_LOADS) : undefined;
  return loads.filter(([name]) => !only || only.test(name));
}

/**
 * Spans per second of one core for each of `runs` (each handles `spans` spans), from `rounds` interleaved timings
 * of this process's CPU time (not wall time: other processes share the machine).
 */
function rates(runs: (() => void)[], spans: number, rounds = 7, ms = 300): number[][] {
  const out: number[][] = runs.map(() => []);
  const cpu = () => {
    const c = process.cpuUsage();
    return (c.user + c.system) / 1e6;
  };
  for (const run of runs) for (let i = 0; i < 5; i++) run(); // warm-up
  for (let round = 0; round < rounds; round++) {
    runs.forEach((run, i) => {
      const t0 = performance.now();
      const c0 = cpu();
      let n = 0;
      while (performance.now() - t0 < ms) {
        run();
        n++;
      }
      out[i].push((n * spans) / (cpu() - c0));
    });
  }
  return out;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function decode(): Promise<void> {
  console.log('\n## Decoding, in this process: the receiver\'s (only the attributes the mapping reads) against the full decode (the baseline)\n');
  console.log('spans per second of CPU time for decode + extractSpan of one ~520-span request body, median of 7 interleaved rounds\n');
  console.log('| body | full decode (baseline) | receiver\'s decode | ratio | same extracted spans |');
  console.log('|---|---:|---:|---:|---|');
  const keep: AttributeFilter = attributeFilter({});
  const templates: [string, unknown][] = [['spec fixture', specTemplate], ...REAL.map(([name, path]): [string, unknown] => [name, realTemplate(path)])];
  type Decode = () => { spans: Parameters<typeof extractSpan>[0][] };
  const bodies = templates.flatMap(([name, t]): [string, Decode, Decode, number][] => {
    const req = buildRequest(t);
    const json = Buffer.from(JSON.stringify(req.body));
    const pb = Buffer.from(encodeOtlpProtobuf(req.body));
    // The baseline is the receiver's code before: the body as UTF-8 text, every attribute decoded.
    return [
      [`JSON, ${name}`, () => decodeOtlpJsonText(json.toString('utf8')), () => decodeOtlpJsonText(json.toString(isAscii(json) ? 'latin1' : 'utf8'), keep), req.spans],
      [`protobuf, ${name}`, () => decodeOtlpProtobuf(pb), () => decodeOtlpProtobuf(pb, keep), req.spans],
    ];
  });
  const text = (d: Decode) => JSON.stringify(d().spans.map((s) => extractSpan(s)), (_k, v) => (typeof v === 'bigint' ? String(v) : v));
  for (const [name, full, receiver, spans] of picked(bodies)) {
    const same = text(full) === text(receiver);
    const [before, after] = rates([() => full().spans.forEach((s) => extractSpan(s)), () => receiver().spans.forEach((s) => extractSpan(s))], spans).map(median);
    console.log(`| ${name} | ${Math.round(before)} | ${Math.round(after)} | ${(after / before).toFixed(2)}× | ${same ? 'yes' : 'NO'} |`);
  }
}

async function overlay(): Promise<void> {
  console.log('\n## Overlay updates under load (figures forwarded at the hub\'s change rate into the graph panel\'s page)\n');
  const { openWebviewPage } = await import('../test/support/webviewPage.ts');
  const page = await openWebviewPage({ width: 1200, height: 700 });
  const w = new Worker();
  try {
    const port = await w.ready();
    await page.waitForPosted((m) => m.type === 'ready');
    const model = buildGraphView(lintFile('test/fixtures/traces/weather.agentgraph.yaml'));
    await page.post({ type: 'model', model, direction: 'RIGHT' });
    await page.page.waitForFunction((n) => document.querySelectorAll('#scene .ag-node').length === n, model.nodes.length, { timeout: 20_000 });
    await page.page.evaluate(`(() => {
      window.__overlays = 0;
      new MutationObserver((ms) => { for (const m of ms) for (const n of m.addedNodes) if (n.classList && n.classList.contains('layer')) window.__overlays++; })
        .observe(document.getElementById('scene'), { childList: true });
    })()`);
    w.onFigures = (figures) => void page.post({ type: 'traceOverlay', figures, heat: 'visits' } as never);
    await w.ask({ cmd: 'forward', forward: true });
    const load = protobufLoad();
    const r = await drive(port, load, SECONDS, 4, 50_000);
    await new Promise((res) => setTimeout(res, 300));
    const stats = await w.stats(false);
    const applied = (await page.page.evaluate('window.__overlays')) as number;
    const perSecond = applied / r.seconds;
    const fm = [...stats.figureMs].sort((a, b) => a - b);
    console.log('| load (spans/s) | change notifications/s | overlays applied/s | figures computed in (median / p95) | target |');
    console.log('|---:|---:|---:|---:|---|');
    console.log(`| ${Math.round(r.spans / r.seconds)} | ${(stats.changes / r.seconds).toFixed(1)} | ${perSecond.toFixed(1)} | ${fm[Math.floor(fm.length / 2)]?.toFixed(1)} ms / ${fm[Math.floor(fm.length * 0.95)]?.toFixed(1)} ms | 5 to 30 a second: ${perSecond >= 5 && perSecond <= 30 ? 'met' : 'NOT met'} |`);
  } finally {
    w.onFigures = undefined;
    await w.stop();
    await page.close();
  }
}

async function soak(): Promise<void> {
  console.log(`\n## Memory of the receiving process over a ${SOAK_S} s stream at 50,000 spans/s (protobuf)\n`);
  const w = new Worker();
  const port = await w.ready();
  const load = protobufLoad();
  const samples: { t: number; heap: number; rss: number; kept: number; evicted: number }[] = [];
  const start = performance.now();
  const sampler = setInterval(async () => {
    const s = await w.stats();
    samples.push({ t: (performance.now() - start) / 1000, heap: s.heapUsed, rss: s.rss, kept: s.keptSpans, evicted: s.evicted });
  }, 5000);
  const r = await drive(port, load, SOAK_S, 4, 50_000);
  clearInterval(sampler);
  const end = await w.stats();
  await w.stop();
  console.log('| t (s) | heap used (MiB) | RSS (MiB) | spans kept | runs evicted |');
  console.log('|---:|---:|---:|---:|---:|');
  for (const s of samples) console.log(`| ${s.t.toFixed(0)} | ${mib(s.heap)} | ${mib(s.rss)} | ${s.kept} | ${s.evicted} |`);
  // The slope over the second half of the soak (after the store has filled up to its bounds).
  const half = samples.filter((s) => s.t >= SOAK_S / 2);
  const first = half[0];
  const last = half[half.length - 1];
  const slope = first && last && last.t > first.t ? (last.heap - first.heap) / (last.t - first.t) : 0;
  console.log(`\nsent ${r.spans} spans in ${r.seconds.toFixed(0)} s (${Math.round(r.spans / r.seconds)} spans/s), counted ${end.spans}, failed ${r.failed}; ` +
    `heap slope over the second half ${(slope / 1024).toFixed(1)} KiB/s, extrapolated to 10 minutes: ${mib(Math.max(0, slope) * 600)} MiB on top of ${last ? mib(last.heap) : '?'} MiB ` +
    `(an extrapolation from a ${SOAK_S} s soak, not a 10-minute measurement)`);
}

async function main(): Promise<void> {
  if (!only || only === 'throughput') await throughput();
  if (!only || only === 'decode') await decode();
  if (!only || only === 'overlay') await overlay();
  if (!only || only === 'soak') await soak();
  agent.destroy();
}

void main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
