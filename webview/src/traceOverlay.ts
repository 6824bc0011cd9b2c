// The trace overlay of the graph panel: what real runs did, drawn over the picture that render.ts made. It only
// restyles what is there (a heat tint on node shapes, a line of figures under each node, the active node
// pulsing, counts on the transitions taken, failure transitions in the error colour) and adds a small bar (heat
// switch, run picker, replay scrubber). It never lays the graph out again: positions come from the drawn scene.
// `planOverlay` and `placeBadges` are pure (tested in Node); `TraceOverlay` applies a plan to the DOM.
import type { TraceOverlayMessages } from '../../common/protocol.ts';
import type { TraceEdgeFigures, TraceFigures, TraceNodeFigures } from '../../common/traceModel.ts';

export type Heat = TraceOverlayMessages.Heat;

/** A drawn edge, as render.ts marks it: `g.ag-edge[data-from][data-to]` with its kind as a class. */
export interface DrawnEdge {
  from: string;
  to: string;
  kind: string;
}

export interface NodePlan {
  id: string;
  /** 0..1, by visits or cost relative to the busiest node. */
  heat: number;
  /** The line under the node: `3× · 1.4k tok · $0.0003 · p50 816 ms`. */
  label: string;
  /** A second line in the error colour: `1 error · 2 retries · 1 soft`. */
  problems: string;
  /** The hover text: every figure. */
  title: string;
  active: boolean;
  failed: boolean;
}

export interface EdgePlan {
  /** Index into the drawn edges. */
  index: number;
  count: number;
  failures: number;
}

export interface OverlayPlan {
  nodes: NodePlan[];
  edges: EdgePlan[];
  /** Failure transitions taken to an inherited recovery target, drawn as a stub on the node: node id -> target. */
  stubs: { node: string; target: string; failures: number }[];
  /** Transitions taken that the picture has no edge for (AG801 reports them). */
  undeclared: TraceEdgeFigures[];
  summary: string;
  /** The summary's hover text: what its run figures mean, one line each. */
  details: string[];
}

const compact = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 10_000 ? `${Math.round(n / 1000)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n));
const usd = (v: number) => (v === 0 ? '$0' : v < 0.0001 ? '<$0.0001' : v < 1 ? `$${v.toFixed(4)}` : `$${v.toFixed(2)}`);
const ms = (v: number) => (v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function nodeLabel(n: TraceNodeFigures): { label: string; problems: string; title: string } {
  const parts = [`${n.visits}×`];
  const tokens = n.tokensIn + n.tokensOut;
  if (tokens > 0) parts.push(`${compact(tokens)} tok`);
  if (n.costUsd > 0) parts.push(usd(n.costUsd));
  if (n.p50Ms !== undefined) parts.push(`p50 ${ms(n.p50Ms)}`);
  const problems: string[] = [];
  if (n.errors > 0) problems.push(plural(n.errors, 'error'));
  if (n.attempts > n.visits) problems.push(plural(n.attempts - n.visits, 'retry', 'retries'));
  if (n.softErrors > 0) problems.push(`${n.softErrors} soft`);
  if (n.bound !== undefined && n.maxVisitsPerRun > n.bound) problems.push(`${n.maxVisitsPerRun}/${n.bound} visits`);
  if (n.iterationBound !== undefined && (n.maxIterations ?? 0) > n.iterationBound) problems.push(`${n.maxIterations}/${n.iterationBound} iterations`);
  const title = [
    `visits ${n.visits} in ${plural(n.runs, 'run')} (at most ${n.maxVisitsPerRun} in one run${n.bound !== undefined ? `, bound ${n.bound}` : ''})`,
    `attempts ${n.attempts}, errors ${n.errors}, soft errors ${n.softErrors}`,
    `tokens ${n.tokensIn} in / ${n.tokensOut} out, cost ${usd(n.costUsd)}`,
    n.p50Ms !== undefined ? `latency p50 ${ms(n.p50Ms)}, p95 ${ms(n.p95Ms ?? n.p50Ms)}` : 'latency: no finished visit',
    ...(n.maxIterations !== undefined ? [`model calls in one visit: at most ${n.maxIterations}${n.iterationBound !== undefined ? ` (max_iterations ${n.iterationBound})` : ''}`] : []),
    ...(n.active ? ['running now'] : []),
  ].join('\n');
  return { label: parts.join(' · '), problems: problems.join(' · '), title };
}

/** What to draw for some figures over the drawn edges. Pure. */
export function planOverlay(figures: TraceFigures, heat: Heat, drawn: readonly DrawnEdge[], stubTargets: ReadonlyMap<string, string> = new Map()): OverlayPlan {
  const entries = Object.entries(figures.nodes);
  const max = Math.max(0, ...entries.map(([, n]) => (heat === 'cost' ? n.costUsd : n.visits)));
  const nodes: NodePlan[] = entries.map(([id, n]) => {
    const value = heat === 'cost' ? n.costUsd : n.visits;
    return { id, heat: max > 0 ? value / max : 0, ...nodeLabel(n), active: n.active, failed: n.errors > 0 };
  });
  const edges: EdgePlan[] = [];
  const stubs: OverlayPlan['stubs'] = [];
  const undeclared: TraceEdgeFigures[] = [];
  for (const e of figures.edges) {
    const candidates = drawn.map((d, index) => ({ d, index })).filter((x) => x.d.from === e.from && x.d.to === e.to);
    if (candidates.length === 0) {
      if (e.failures > 0 && stubTargets.get(e.from) === e.to) stubs.push({ node: e.from, target: e.to, failures: e.failures });
      else undeclared.push(e);
      continue;
    }
    // Taken after a failure: on the failure edge when there is one; the rest on the first other edge.
    const failureEdge = candidates.find((x) => x.d.kind === 'error' || x.d.kind === 'exhausted');
    const normalEdge = candidates.find((x) => x !== failureEdge) ?? failureEdge!;
    if (failureEdge && e.failures > 0) {
      edges.push({ index: failureEdge.index, count: e.failures, failures: e.failures });
      if (e.count > e.failures) edges.push({ index: normalEdge.index, count: e.count - e.failures, failures: 0 });
    } else edges.push({ index: normalEdge.index, count: e.count, failures: e.failures });
  }
  const parts = [plural(figures.runCount, 'run'), plural(figures.spanCount, 'span')];
  if (figures.unmapped.count > 0) parts.push(`${figures.unmapped.count} unmapped`);
  if (undeclared.length > 0) parts.push(`${plural(undeclared.length, 'transition')} not in the graph: ${undeclared.slice(0, 3).map((e) => `${e.from}→${e.to}`).join(', ')}`);
  const details: string[] = [];
  const mismatched = typeof figures.mismatchedRuns === 'number' ? figures.mismatchedRuns : 0;
  if (mismatched > 0) {
    parts.push(`${plural(mismatched, 'run')} not matching the graph`);
    details.push(`${plural(mismatched, 'run')} not matching the graph: most of ${mismatched === 1 ? 'its' : 'their'} spans name no node of it (renamed nodes?); left out of these figures and of the conformance findings (AG805)`);
  }
  // Each loop a run went round: the most visits in one run, against its bound and the node the bound is on.
  for (const l of Array.isArray(figures.loops) ? figures.loops : []) {
    if (!(l.maxIterations > 0)) continue;
    parts.push(`⟲ ${l.nodes.join('·')}: ${l.node ? `${l.node} ` : ''}${l.maxIterations}× (${l.bound})`);
    details.push(`loop ${l.nodes.join(' → ')}: at most ${l.maxIterations} visits of ${l.node ?? 'one of its nodes'} in one run; bound: ${l.bound}${l.node ? ` on ${l.node}` : ''}`);
  }
  return { nodes, edges, stubs, undeclared, summary: parts.join(' · '), details };
}

export interface Point {
  x: number;
  y: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where along its edge a count badge may sit (fractions of the path's length), in order of preference. */
export const BADGE_STOPS = [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8] as const;
export const BADGE_HEIGHT = 16;

/** The width of a count badge for its text, and the box it covers when centred on `p`. */
export const badgeWidth = (text: string): number => 8 + text.length * 6.5;
export const badgeBox = (p: Point, width: number): Box => ({ x: p.x - width / 2, y: p.y - BADGE_HEIGHT / 2, width, height: BADGE_HEIGHT });

function overlapArea(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Where each count badge goes: the first of its candidate points (its edge's BADGE_STOPS, the middle first) at
 * which it covers none of the obstacles (the nodes, their figure plates, the edges' labels) and no badge placed before it; when
 * every candidate covers something, the one that covers least. Pure.
 */
export function placeBadges(badges: readonly { candidates: readonly Point[]; width: number }[], obstacles: readonly Box[]): Point[] {
  const placed: Box[] = [];
  return badges.map((b) => {
    let best: Point | undefined;
    let bestCost = Infinity;
    for (const c of b.candidates) {
      const box = badgeBox(c, b.width);
      let cost = 0;
      for (const o of obstacles) cost += overlapArea(box, o);
      for (const o of placed) cost += overlapArea(box, o);
      if (cost < bestCost) {
        best = c;
        bestCost = cost;
        if (cost === 0) break;
      }
    }
    const at = best ?? { x: 0, y: 0 };
    placed.push(badgeBox(at, b.width));
    return at;
  });
}

// --- the DOM ---------------------------------------------------------------------------------------------------

const SVG = 'http://www.w3.org/2000/svg';

/** A drawn node's position: render.ts places each one with `translate(x,y)`. */
function translation(el: Element): Point {
  const m = /translate\(\s*(-?[\d.]+)[\s,]+(-?[\d.]+)\s*\)/.exec(el.getAttribute('transform') ?? '');
  return m ? { x: Number(m[1]), y: Number(m[2]) } : { x: 0, y: 0 };
}

const CSS = `
.ag-node.trace-seen .shape { fill: color-mix(in srgb, var(--trace-heat-colour) calc(var(--trace-heat, 0) * 55%), var(--vscode-editorWidget-background, #252526)); }
.ag-node.trace-active .shape { stroke: var(--vscode-charts-blue, #3794ff); stroke-width: 3px; animation: ag-trace-pulse 1s ease-in-out infinite; }
@keyframes ag-trace-pulse { 0%, 100% { stroke-opacity: 1; } 50% { stroke-opacity: 0.25; } }
@media (prefers-reduced-motion: reduce) { .ag-node.trace-active .shape { animation: none; stroke-dasharray: 4 2; } }
.ag-trace.figs text { font-size: 10.5px; fill: var(--vscode-descriptionForeground, #9d9d9d); paint-order: stroke; stroke: var(--vscode-editor-background, #1e1e1e); stroke-width: 3px; stroke-linejoin: round; }
.ag-trace.figs rect.plate { fill: var(--vscode-editor-background, #1e1e1e); fill-opacity: 0.92; }
.ag-trace.figs text.problems { fill: var(--vscode-editorError-foreground, #f14c4c); }
.ag-edge.trace-taken path { stroke: var(--vscode-charts-blue, #3794ff); stroke-width: calc(1.5px + var(--trace-weight, 0) * 3px); }
.ag-edge.trace-failed path { stroke: var(--vscode-editorError-foreground, #f14c4c); }
.ag-edge.trace-idle { opacity: 0.45; }
.ag-stub.trace-failed text { fill: var(--vscode-editorError-foreground, #f14c4c); font-weight: 600; }
.ag-trace.count rect { fill: var(--vscode-editor-background, #1e1e1e); stroke: var(--vscode-charts-blue, #3794ff); }
.ag-trace.count.failed rect { stroke: var(--vscode-editorError-foreground, #f14c4c); }
.ag-trace.count text { font-size: 10px; fill: var(--vscode-editor-foreground, #cccccc); }
.trace-bar { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 10px; padding: 4px 10px; font-size: 0.9em;
  border-bottom: 1px solid var(--vscode-panel-border, transparent); color: var(--vscode-descriptionForeground); }
.trace-bar[hidden] { display: none; }
.trace-bar select, .trace-bar input, .trace-bar button { font: inherit; color: var(--vscode-input-foreground); background: var(--vscode-input-background);
  border: 1px solid var(--vscode-input-border, transparent); border-radius: 2px; padding: 1px 4px; }
.trace-bar button { cursor: pointer; background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); }
.trace-bar button[aria-pressed="true"] { background: var(--vscode-button-background); color: var(--vscode-button-foreground); }
.trace-bar input[type=range] { width: 12em; }
.trace-bar .summary { flex: 1 1 auto; }
`;

function installStyles(): void {
  const doc = document as Document & { adoptedStyleSheets?: CSSStyleSheet[] };
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    doc.adoptedStyleSheets = [...(doc.adoptedStyleSheets ?? []), sheet];
  } catch {
    // Older engines: append the rules to the page's first stylesheet (CSSOM, allowed by the page's CSP).
    const sheet = document.styleSheets[0];
    for (const rule of CSS.split(/\n(?=[.@])/)) {
      try {
        sheet?.insertRule(rule.trim(), sheet.cssRules.length);
      } catch {
        // A rule this engine does not know: the overlay still shows, less styled.
      }
    }
  }
}

/** The overlay in the page. `post` talks to the host; `size` gives a drawn node's size. */
export class TraceOverlay {
  private figures: TraceFigures | null = null;
  private allRuns?: number;
  private heat: Heat = 'visits';
  private readonly bar: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly runPicker: HTMLSelectElement;
  private readonly scrubber: HTMLInputElement;
  private readonly stepLabel: HTMLElement;
  private readonly play: HTMLButtonElement;
  private readonly heatButtons: Record<Heat, HTMLButtonElement>;
  private playing: ReturnType<typeof setInterval> | undefined;
  /** Overlay updates applied (for the benchmark and the tests). */
  updates = 0;

  constructor(
    private readonly scene: SVGGElement,
    private readonly post: (m: TraceOverlayMessages.FromWebview) => void,
    private readonly size: (id: string) => { width: number; height: number } | undefined,
    anchor: Element,
  ) {
    installStyles();
    this.bar = document.createElement('div');
    this.bar.className = 'trace-bar';
    this.bar.hidden = true;
    this.bar.setAttribute('role', 'toolbar');
    this.bar.setAttribute('aria-label', 'Trace overlay');
    const heat = (h: Heat, text: string) => {
      const b = document.createElement('button');
      b.textContent = text;
      b.title = h === 'visits' ? 'Tint nodes by how often they ran' : 'Tint nodes by what they cost';
      b.addEventListener('click', () => {
        this.heat = h;
        this.post({ type: 'traceHeat', heat: h });
        this.apply();
      });
      return b;
    };
    this.heatButtons = { visits: heat('visits', 'Visits'), cost: heat('cost', 'Cost') };
    this.runPicker = document.createElement('select');
    this.runPicker.setAttribute('aria-label', 'Run');
    this.runPicker.addEventListener('change', () => {
      this.stop();
      this.post({ type: 'traceSelectRun', runId: this.runPicker.value === '' ? null : this.runPicker.value });
    });
    this.play = document.createElement('button');
    this.showPlay(false);
    this.play.addEventListener('click', () => (this.playing ? this.stop() : this.start()));
    this.scrubber = document.createElement('input');
    this.scrubber.type = 'range';
    this.scrubber.min = '0';
    this.scrubber.setAttribute('aria-label', 'Replay position');
    this.scrubber.addEventListener('input', () => {
      this.stop();
      this.post({ type: 'traceReplay', position: Number(this.scrubber.value) });
    });
    this.stepLabel = document.createElement('span');
    this.summary = document.createElement('span');
    this.summary.className = 'summary';
    const label = document.createElement('strong');
    label.textContent = 'Traces';
    this.bar.append(label, this.heatButtons.visits, this.heatButtons.cost, this.runPicker, this.play, this.scrubber, this.stepLabel, this.summary);
    anchor.after(this.bar);
  }

  /** A message from the host; false when it is not the overlay's. */
  handle(m: unknown): boolean {
    if (!m || typeof m !== 'object' || (m as { type?: unknown }).type !== 'traceOverlay') return false;
    const msg = m as TraceOverlayMessages.ToWebview;
    this.figures = msg.figures && typeof msg.figures === 'object' && msg.figures.nodes ? msg.figures : null;
    this.heat = msg.heat === 'cost' ? 'cost' : 'visits';
    this.apply();
    return true;
  }

  /** The scene was drawn again (a new model): the overlay goes back on. */
  reapply(): void {
    if (this.figures) this.apply();
  }

  private start(): void {
    const f = this.figures;
    if (!f?.run) return;
    let pos = f.run.position >= f.run.timeline.length ? 0 : f.run.position;
    this.showPlay(true);
    this.playing = setInterval(() => {
      pos++;
      if (!this.figures?.run || pos > this.figures.run.timeline.length) return this.stop();
      this.post({ type: 'traceReplay', position: pos });
    }, 700);
  }

  private stop(): void {
    if (this.playing) clearInterval(this.playing);
    this.playing = undefined;
    this.showPlay(false);
  }

  /** Words, not ▶/⏸ (an empty box where no emoji font is installed); the title says what a click does now. */
  private showPlay(playing: boolean): void {
    this.play.textContent = playing ? 'Pause' : 'Play';
    this.play.title = playing ? 'Pause the replay' : 'Replay the run step by step';
    this.play.setAttribute('aria-label', playing ? 'Pause' : 'Replay');
    this.play.setAttribute('aria-pressed', String(playing));
  }

  private clear(): void {
    for (const el of Array.from(this.scene.querySelectorAll('.ag-trace'))) el.remove();
    for (const el of Array.from(this.scene.querySelectorAll<SVGElement>('.trace-seen, .trace-active, .trace-taken, .trace-failed, .trace-idle'))) {
      el.classList.remove('trace-seen', 'trace-active', 'trace-taken', 'trace-failed', 'trace-idle');
      el.style.removeProperty('--trace-heat');
      el.style.removeProperty('--trace-heat-colour');
      el.style.removeProperty('--trace-weight');
    }
    for (const el of Array.from(this.scene.querySelectorAll<SVGGElement>('.ag-node'))) el.querySelector('title.trace-title')?.remove();
  }

  private apply(): void {
    this.clear();
    const f = this.figures;
    this.bar.hidden = !f;
    if (!f) return;
    this.updates++;
    this.heatButtons.visits.setAttribute('aria-pressed', String(this.heat === 'visits'));
    this.heatButtons.cost.setAttribute('aria-pressed', String(this.heat === 'cost'));
    this.fillRuns(f);

    const edgeEls = Array.from(this.scene.querySelectorAll<SVGGElement>('.ag-edge'));
    const drawn: DrawnEdge[] = edgeEls.map((el) => ({ from: el.dataset.from ?? '', to: el.dataset.to ?? '', kind: ['error', 'exhausted', 'route', 'next', 'fanout', 'start'].find((k) => el.classList.contains(k)) ?? '' }));
    const stubTargets = new Map<string, string>();
    for (const n of Array.from(this.scene.querySelectorAll<SVGGElement>('.ag-node'))) {
      const t = n.querySelector<SVGGElement>('.ag-stub')?.dataset.target;
      if (t && n.dataset.id) stubTargets.set(n.dataset.id, t);
    }
    const plan = planOverlay(f, this.heat, drawn, stubTargets);
    const nodeEls = new Map(Array.from(this.scene.querySelectorAll<SVGGElement>('.ag-node')).map((el) => [el.dataset.id ?? '', el]));

    // What a count badge must not cover: the nodes, the edges' labels ("call_tool", "⟲ max_visits 4") and the
    // nodes' figure plates, in the scene's coordinates.
    const obstacles: Box[] = [];
    for (const [id, el] of nodeEls) {
      const at = translation(el);
      const size = this.size(id);
      if (size) obstacles.push({ x: at.x, y: at.y, width: size.width, height: size.height });
    }
    for (const r of Array.from(this.scene.querySelectorAll<SVGRectElement>('.ag-elabel rect'))) {
      const [x, y, width, height] = ['x', 'y', 'width', 'height'].map((a) => Number(r.getAttribute(a)));
      if ([x, y, width, height].every(Number.isFinite)) obstacles.push({ x, y, width, height });
    }
    for (const n of plan.nodes) {
      const el = nodeEls.get(n.id);
      if (!el) continue;
      el.classList.add('trace-seen');
      if (n.active) el.classList.add('trace-active');
      el.style.setProperty('--trace-heat', n.heat.toFixed(3));
      el.style.setProperty('--trace-heat-colour', this.heat === 'cost' ? 'var(--vscode-charts-orange, #d18616)' : 'var(--vscode-charts-blue, #3794ff)');
      const size = this.size(n.id);
      if (!size || n.label === '') continue;
      const g = document.createElementNS(SVG, 'g');
      g.setAttribute('class', 'ag-trace figs');
      const title = document.createElementNS(SVG, 'title');
      title.textContent = n.title;
      const line = (text: string, y: number, cls?: string) => {
        const t = document.createElementNS(SVG, 'text');
        t.setAttribute('x', '2');
        t.setAttribute('y', String(y));
        if (cls) t.setAttribute('class', cls);
        t.textContent = text;
        g.append(t);
      };
      g.append(title);
      line(n.label, size.height + 12);
      if (n.problems) line(n.problems, size.height + 24, 'problems');
      el.append(g);
      // A plate in the background colour behind each line: the edges that leave the node, or pass under it,
      // run beneath the figures instead of striking them through.
      for (const t of Array.from(g.querySelectorAll('text'))) {
        if (typeof t.getBBox !== 'function') continue;
        const b = t.getBBox();
        const plate = document.createElementNS(SVG, 'rect');
        plate.setAttribute('class', 'plate');
        plate.setAttribute('x', (b.x - 2).toFixed(1));
        plate.setAttribute('y', (b.y - 1).toFixed(1));
        plate.setAttribute('width', (b.width + 4).toFixed(1));
        plate.setAttribute('height', (b.height + 2).toFixed(1));
        plate.setAttribute('rx', '2');
        g.insertBefore(plate, t);
        const at = translation(el);
        obstacles.push({ x: at.x + b.x - 2, y: at.y + b.y - 1, width: b.width + 4, height: b.height + 2 });
      }
    }

    const maxCount = Math.max(1, ...plan.edges.map((e) => e.count));
    const layer = document.createElementNS(SVG, 'g');
    layer.setAttribute('class', 'ag-trace layer');
    const taken = new Set<number>();
    const badges: { edge: EdgePlan; text: string; width: number; candidates: Point[] }[] = [];
    for (const e of plan.edges) {
      const el = edgeEls[e.index];
      taken.add(e.index);
      el.classList.add('trace-taken');
      if (e.failures > 0) el.classList.add('trace-failed');
      el.style.setProperty('--trace-weight', (e.count / maxCount).toFixed(3));
      const path = el.querySelector('path');
      if (!path || typeof path.getTotalLength !== 'function') continue;
      const length = path.getTotalLength();
      const candidates = BADGE_STOPS.map((stop) => {
        const p = path.getPointAtLength(length * stop);
        return { x: p.x, y: p.y };
      });
      const text = String(e.count);
      badges.push({ edge: e, text, width: badgeWidth(text), candidates });
    }
    const places = placeBadges(badges, obstacles);
    badges.forEach(({ edge: e, text, width }, i) => {
      const p = places[i];
      const box = badgeBox(p, width);
      const badge = document.createElementNS(SVG, 'g');
      badge.setAttribute('class', `ag-trace count${e.failures > 0 ? ' failed' : ''}`);
      badge.setAttribute('data-from', drawn[e.index].from);
      badge.setAttribute('data-to', drawn[e.index].to);
      badge.innerHTML = `<rect x="${box.x.toFixed(1)}" y="${box.y.toFixed(1)}" width="${width.toFixed(1)}" height="${BADGE_HEIGHT}" rx="8"/><text x="${p.x.toFixed(1)}" y="${(p.y + 3.5).toFixed(1)}" text-anchor="middle">${text}</text>`;
      layer.append(badge);
    });
    edgeEls.forEach((el, i) => {
      if (!taken.has(i)) el.classList.add('trace-idle');
    });
    for (const s of plan.stubs) nodeEls.get(s.node)?.querySelector('.ag-stub')?.classList.add('trace-failed');
    this.scene.append(layer);
    this.summary.textContent = plan.summary;
    this.summary.title = [...plan.undeclared.map((e) => `${e.from} → ${e.to}: ${e.count}× (not in the graph)`), ...plan.details].join('\n');
  }

  private fillRuns(f: TraceFigures): void {
    const selected = f.run?.id ?? '';
    // The figures of one run count one run: "All runs" keeps the count of all of them (the last one seen for
    // all runs, or the runs listed and evicted when that is more).
    if (!f.run) this.allRuns = f.runCount;
    const all = f.run ? Math.max(this.allRuns ?? 0, f.runs.length + (f.evictedRuns ?? 0)) : f.runCount;
    const options = [['', `All runs (${all})`], ...f.runs.map((r) => [r.id, `${r.label} · ${r.status}${r.errors ? ` · ${r.errors} err` : ''}`])];
    const key = options.map((o) => o.join('\u0001')).join('\u0002');
    if (this.runPicker.dataset.key !== key) {
      this.runPicker.replaceChildren(...options.map(([value, text]) => {
        const o = document.createElement('option');
        o.value = value;
        o.textContent = text;
        return o;
      }));
      this.runPicker.dataset.key = key;
    }
    this.runPicker.value = selected;
    const replay = !!f.run;
    this.scrubber.hidden = !replay;
    this.play.hidden = !replay;
    this.stepLabel.hidden = !replay;
    if (f.run) {
      this.scrubber.max = String(f.run.timeline.length);
      this.scrubber.value = String(f.run.position);
      const step = f.run.timeline[f.run.position - 1];
      this.stepLabel.textContent = `step ${f.run.position}/${f.run.timeline.length}${step ? `: ${step.node}${step.failed ? ' (failed)' : ''}` : ''}`;
    }
  }
}
