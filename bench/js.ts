// The LangGraph JS/TS frontend's speed: `node --import tsx bench/js.ts`. Prints
//   analyse   parse + extract + every rule of a generated 1,000-line TypeScript module with 50 nodes (median
//             and p95 of 50 runs after warm-up; target < 30 ms)
//   pre-check the text test that keeps a 1,000-line module without `StateGraph` at no cost (target < 1 ms)
//   5,000     a generated 5,000-line module (250 nodes, a fluent chain of ~1,000 links): time, graphs, no crash
import { performance } from 'node:perf_hooks';
import { Workspace, type FileHost } from '../server/src/analysis/workspace.ts';
import { parser } from '@lezer/javascript';
import { langgraphJsFrontend } from '../server/src/frontends/langgraph-js/index.ts';
import { extractGraphs } from '../server/src/frontends/langgraph-js/extract.ts';

/** A realistic module: a state, one model, `nodes` node functions (each ~lines/nodes lines), a fluent chain. */
export function generateModule(nodes: number, targetLines: number): string {
  const out: string[] = [
    'import { Annotation, Command, END, START, StateGraph } from "@langchain/langgraph";',
    'import { ChatOpenAI } from "@langchain/openai";',
    '',
    'const llm = new ChatOpenAI({ model: "gpt-4o-mini", maxTokens: 400 });',
    '',
    'export const State = Annotation.Root({',
    ...Array.from({ length: nodes }, (_, i) => `  key${i}: Annotation<string>,`),
    '  revisions: Annotation<number>({ reducer: (a, b) => a + b, default: () => 0 }),',
    '});',
    '',
  ];
  const perNode = Math.max(6, Math.floor((targetLines - out.length - nodes * 2 - 10) / nodes));
  for (let i = 0; i < nodes; i++) {
    out.push(`async function step${i}(state: typeof State.State) {`);
    out.push(`  // step ${i}: read what the previous step wrote, ask the model, write our own key`);
    out.push(`  const input = state.key${Math.max(0, i - 1)} ?? "";`);
    for (let k = 0; k < perNode - 6; k++) out.push(`  const note${k} = input.length > ${k} ? input.slice(0, ${k + 10}) : "n/a"; // padding ${k}`);
    out.push(i % 5 === 0 ? `  const res = await llm.invoke(\`Step ${i}: \${input}\`);` : `  const res = { content: input.toUpperCase() };`);
    out.push(i % 7 === 3 ? `  if (state.revisions >= 3) return new Command({ goto: END });\n  return new Command({ goto: "step${i + 1 < nodes ? i + 1 : 0}", update: { key${i}: String(res.content), revisions: 1 } });` : `  return { key${i}: String(res.content) };`);
    out.push('}');
    out.push('');
  }
  out.push('export const graph = new StateGraph(State)');
  for (let i = 0; i < nodes; i++) out.push(`  .addNode("step${i}", step${i}, { retryPolicy: { maxAttempts: 3 }${i % 7 === 3 ? `, ends: ["step${i + 1 < nodes ? i + 1 : 0}", END]` : ''} })`);
  out.push('  .addEdge(START, "step0")');
  for (let i = 0; i + 1 < nodes; i++) if (i % 7 !== 3) out.push(`  .addEdge("step${i}", "step${i + 1}")`);
  out.push(`  .addEdge("step${nodes - 1}", END)`);
  out.push('  .compile();');
  return out.join('\n') + '\n';
}

function stats(xs: number[]): { median: number; p95: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], p95: s[Math.floor(s.length * 0.95)] };
}

function analyseTimes(text: string, runs: number): { median: number; p95: number; graphs: number; nodes: number; findings: number } {
  const uri = 'file:///bench/graph.ts';
  let graphs = 0, nodes = 0, findings = 0;
  const times: number[] = [];
  for (let i = 0; i < runs + 10; i++) {
    const host: FileHost = { read: (u) => (u === uri ? text : undefined) };
    const t0 = performance.now();
    const a = new Workspace(host).analyze(uri);
    const dt = performance.now() - t0;
    if (i >= 10) times.push(dt);
    graphs = a.graphs.length;
    nodes = a.graph?.nodes.size ?? 0;
    findings = a.diagnostics.length;
  }
  return { ...stats(times), graphs, nodes, findings };
}

if (process.argv[1]?.replace(/\\/g, '/').endsWith('bench/js.ts')) {
  const mod = generateModule(50, 1000);
  const a = analyseTimes(mod, 50);
  const ts = parser.configure({ dialect: 'ts' });
    const parseT: number[] = [];
    const extractT: number[] = [];
    for (let i = 0; i < 60; i++) {
      const t0 = performance.now();
      const tree = ts.parse(mod);
      const t1 = performance.now();
      extractGraphs(mod, tree, 'file:///bench/graph.ts');
      const t2 = performance.now();
      if (i >= 10) {
        parseT.push(t1 - t0);
        extractT.push(t2 - t1);
      }
    }
    console.log(`analyse   ${mod.split('\n').length} lines, ${a.nodes} nodes: median ${a.median.toFixed(2)} ms, p95 ${a.p95.toFixed(2)} ms (${a.findings} findings; target < 30 ms)`);
    console.log(`          of which the lezer parse: median ${stats(parseT).median.toFixed(2)} ms, extraction to the IR: median ${stats(extractT).median.toFixed(2)} ms`);

  const plain = mod.replace(/StateGraph/g, 'Pipeline');
  const pre: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const t0 = performance.now();
    langgraphJsFrontend.mayHoldGraph(plain);
    pre.push(performance.now() - t0);
  }
  console.log(`pre-check ${plain.split('\n').length} lines without StateGraph: median ${(stats(pre).median * 1000).toFixed(1)} µs, p95 ${(stats(pre).p95 * 1000).toFixed(1)} µs (target < 1 ms)`);

  const big = generateModule(250, 5000);
  const b = analyseTimes(big, 5);
  console.log(`5,000     ${big.split('\n').length} lines, ${b.nodes} nodes: median ${b.median.toFixed(1)} ms, p95 ${b.p95.toFixed(1)} ms, ${b.graphs} graph(s), no crash`);
}
