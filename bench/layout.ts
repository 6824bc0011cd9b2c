// Benchmarks of the graph visualizer (npm run bench:view): for generated graphs of 50, 200, 1,000 and 3,000 nodes
//   layout       the layout function in Node (view model -> ELK -> positions), median of several runs
//   first paint  in headless Chromium with the built webview bundle: from the model's arrival to the first
//                frame painted after the drawing (layout in the worker, SVG markup, DOM, paint)
//   pan          frames per second while the drawing is panned every frame (wheel events), at 1,000 and 3,000
// Targets: 200 nodes laid out and painted under 500 ms, 1,000 nodes under 2 s, panning at 60 fps at 1,000.
import ELK from 'elkjs/lib/elk.bundled.js';
import { resolve } from 'node:path';
import { Workspace, type FileHost } from '../server/src/analysis/workspace.ts';
import { pathToUri } from '../server/src/core/uris.ts';
import { buildGraphView } from '../server/src/view/graphView.ts';
import { layoutGraph } from '../webview/src/layout.ts';
import { renderScene } from '../webview/src/render.ts';
import type { GraphViewModel } from '../common/graphModel.ts';
import { generateGraph } from './generate.ts';
import { openWebviewPage } from '../test/support/webviewPage.ts';

const SIZES = [50, 200, 1000, 3000];
const TARGET_MS: Record<number, number> = { 200: 500, 1000: 2000 };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function modelOf(nodes: number): GraphViewModel {
  const uri = pathToUri(resolve(`bench-${nodes}.agentgraph.yaml`));
  const text = generateGraph({ nodes });
  const host: FileHost = { read: (u) => (u === uri ? text : undefined) };
  return buildGraphView(new Workspace(host).analyze(uri));
}

async function nodeLayout(models: Map<number, GraphViewModel>): Promise<void> {
  console.log('\n## Layout in Node (median)\n');
  console.log('| nodes | edges | layout | SVG markup | picture size |');
  console.log('|---:|---:|---:|---:|---|');
  const elk = new ELK();
  for (const [n, model] of models) {
    const runs = n >= 1000 ? 3 : 7;
    const times: number[] = [];
    const renders: number[] = [];
    let size = '';
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const layout = await layoutGraph(model, { direction: 'RIGHT' }, elk);
      times.push(performance.now() - t);
      const r = performance.now();
      renderScene(layout, { interactive: true });
      renders.push(performance.now() - r);
      size = `${Math.round(layout.width)} x ${Math.round(layout.height)}`;
    }
    console.log(`| ${n} | ${model.edges.length} | ${median(times).toFixed(0)} ms | ${median(renders).toFixed(0)} ms | ${size} |`);
  }
}

interface Timings {
  received: number;
  laidOut: number;
  painted: number;
  layoutMs: number;
}

async function browser(models: Map<number, GraphViewModel>): Promise<void> {
  const w = await openWebviewPage({ width: 1400, height: 900 });
  try {
    await w.waitForPosted((m) => m.type === 'ready');
    console.log('\n## First paint in headless Chromium (webview bundle, layout in the worker)\n');
    console.log('| nodes | layout (worker) | draw + paint | model to first paint | target |');
    console.log('|---:|---:|---:|---:|---|');
    const fps: string[] = [];
    // A first small graph warms the worker up (script parse, JIT), as the panel's first graph does once.
    await paint(w, models.get(SIZES[0])!, 'warm-up');
    for (const [n, model] of models) {
      const runs = n >= 1000 ? 2 : 4;
      const results: Timings[] = [];
      for (let i = 0; i < runs; i++) results.push(await paint(w, model, `${n}-${i}`));
      const total = median(results.map((r) => r.painted - r.received));
      const target = TARGET_MS[n];
      console.log(`| ${n} | ${median(results.map((r) => r.layoutMs)).toFixed(0)} ms | ${median(results.map((r) => r.painted - r.laidOut)).toFixed(0)} ms | ${total.toFixed(0)} ms | ${target ? `< ${target} ms ${total < target ? 'met' : 'MISSED'}` : ''} |`);
      if (n >= 1000) fps.push(`| ${n} | ${(await panFps(w)).toFixed(1)} | ${n === 1000 ? '60' : ''} |`);
    }
    console.log('\n## Panning (frames per second while the drawing moves every frame)\n');
    console.log('| nodes | fps | target |');
    console.log('|---:|---:|---|');
    for (const row of fps) console.log(row);
  } finally {
    await w.close();
  }
}

/** Posts a model and waits for its first painted frame; a unique uri each time, so that it is a first drawing. */
async function paint(w: Awaited<ReturnType<typeof openWebviewPage>>, model: GraphViewModel, tag: string): Promise<Timings> {
  await w.page.evaluate('window.agentGraphTimings.painted = 0');
  await w.post({ type: 'model', model: { ...model, uri: `${model.uri}#${tag}` }, direction: 'RIGHT' });
  // A string run through the debugger protocol: the page's CSP forbids eval, which waitForFunction needs.
  return (await w.page.evaluate(`new Promise((resolve) => {
    const t = window.agentGraphTimings;
    const check = () => (t.painted > t.laidOut ? resolve({ ...t }) : setTimeout(check, 5));
    check();
  })`)) as Timings;
}

/** Pans with one wheel event per frame for two seconds and counts the frames. */
async function panFps(w: Awaited<ReturnType<typeof openWebviewPage>>): Promise<number> {
  return (await w.page.evaluate(`new Promise((resolve) => {
    const stage = document.getElementById('stage');
    const times = [];
    const frame = (t) => {
      times.push(t);
      stage.dispatchEvent(new WheelEvent('wheel', { deltaX: 6, deltaY: 4, bubbles: true, cancelable: true }));
      if (t - times[0] < 2000) requestAnimationFrame(frame);
      else resolve((times.length - 1) / ((times[times.length - 1] - times[0]) / 1000));
    };
    requestAnimationFrame(frame);
  })`)) as number;
}

async function main(): Promise<void> {
  const only = process.argv[2];
  const models = new Map(SIZES.map((n) => [n, modelOf(n)]));
  console.log(`# Graph visualizer benchmark (${new Date().toISOString().slice(0, 10)}, node ${process.version})`);
  if (only !== 'browser') await nodeLayout(models);
  if (only !== 'node') await browser(models);
}

void main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
