// Benchmarks of the lint core and the language server (npm run bench). Prints figures, and ratios against a
// baseline measured in the same process: the bare `yaml` parse of the same text.
//   analyse   time to analyse a file (parse, validate, build the IR, run every rule) vs yaml.parseDocument
//   latency   edit-to-diagnostics over LSP for a 200-node file (the bundled server on stdio)
//   memory    the server's resident memory with 500 files open
import { parseDocument } from 'yaml';
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Workspace } from '../server/src/analysis/workspace.ts';
import { generateGraph } from './generate.ts';
import { LspTestClient } from '../test/support/lspClient.ts';

const only = process.argv[2];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))];
}
function time(fn: () => void, budgetMs: number, minRuns = 5): number[] {
  const runs: number[] = [];
  const until = performance.now() + budgetMs;
  while (runs.length < minRuns || (performance.now() < until && runs.length < 200)) {
    const t = performance.now();
    fn();
    runs.push(performance.now() - t);
  }
  return runs;
}

function analyseBench(): void {
  console.log('\n## Analysis time per file (median), against the bare yaml parse of the same text\n');
  console.log('| nodes | lines | yaml.parseDocument | analyse (all rules) | ratio | target |');
  console.log('|---:|---:|---:|---:|---:|---|');
  for (const n of [10, 50, 200, 1000, 3000, 5000]) {
    const text = generateGraph({ nodes: n, subgraphs: ['./sub.agentgraph.yaml'] });
    const sub = generateGraph({ nodes: 20, name: 'sub', seed: 7 });
    const uri = 'file:///bench/main.agentgraph.yaml';
    const files = new Map([[uri, text], ['file:///bench/sub.agentgraph.yaml', sub]]);
    const budget = n >= 3000 ? 4000 : 1500;
    // Warm up both paths.
    for (let i = 0; i < 3; i++) {
      parseDocument(text);
      new Workspace({ read: (u) => files.get(u) }).analyze(uri);
    }
    const parse = median(time(() => parseDocument(text), budget));
    let diagnostics = 0;
    const analyse = median(time(() => {
      diagnostics = new Workspace({ read: (u) => files.get(u) }).analyze(uri).diagnostics.length;
    }, budget));
    const target = n === 1000 ? (analyse < 100 && analyse / parse <= 3 ? 'met (<100 ms, <=3x)' : 'MISSED (<100 ms, <=3x)') : '';
    console.log(`| ${n} | ${text.split('\n').length} | ${parse.toFixed(2)} ms | ${analyse.toFixed(2)} ms | ${(analyse / parse).toFixed(2)}x | ${target} |`);
    void diagnostics;
  }
}

async function latencyBench(): Promise<void> {
  console.log('\n## Edit-to-diagnostics over LSP (bundled server, stdio), 200-node file\n');
  const dir = mkdtempSync(join(tmpdir(), 'agentgraph-bench-'));
  const client = new LspTestClient(dir);
  try {
    await client.initialize(pathToFileURL(dir).toString());
    const uri = pathToFileURL(join(dir, 'g.agentgraph.yaml')).toString();
    const text = generateGraph({ nodes: 200 });
    const first = client.next(uri);
    await client.open(uri, text);
    await first;
    const line = text.split('\n').findIndex((l) => l.includes('input_tokens:'));
    const lat: number[] = [];
    for (let v = 2; v < 62; v++) {
      const got = client.next(uri, (p) => p.version === v);
      const t = performance.now();
      const value = `    input_tokens: ${1000 + v}`;
      await client.change(uri, v, [{ range: { start: { line, character: 0 }, end: { line, character: 200 } }, text: value }]);
      await got;
      lat.push(performance.now() - t);
    }
    console.log('| edits | median | p95 | max | target |');
    console.log('|---:|---:|---:|---:|---|');
    const m = median(lat);
    console.log(`| ${lat.length} | ${m.toFixed(1)} ms | ${pct(lat, 95).toFixed(1)} ms | ${Math.max(...lat).toFixed(1)} ms | ${m < 50 ? 'met' : 'MISSED'} (<50 ms) |`);
  } finally {
    await client.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function memoryBench(): Promise<void> {
  console.log('\n## Server memory with many files open (bundled server, stdio)\n');
  const dir = mkdtempSync(join(tmpdir(), 'agentgraph-bench-'));
  const client = new LspTestClient(dir);
  try {
    await client.initialize(pathToFileURL(dir).toString());
    const pid = client.process.pid!;
    await new Promise((r) => setTimeout(r, 300));
    const idle = rssMb(pid);
    console.log('| files open | nodes per file | total lines | server RSS when the last diagnostics arrive | server RSS 2 s later | target |');
    console.log('|---:|---:|---:|---:|---:|---|');
    console.log(`| 0 | - | - | ${idle.toFixed(0)} MB | | |`);
    let lines = 0;
    const nodes = 40;
    const all: Promise<unknown>[] = [];
    for (let i = 0; i < 500; i++) {
      const uri = pathToFileURL(join(dir, `g${i}.agentgraph.yaml`)).toString();
      const text = generateGraph({ nodes, seed: i + 1, name: `g${i}` });
      lines += text.split('\n').length;
      all.push(client.next(uri, () => true, 60_000));
      await client.open(uri, text);
      if (i === 99 || i === 499) {
        await Promise.all(all);
        const peak = rssMb(pid);
        await new Promise((r) => setTimeout(r, 2000));
        const rss = rssMb(pid);
        console.log(`| ${i + 1} | ${nodes} | ${lines} | ${peak.toFixed(0)} MB | ${rss.toFixed(0)} MB | ${i === 499 ? (rss < 150 ? 'met' : 'MISSED') + ' (<150 MB, settled)' : ''} |`);
      }
    }
  } finally {
    await client.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`# AgentGraph lint benchmarks (node ${process.version}, ${new Date().toISOString()})`);
async function main(): Promise<void> {
  if (!only || only === 'analyse') analyseBench();
  if (!only || only === 'latency') await latencyBench();
  if (!only || only === 'memory') await memoryBench();
}

void main();
