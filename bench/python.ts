// Benchmarks of the LangGraph Python frontend (npm run bench:python). Prints median and p95 of each case and
// the ratio against a baseline measured in the same process: the bare `@lezer/python` parse of the same text.
//   analyse    parse + extract + Workspace.analyze (all rules) of a 1,000-line module with 50 nodes (< 30 ms)
//   latency    edit-to-diagnostics over LSP for a `.py` graph, the bundled server on stdio (< 50 ms median)
//   precheck   mayHoldGraph on a 1,000-line Python file with no graph (< 1 ms)
//   large      a 2,000-node module, a module just under the size cap, and a 5 MB one (over it): time, no crash
// `node --import tsx bench/python.ts [analyse|latency|precheck|large]` runs one of them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parser } from '@lezer/python';
import { Workspace } from '../server/src/analysis/workspace.ts';
import { langgraphPythonFrontend } from '../server/src/frontends/langgraph-python/index.ts';
import { MAX_SOURCE_CHARS } from '../server/src/frontends/frontend.ts';
import { generatePlainPython, generatePythonGraph } from './generatePython.ts';
import { LspTestClient } from '../test/support/lspClient.ts';

const only = process.argv[2];

function stats(xs: number[]): { median: number; p95: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], p95: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] };
}
function time(fn: () => void, budgetMs: number, minRuns = 5, maxRuns = 200): number[] {
  const runs: number[] = [];
  const until = performance.now() + budgetMs;
  while (runs.length < minRuns || (performance.now() < until && runs.length < maxRuns)) {
    const t = performance.now();
    fn();
    runs.push(performance.now() - t);
  }
  return runs;
}
const ms = (v: number) => (v < 1 ? `${(v * 1000).toFixed(1)} µs` : `${v.toFixed(2)} ms`);
const ratio = (a: number, b: number) => (a / b < 0.01 ? `1/${Math.round(b / a)}` : `${(a / b).toFixed(2)}x`);
const verdict = (ok: boolean, what: string) => `${ok ? 'met' : 'MISSED'} (${what})`;

const rows: string[] = [];
function row(name: string, lines: number, runs: number[], baseline: number[] | undefined, target: string): void {
  const r = stats(runs);
  const b = baseline && stats(baseline);
  const line = `| ${name} | ${lines} | ${runs.length} | ${ms(r.median)} | ${ms(r.p95)} | ${b ? ms(b.median) : '-'} | ${b ? ratio(r.median, b.median) : '-'} | ${target} |`;
  rows.push(line);
  console.log(line);
}

function analyse(text: string, uri = 'file:///bench/graph.py'): number {
  return new Workspace({ read: (u) => (u === uri ? text : undefined) }).analyze(uri).diagnostics.length;
}

function analyseBench(): void {
  const text = generatePythonGraph({ nodes: 50, lines: 1000 });
  for (let i = 0; i < 10; i++) {
    parser.parse(text);
    analyse(text);
  }
  const base = time(() => parser.parse(text), 1500);
  const runs = time(() => analyse(text), 1500);
  row('(a) parse + extract + analyse, 50 nodes', text.split('\n').length, runs, base, verdict(stats(runs).median < 30, '<30 ms'));
}

async function latencyBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'agentgraph-bench-py-'));
  // The bundled server itself (dist/server.js --stdio), as the editor starts it.
  process.env.AGENTGRAPH_LSP_ENTRY = 'server';
  const client = new LspTestClient(dir);
  try {
    await client.initialize(pathToFileURL(dir).toString());
    const uri = pathToFileURL(join(dir, 'graph.py')).toString();
    const text = generatePythonGraph({ nodes: 50, lines: 1000 });
    const lines = text.split('\n');
    const first = client.next(uri);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
    const opened = await first;
    if (!opened.diagnostics.some((d) => d.code === 'AG101')) throw new Error(`the .py graph was not analysed: ${JSON.stringify(opened.diagnostics.map((d) => d.code))}`);
    // Small edits as typed: a retry count changed, a docstring word retyped, both in the graph's code.
    const retryLine = lines.findIndex((l) => l.includes('RetryPolicy(max_attempts=3)'));
    const retryCol = lines[retryLine].indexOf('max_attempts=') + 'max_attempts='.length;
    const docLine = lines.findIndex((l) => l.includes('asks the model about the request'));
    const docCol = lines[docLine].indexOf('asks');
    const lat: number[] = [];
    let retry = '3';
    for (let v = 2; v < 52; v++) {
      const got = client.next(uri, (p) => p.version === v);
      const change = v % 2 === 0
        ? { range: { start: { line: retryLine, character: retryCol }, end: { line: retryLine, character: retryCol + retry.length } }, text: (retry = String(2 + (v % 5))) }
        : { range: { start: { line: docLine, character: docCol }, end: { line: docLine, character: docCol + 4 } }, text: v % 4 === 1 ? 'asks' : 'asKs' };
      const t = performance.now();
      await client.change(uri, v, [change]);
      await got;
      lat.push(performance.now() - t);
    }
    row('(b) edit-to-diagnostics over LSP, 50 edits', lines.length, lat, undefined, verdict(stats(lat).median < 50, '<50 ms median'));
  } finally {
    await client.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
}

function precheckBench(): void {
  const text = generatePlainPython(1000);
  // One call is far below the timer's resolution: time batches of 1,000 and report one call. Each call gets a
  // text of its own (the same one again is answered from V8's caches in a fraction of the real time).
  const batch = 1000;
  const texts = Array.from({ length: batch }, (_, i) => `${text}\n# ${i}\n`);
  for (const t of texts) t.charCodeAt(t.length >> 1); // flattened before timing, as a document's text is
  let held = 0;
  const runs = time(() => {
    for (const t of texts) if (langgraphPythonFrontend.mayHoldGraph(t)) held++;
  }, 1000, 20).map((t) => t / batch);
  if (held > 0) throw new Error('the pre-check let a file without a graph through');
  const base = time(() => parser.parse(text), 1000);
  row('(c) pre-check (mayHoldGraph), no graph', text.split('\n').length, runs, base, verdict(stats(runs).median < 1, '<1 ms'));
}

function largeBench(): void {
  const cases: { name: string; text: string; expectNodes: number }[] = [];
  const twoK = generatePythonGraph({ nodes: 2000 });
  cases.push({ name: '(d) 2,000 add_node calls', text: twoK, expectNodes: 2000 });
  const under = generatePythonGraph({ nodes: 2000, chars: MAX_SOURCE_CHARS - 64 * 1024 });
  cases.push({ name: `(d) ${(under.length / 2 ** 20).toFixed(1)} MB, 2,000 nodes (under the ${MAX_SOURCE_CHARS / 2 ** 20} MB cap)`, text: under, expectNodes: 2000 });
  const five = generatePythonGraph({ nodes: 2000, chars: 5 * 2 ** 20 });
  cases.push({ name: `(d) ${(five.length / 2 ** 20).toFixed(1)} MB, 2,000 nodes (over the cap: refused with a notice)`, text: five, expectNodes: 0 });
  for (const c of cases) {
    let nodes = -1;
    const uri = 'file:///bench/large.py';
    const runs = time(() => {
      const a = new Workspace({ read: (u) => (u === uri ? c.text : undefined) }).analyze(uri);
      nodes = a.graph?.nodes.size ?? 0;
    }, 3000, 3, 20);
    const base = c.text.length <= MAX_SOURCE_CHARS ? time(() => parser.parse(c.text), 3000, 3, 20) : undefined;
    const read = nodes === c.expectNodes ? '' : `, but ${nodes} of ${c.expectNodes} nodes read`;
    row(c.name, c.text.split('\n').length, runs, base, `no crash${read}`);
  }
}

async function main(): Promise<void> {
  console.log(`# LangGraph Python frontend benchmarks (node ${process.version}, ${new Date().toISOString()})\n`);
  console.log('Baseline: the bare `@lezer/python` parse of the same text, measured in this process.\n');
  console.log('| case | lines | runs | median | p95 | lezer parse (median) | ratio | target |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---|');
  if (!only || only === 'analyse') analyseBench();
  if (!only || only === 'precheck') precheckBench();
  if (!only || only === 'large') largeBench();
  if (!only || only === 'latency') await latencyBench();
}

void main();
