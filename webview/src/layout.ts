// The layout: a pure async function from the graph view model to positions, with elkjs (layered). Three steps,
// as in sprotty's elk-layout.ts: view model -> ELK graph, ELK layout, positions back. It runs in Node (the CLI,
// the tests, the benchmark) and in the webview's layout worker alike; the ELK instance is passed in.
import type { ElkExtendedEdge, ElkLabel, ElkNode } from 'elkjs/lib/elk-api.js';
import type { GraphViewModel, LoopStatus, ViewEdge, ViewNode } from '../../common/graphModel.ts';

export type Direction = 'RIGHT' | 'DOWN';

export interface Point {
  x: number;
  y: number;
}

export interface LaidNode {
  /** Top-left corner and size, in layout units (CSS pixels at zoom 1). */
  x: number;
  y: number;
  width: number;
  height: number;
  node: ViewNode;
  /**
   * Where the node goes on failure when that comes from `defaults` or the graph's `on_error`: drawn as a short
   * labelled stub, not an edge (routed, the edges from every node to one recovery target would cross the whole
   * picture, and their dummy nodes would make a large layout quadratic).
   */
  failureTo?: string;
}

export interface LaidLabel {
  text: string;
  /** Centre of the label. */
  x: number;
  y: number;
  width: number;
  height: number;
  kind: 'route' | 'exhausted' | 'loop';
  loop?: LoopStatus;
}

export interface LaidEdge {
  edge: ViewEdge;
  /** From the source's border to the target's border, bends in between. Inherited failure edges are not here. */
  points: Point[];
  labels: LaidLabel[];
  /** The edge goes back to an earlier node: it closes a loop. */
  back: boolean;
  /** The status of the loop this edge belongs to, if any. */
  loop?: LoopStatus;
}

export interface GraphLayout {
  direction: Direction;
  width: number;
  height: number;
  nodes: LaidNode[];
  edges: LaidEdge[];
  model: GraphViewModel;
}

/** The part of elkjs the layout needs: `new ELK()` in Node, the same inside the webview's worker. */
export interface ElkLike {
  layout(graph: ElkNode): Promise<ElkNode>;
}

export interface LayoutOptions {
  direction: Direction;
}

export const FONT = {
  family: "system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', Ubuntu, sans-serif",
  label: 13,
  detail: 11,
  edge: 11,
};

const NODE = { minWidth: 110, maxWidth: 280, minHeight: 38 };
const LABEL_HEIGHT = 16;

/** Width of a text in a sans-serif font, estimated per character class (the same in Node and the browser). */
export function textWidth(text: string, size: number, bold = false): number {
  let w = 0;
  for (const c of text) {
    if ('iljtf.,:;\'|!()[] '.includes(c)) w += 0.32;
    else if ('mwMW@%'.includes(c)) w += 0.86;
    else if (c >= 'A' && c <= 'Z') w += 0.68;
    else if (c >= '0' && c <= '9') w += 0.63;
    else if (c.charCodeAt(0) > 0x2000) w += 0.9;
    else w += 0.58;
  }
  return Math.ceil(w * size * (bold ? 1.12 : 1));
}

/** One line of text inside a node. */
export interface NodeLine {
  text: string;
  cls: 'label' | 'detail' | 'inner' | 'inner unbounded' | 'failure';
  size: number;
  bold: boolean;
}

/** The lines a node shows: its id, its detail, its inner loop, where an inherited failure goes. */
export function nodeLines(n: ViewNode, failureTo?: string): NodeLine[] {
  const lines: NodeLine[] = [{ text: n.label, cls: 'label', size: FONT.label, bold: true }];
  if (n.detail) lines.push({ text: n.detail, cls: 'detail', size: FONT.detail, bold: false });
  if (n.innerLoop !== undefined) lines.push({ text: innerLoopText(n), cls: n.innerLoop === 'unbounded' ? 'inner unbounded' : 'inner', size: FONT.detail, bold: n.innerLoop === 'unbounded' });
  if (failureTo !== undefined) lines.push({ text: `on error → ${failureTo}`, cls: 'failure', size: FONT.detail, bold: false });
  return lines;
}

export const LINE_HEIGHT = 15;

/** The size a node is drawn at. */
export function nodeSize(n: ViewNode, failureTo?: string): { width: number; height: number } {
  if (n.kind === 'start') return { width: 22, height: 22 };
  if (n.kind === 'end') return { width: 46, height: 46 };
  const lines = nodeLines(n, failureTo);
  const text = Math.max(...lines.map((l) => textWidth(l.text, l.size, l.bold)));
  // Text starts after the icon (render.ts: x 12, +24); pointed shapes need room for their tip.
  const tip = n.kind === 'router' || n.kind === 'handoff' ? 20 : 14;
  const width = Math.min(NODE.maxWidth, Math.max(NODE.minWidth, 36 + (n.kind === 'router' || n.kind === 'function' ? 6 : 0) + text + tip + openIconRoom(n)));
  return { width, height: Math.max(NODE.minHeight, 20 + LINE_HEIGHT * lines.length) };
}

/** A subgraph with a file gets the open-link icon at its right (render.ts): its text stops before it. */
export function openIconRoom(n: ViewNode): number {
  return n.kind === 'subgraph' && n.subgraphUri ? 20 : 0;
}

export function innerLoopText(n: ViewNode): string {
  return n.innerLoop === 'unbounded' ? '⟲ unbounded inner loop' : `⟲ max_iterations ${n.innerLoop}`;
}

const EDGE_ID = (i: number) => `e${i}`;
/** From this many nodes on, the layout trades some crossings for speed (bench/layout.ts). */
const LARGE = 100;

/** Step 1: the view model as an ELK graph. Nodes keep their model order, which decides which edges go back. */
export function toElkGraph(model: GraphViewModel, options: LayoutOptions): ElkNode {
  const order = new Map(model.nodes.map((n, i) => [n.id, i]));
  const failure = inheritedFailures(model);
  const loopOf = loopIndex(model);
  const labelled = new Set<number>();
  const edges: ElkExtendedEdge[] = [];
  model.edges.forEach((e, i) => {
    if (!order.has(e.from) || !order.has(e.to) || e.inherited) return;
    const labels: ElkLabel[] = [];
    if (e.label) labels.push(edgeLabel(`${EDGE_ID(i)}:0`, e.label));
    const loop = loopOf.get(e.from);
    if (loop !== undefined && loopOf.get(e.to) === loop && order.get(e.to)! <= order.get(e.from)! && !labelled.has(loop)) {
      labelled.add(loop);
      labels.push(edgeLabel(`${EDGE_ID(i)}:loop`, `⟲ ${model.loops[loop].bound}`));
    }
    edges.push({ id: EDGE_ID(i), sources: [e.from], targets: [e.to], labels });
  });
  return {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': options.direction,
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.padding': '[top=24,left=24,bottom=24,right=24]',
      'elk.spacing.nodeNode': '28',
      'elk.layered.spacing.nodeNodeBetweenLayers': '56',
      'elk.spacing.edgeNode': '16',
      'elk.spacing.edgeEdge': '10',
      'elk.spacing.edgeLabel': '4',
      'elk.layered.spacing.edgeNodeBetweenLayers': '16',
      'elk.edgeLabels.placement': 'CENTER',
      'elk.layered.edgeLabels.sideSelection': 'SMART_DOWN',
      'elk.layered.cycleBreaking.strategy': 'MODEL_ORDER',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.layered.crossingMinimization.forceNodeModelOrder': 'false',
      'elk.separateConnectedComponents': 'false',
      // Large graphs: one pass of crossing minimisation instead of seven keeps 1,000 nodes near a second, and a
      // layering without recursion along paths (network simplex and longest path recurse once per node of the
      // longest path, which overflows a web worker's stack on a run of a few thousand steps).
      ...(model.nodes.length > LARGE
        ? { 'elk.layered.thoroughness': '1', 'elk.layered.crossingMinimization.greedySwitch.type': 'OFF', 'elk.layered.layering.strategy': 'STRETCH_WIDTH' }
        : {}),
    },
    children: model.nodes.map((n) => ({ id: n.id, ...nodeSize(n, failure.get(n.id)) })),
    edges,
  };
}

function edgeLabel(id: string, text: string): ElkLabel {
  return { id, text, width: textWidth(text, FONT.edge) + 8, height: LABEL_HEIGHT };
}

/** Node id -> the target of its inherited failure transition. */
function inheritedFailures(model: GraphViewModel): Map<string, string> {
  return new Map(model.edges.filter((e) => e.inherited).map((e) => [e.from, e.to]));
}

function loopIndex(model: GraphViewModel): Map<string, number> {
  const m = new Map<string, number>();
  model.loops.forEach((l, i) => l.nodes.forEach((id) => m.set(id, i)));
  return m;
}

/** Step 3: ELK's positions back onto the view model. */
export function fromElkGraph(model: GraphViewModel, laid: ElkNode, options: LayoutOptions): GraphLayout {
  const byId = new Map(model.nodes.map((n) => [n.id, n]));
  const order = new Map(model.nodes.map((n, i) => [n.id, i]));
  const loopOf = loopIndex(model);
  const failure = inheritedFailures(model);
  const nodes: LaidNode[] = (laid.children ?? []).map((c) => {
    const to = failure.get(c.id);
    return { x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0, height: c.height ?? 0, node: byId.get(c.id)!, ...(to !== undefined ? { failureTo: to } : {}) };
  });
  const edges: LaidEdge[] = (laid.edges ?? []).map((le) => {
    const edge = model.edges[Number(le.id.slice(1))];
    const points: Point[] = [];
    for (const s of le.sections ?? []) {
      points.push(s.startPoint, ...(s.bendPoints ?? []), s.endPoint);
    }
    const loop = loopOf.get(edge.from);
    const inLoop = loop !== undefined && loopOf.get(edge.to) === loop;
    const labels: LaidLabel[] = (le.labels ?? []).map((l) => {
      const isLoop = l.id?.endsWith(':loop') ?? false;
      return {
        text: l.text ?? '',
        x: (l.x ?? 0) + (l.width ?? 0) / 2,
        y: (l.y ?? 0) + (l.height ?? 0) / 2,
        width: l.width ?? 0,
        height: l.height ?? 0,
        kind: isLoop ? 'loop' : edge.kind === 'exhausted' ? 'exhausted' : 'route',
        ...(isLoop ? { loop: model.loops[loop!].status } : {}),
      };
    });
    return {
      edge,
      points: points.map((p) => ({ x: p.x, y: p.y })),
      labels,
      back: order.get(edge.to)! <= order.get(edge.from)!,
      ...(inLoop ? { loop: model.loops[loop!].status } : {}),
    };
  });
  return { direction: options.direction, width: laid.width ?? 0, height: laid.height ?? 0, nodes, edges, model };
}

/** The layout: view model -> ELK graph -> ELK -> positions. */
export async function layoutGraph(model: GraphViewModel, options: LayoutOptions, elk: ElkLike): Promise<GraphLayout> {
  const laid = await elk.layout(toElkGraph(model, options));
  return fromElkGraph(model, laid, options);
}
