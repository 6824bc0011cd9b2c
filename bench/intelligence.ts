// Benchmarks of the editing features on a 1,000-node file (node --import tsx bench/intelligence.ts, after
// npm run build): completion and hover latency over LSP against the bundled server on stdio, steady and right
// after an edit, and the same work in process without the protocol. Target: under 20 ms each.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateGraph } from './generate.ts';
import { LspTestClient } from '../test/support/lspClient.ts';
import { complete } from '../server/src/features/completion.ts';
import { hoverAt } from '../server/src/features/hover.ts';
import { buildIndex } from '../server/src/features/symbols.ts';
import { Workspace } from '../server/src/analysis/workspace.ts';
import { parseAgentGraph } from '../server/src/frontends/yaml/frontend.ts';

const NODES = 1000;
const RUNS = 60;

function stats(xs: number[]): { median: number; p95: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], p95: s[Math.min(s.length - 1, Math.floor(s.length * 0.95))], max: s[s.length - 1] };
}
function row(name: string, xs: number[]): void {
  const { median, p95, max } = stats(xs);
  console.log(`| ${name} | ${xs.length} | ${median.toFixed(2)} ms | ${p95.toFixed(2)} ms | ${max.toFixed(2)} ms | ${median < 20 ? 'met' : 'MISSED'} (<20 ms) |`);
}

async function main(): Promise<void> {
  const text = generateGraph({ nodes: NODES });
  const lines = text.split('\n');
  // Near the end of the file, where reading the context from the text costs the most.
  const lastLine = (pred: (l: string) => boolean) => lines.reduce((found, l, i) => (pred(l) ? i : found), -1);
  const nextLine = lastLine((l) => l.startsWith('    next: n'));
  const nextCol = '    next: '.length;
  const nodeLine = lastLine((l) => /^  n\d+:$/.test(l));

  console.log(`# Editing features on a ${NODES}-node file (${lines.length} lines, node ${process.version})\n`);
  console.log('| request | runs | median | p95 | max | target |');
  console.log('|---|---:|---:|---:|---:|---|');

  // In process: the feature functions alone.
  const uri = 'file:///bench/g.agentgraph.yaml';
  const a = new Workspace({ read: (u) => (u === uri ? text : undefined) }).analyze(uri);
  const offsetOf = (line: number, col: number) => lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0) + col;
  const inProc: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const items = complete({ text, offset: offsetOf(nextLine, nextCol), graph: a.graph });
    inProc.push(performance.now() - t);
    if (items.length !== NODES + 1) throw new Error(`expected ${NODES + 1} items, got ${items.length}`);
  }
  row('completion of node ids, in process', inProc);
  const index = buildIndex(a.graph!, a.text);
  const hoverIn: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const h = hoverAt({ text, graph: a.graph, queries: a.queries, worstCase: a.worstCase, index }, offsetOf(nodeLine, 3));
    hoverIn.push(performance.now() - t);
    if (!h) throw new Error('no hover');
  }
  row('hover on a node, in process', hoverIn);

  const dir = mkdtempSync(join(tmpdir(), 'agentgraph-bench-'));
  const client = new LspTestClient(dir);
  try {
    await client.initialize(pathToFileURL(dir).toString());
    const doc = pathToFileURL(join(dir, 'g.agentgraph.yaml')).toString();
    const first = client.next(doc, () => true, 60_000);
    await client.open(doc, text);
    await first;
    const timed = async <T>(fn: () => Promise<T>): Promise<[number, T]> => {
      const t = performance.now();
      const r = await fn();
      return [performance.now() - t, r];
    };

    const steady: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const [ms, r] = await timed(() => client.request<{ items: unknown[] }>('textDocument/completion', { textDocument: { uri: doc }, position: { line: nextLine, character: nextCol } }));
      steady.push(ms);
      if (r.items.length !== NODES + 1) throw new Error(`expected ${NODES + 1} items, got ${r.items.length}`);
    }
    row('completion of node ids (1,001 items), LSP', steady);

    const hoverSteady: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const [ms] = await timed(() => client.request('textDocument/hover', { textDocument: { uri: doc }, position: { line: nodeLine, character: 3 } }));
      hoverSteady.push(ms);
    }
    row('hover on a node, LSP', hoverSteady);

    // While typing: one keystroke, then the request at once, as an editor sends them. The server starts the
    // analysis of the new text first; the request is answered at its first pause (after the parse), and
    // completion reads names from the last good analysis rather than waiting for the new one.
    let version = 1;
    const afterEdit = async (request: () => Promise<unknown>): Promise<number> => {
      version++;
      const v = version;
      const settled = client.next(doc, (p) => p.version === v, 60_000);
      await client.change(doc, v, [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: v % 2 ? 'x' : '' }]);
      const [ms] = await timed(request);
      await settled;
      // Let the work that follows a fresh analysis (status, lenses) finish before the next keystroke.
      await new Promise((r) => setTimeout(r, 1000));
      return ms;
    };
    const keys: number[] = [];
    for (let i = 0; i < 10; i++) keys.push(await afterEdit(() => client.request('textDocument/completion', { textDocument: { uri: doc }, position: { line: nextLine, character: nextCol } })));
    row('completion right after a keystroke, LSP', keys);
    const hoverAfterEdit: number[] = [];
    for (let i = 0; i < 10; i++) hoverAfterEdit.push(await afterEdit(() => client.request('textDocument/hover', { textDocument: { uri: doc }, position: { line: nodeLine, character: 3 } })));
    row('hover right after a keystroke (waits for the analysis), LSP', hoverAfterEdit);
    const parse: number[] = [];
    for (let i = 0; i < 10; i++) {
      const t = performance.now();
      parseAgentGraph(text, uri);
      parse.push(performance.now() - t);
    }
    console.log(`\nFor comparison: parsing this file takes ${stats(parse).median.toFixed(1)} ms (median, in process), the first step of every analysis.`);
  } finally {
    await client.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
