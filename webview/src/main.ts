// The graph panel's page (dist/webview/main.js): receives the view model from the host, lays it out in the
// worker, draws it with the renderer, and handles pan, zoom, search, keyboard navigation, highlight and
// export. It tells the host only node ids; the host looks up ranges itself. A `ready` message starts the talk.
import type { GraphPanelMessages } from '../../common/protocol.ts';
import type { GraphViewModel } from '../../common/graphModel.ts';
import type { Direction, GraphLayout, LaidNode } from './layout.ts';
import { LayoutClient } from './layoutClient.ts';
import { headerFigures, renderScene } from './render.ts';
import { Viewport, type View } from './viewport.ts';
import { exportPng, exportSvg } from './exporter.ts';
import { Search } from './search.ts';
import { TraceOverlay } from './traceOverlay.ts';

interface VsCodeApi {
  postMessage(message: GraphPanelMessages.FromWebview): void;
  getState(): unknown;
  setState(state: SavedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** Kept with setState: the file shown and the view on it, restored after the panel was hidden or reloaded. */
interface SavedState {
  uri?: string;
  view?: View;
}

const vscode = acquireVsCodeApi();
const byId = <T extends Element>(id: string) => document.getElementById(id) as unknown as T;
const stage = byId<HTMLElement>('stage');
const canvas = byId<SVGSVGElement>('canvas');
const scene = byId<SVGGElement>('scene');
const message = byId<HTMLElement>('message');
const banner = byId<HTMLElement>('banner');

let saved = parseState(vscode.getState());
let current: { layout: GraphLayout; nodes: Map<string, LaidNode> } | undefined;
let highlighted: string | null = null;
let lastModel: GraphViewModel | undefined;

const layouts = new LayoutClient(document.body.dataset.worker ?? '');
const viewport = new Viewport(stage, canvas, (view) => {
  saved = { ...saved, view };
  vscode.setState(saved);
});
// The trace overlay (issue 6): restyles the drawn scene with what real runs did; never lays it out again.
const traces = new TraceOverlay(scene, (m) => (vscode as unknown as { postMessage(m: unknown): void }).postMessage(m), (id) => current?.nodes.get(id), banner);
const search = new Search(canvas, byId<HTMLInputElement>('search'), byId<HTMLElement>('search-count'), (id) => focusNode(id, true));

// Timings for the benchmark and the tests: when the last model arrived, was laid out and painted.
const timings = { received: 0, laidOut: 0, painted: 0, layoutMs: 0, nodes: 0 };
(window as unknown as { agentGraphTimings: typeof timings }).agentGraphTimings = timings;

window.addEventListener('message', (e: MessageEvent<GraphPanelMessages.ToWebview>) => {
  const m = e.data;
  if (!m || typeof m !== 'object') return;
  if (traces.handle(m)) return;
  if (m.type === 'model') void show(m.model, m.direction);
  else if (m.type === 'highlight') highlight(m.nodeId);
  else if (m.type === 'message') showMessage(m.text);
});

async function show(model: GraphViewModel, requested: GraphPanelMessages.Direction): Promise<void> {
  timings.received = performance.now();
  lastModel = model;
  showHeader(model);
  if (model.nodes.length === 0) {
    const why = model.header.graphDiagnostics?.messages[0] ?? 'the file holds no graph';
    if (current && current.layout.model.uri === model.uri) showBanner(`The file cannot be drawn as it is now (${why}); the picture shows its last valid version.`);
    else showMessage(`This graph cannot be drawn yet: ${why}.`);
    return;
  }
  // A panel beside the editor is usually tall: the graph then reads top down.
  const direction: Direction = requested === 'AUTO' ? (stage.clientWidth < stage.clientHeight * 1.2 ? 'DOWN' : 'RIGHT') : requested;
  let layout: GraphLayout | undefined;
  try {
    layout = await layouts.layout(model, { direction });
  } catch (e) {
    const text = `the graph could not be laid out: ${(e as Error).message}`;
    showMessage(`The graph could not be laid out (${(e as Error).message}). Use \`agentgraph render\` for a picture, and please report this with the graph file.`);
    vscode.postMessage({ type: 'log', level: 'error', text });
    return;
  }
  if (!layout || model !== lastModel) return; // a newer model is on its way
  timings.laidOut = performance.now();
  timings.layoutMs = layouts.lastMs;
  timings.nodes = model.nodes.length;
  draw(layout);
  requestAnimationFrame(() => requestAnimationFrame(() => (timings.painted = performance.now())));
}

function draw(layout: GraphLayout): void {
  const previous = current;
  const sameFile = previous?.layout.model.uri === layout.model.uri && previous.layout.direction === layout.direction;
  const before = sameFile ? previous!.nodes : undefined;
  current = { layout, nodes: new Map(layout.nodes.map((n) => [n.node.id, n])) };
  banner.hidden = true;
  message.textContent = '';
  stage.classList.add('has-graph');
  canvas.setAttribute('width', String(Math.ceil(layout.width)));
  canvas.setAttribute('height', String(Math.ceil(layout.height)));
  canvas.setAttribute('aria-label', `Agent graph ${layout.model.header.name}: ${layout.nodes.filter((n) => n.node.kind !== 'start').length} nodes. Arrow keys move between nodes, Enter shows a node's definition.`);
  scene.innerHTML = renderScene(layout, { interactive: true });
  traces.reapply();

  if (!sameFile) {
    const restore = saved.uri === layout.model.uri ? saved.view : undefined;
    if (restore) viewport.set(restore);
    else viewport.initial(layout);
    saved = { uri: layout.model.uri, view: viewport.view };
    vscode.setState(saved);
  } else if (before && layout.nodes.length <= 600) animateFrom(before);

  const keep = highlighted;
  highlighted = null;
  if (keep) highlight(keep, false);
  search.refresh();
}

/** Moves nodes from where they were to where they are now; edges fade in. No frame shows a blank panel. */
function animateFrom(before: Map<string, LaidNode>): void {
  for (const el of Array.from(scene.querySelectorAll<SVGGElement>('.ag-node'))) {
    const now = current!.nodes.get(el.dataset.id ?? '');
    const was = before.get(el.dataset.id ?? '');
    if (!now || !was || (was.x === now.x && was.y === now.y)) continue;
    el.animate([{ transform: `translate(${was.x}px, ${was.y}px)` }, { transform: `translate(${now.x}px, ${now.y}px)` }], { duration: 250, easing: 'ease-in-out' });
  }
  for (const g of Array.from(scene.querySelectorAll<SVGGElement>('.ag-edges, .ag-labels'))) g.animate([{ opacity: 0.2 }, { opacity: 1 }], { duration: 250 });
}

function nodeElement(id: string): SVGGElement | undefined {
  for (const el of Array.from(scene.querySelectorAll<SVGGElement>('.ag-node'))) if (el.dataset.id === id) return el;
  return undefined;
}

function highlight(id: string | null, scroll = true): void {
  if (id === highlighted) return;
  if (highlighted) nodeElement(highlighted)?.classList.remove('highlight');
  highlighted = id;
  if (!id) return;
  const el = nodeElement(id);
  el?.classList.add('highlight');
  const n = current?.nodes.get(id);
  if (n && scroll) viewport.reveal(n);
}

function focusNode(id: string, center = false): void {
  const el = nodeElement(id);
  const n = current?.nodes.get(id);
  if (!el || !n) return;
  el.focus({ preventScroll: true });
  viewport.reveal(n, center);
}

function reveal(id: string): void {
  const n = current?.nodes.get(id)?.node;
  if (!n || n.kind === 'start' || n.kind === 'end' || n.kind === 'missing') return;
  highlight(id, false);
  vscode.postMessage({ type: 'reveal', nodeId: id });
}

function openSubgraph(id: string): void {
  if (current?.nodes.get(id)?.node.subgraphUri) vscode.postMessage({ type: 'openSubgraph', nodeId: id });
}

scene.addEventListener('click', (e) => {
  if (viewport.dragged) return;
  const el = (e.target as Element).closest<SVGGElement>('.ag-node');
  const id = el?.dataset.id;
  if (!id) return;
  const stub = (e.target as Element).closest<SVGGElement>('.ag-stub');
  if (stub?.dataset.target) focusNode(stub.dataset.target, true);
  else if ((e.target as Element).closest('.ag-open')) openSubgraph(id);
  else reveal(id);
});
scene.addEventListener('dblclick', (e) => {
  const id = (e.target as Element).closest<SVGGElement>('.ag-node')?.dataset.id;
  if (id) openSubgraph(id);
});

/** Arrow keys: the nearest node in that direction. */
function neighbour(from: LaidNode, key: string): LaidNode | undefined {
  const dir = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] }[key];
  if (!dir || !current) return undefined;
  const cx = from.x + from.width / 2;
  const cy = from.y + from.height / 2;
  let best: LaidNode | undefined;
  let bestScore = Infinity;
  for (const n of current.nodes.values()) {
    if (n === from) continue;
    const dx = n.x + n.width / 2 - cx;
    const dy = n.y + n.height / 2 - cy;
    const along = dx * dir[0] + dy * dir[1];
    const across = Math.abs(dx * dir[1] - dy * dir[0]);
    if (along <= 0 || across > along * 2) continue;
    const score = along + across * 2;
    if (score < bestScore) [best, bestScore] = [n, score];
  }
  return best;
}

document.addEventListener('keydown', (e) => {
  const target = e.target as Element;
  if (target.closest?.('input')) return;
  const nodeEl = target.closest?.<SVGGElement>('.ag-node');
  const id = nodeEl?.dataset.id;
  if (id && (e.key === 'Enter' || e.key === ' ')) {
    e.preventDefault();
    reveal(id);
  } else if (id && e.key === 'o') openSubgraph(id);
  else if (id && e.key.startsWith('Arrow')) {
    e.preventDefault();
    const next = neighbour(current!.nodes.get(id)!, e.key);
    if (next) focusNode(next.node.id);
  } else if (e.key.startsWith('Arrow')) {
    e.preventDefault();
    const step = 60;
    viewport.panBy(e.key === 'ArrowLeft' ? step : e.key === 'ArrowRight' ? -step : 0, e.key === 'ArrowUp' ? step : e.key === 'ArrowDown' ? -step : 0);
  } else if (e.key === '+' || e.key === '=') viewport.zoomBy(1.25);
  else if (e.key === '-' || e.key === '_') viewport.zoomBy(0.8);
  else if (e.key === '0' && current) viewport.fit(current.layout, true);
  else if ((e.key === 'f' && (e.ctrlKey || e.metaKey)) || e.key === '/') {
    e.preventDefault();
    search.focus();
  } else return;
});

byId<HTMLButtonElement>('zoom-in').addEventListener('click', () => viewport.zoomBy(1.25));
byId<HTMLButtonElement>('zoom-out').addEventListener('click', () => viewport.zoomBy(0.8));
byId<HTMLButtonElement>('fit').addEventListener('click', () => current && viewport.fit(current.layout, true));
byId<HTMLButtonElement>('export-svg').addEventListener('click', () => {
  if (current) vscode.postMessage({ type: 'export', format: 'svg', data: exportSvg(current.layout) });
});
byId<HTMLButtonElement>('export-png').addEventListener('click', () => {
  if (!current) return;
  exportPng(current.layout).then(
    (data) => vscode.postMessage({ type: 'export', format: 'png', data }),
    (e: Error) => vscode.postMessage({ type: 'log', level: 'error', text: `the PNG export failed: ${e.message}; export an SVG instead` }),
  );
});

function showHeader(model: GraphViewModel): void {
  byId<HTMLElement>('head-name').textContent = model.header.name;
  const figs = byId<HTMLElement>('head-figs');
  figs.replaceChildren(
    ...headerFigures(model).map((f) => {
      const span = document.createElement('span');
      span.className = `fig ${f.cls}`;
      span.textContent = f.text;
      return span;
    }),
  );
  const loose = model.header.graphDiagnostics;
  figs.title = loose ? loose.messages.join('\n') : '';
}

function showMessage(text: string): void {
  message.textContent = text;
  if (!current) stage.classList.remove('has-graph');
}

function showBanner(text: string): void {
  banner.textContent = text;
  banner.hidden = false;
}

function parseState(raw: unknown): SavedState {
  if (!raw || typeof raw !== 'object') return {};
  const s = raw as Record<string, unknown>;
  const v = s.view as Record<string, unknown> | undefined;
  const view = v && [v.x, v.y, v.k].every((n) => typeof n === 'number' && Number.isFinite(n)) ? { x: v.x as number, y: v.y as number, k: v.k as number } : undefined;
  return { ...(typeof s.uri === 'string' ? { uri: s.uri } : {}), ...(view ? { view } : {}) };
}

vscode.postMessage({ type: 'ready' });
