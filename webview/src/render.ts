// The renderer: a laid-out graph -> SVG markup, from plain data. The webview puts `renderScene` inside its
// pan/zoom group; `renderSvg` makes a standalone picture (header included) for `agentgraph render` and the
// panel's exports. Rendering never lays out. Every text from the graph file is escaped.
import { formatTokens, formatUsd } from '../../server/src/core/cost.ts';
import type { GraphViewModel, ViewNode } from '../../common/graphModel.ts';
import { FONT, innerLoopText, LINE_HEIGHT, nodeLines, openIconRoom, textWidth, type GraphLayout, type LaidEdge, type LaidLabel, type LaidNode, type Point } from './layout.ts';
import { graphCss, type Palette } from './theme.ts';

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const f = (n: number): string => String(Math.round(n * 10) / 10);

/** Shortens a text to fit `width` at a font size, with an ellipsis. */
export function fit(text: string, width: number, size: number, bold = false): string {
  if (textWidth(text, size, bold) <= width) return text;
  let s = text;
  while (s.length > 1 && textWidth(s + '…', size, bold) > width) s = s.slice(0, -1);
  return s + '…';
}

const ICONS: Record<string, string> = {
  llm: 'M8 1.5L9.6 6.4L14.5 8L9.6 9.6L8 14.5L6.4 9.6L1.5 8L6.4 6.4Z',
  tool: 'M10.5 2.2a3.2 3.2 0 0 0-3.3 4.2L2.4 11.2a1.3 1.3 0 0 0 1.9 1.9l4.8-4.8a3.2 3.2 0 0 0 4.2-3.3l-1.9 1.9-1.8-.4-.4-1.8z',
  router: 'M1.5 8h4M5.5 8l4-4.5h5M5.5 8l4 4.5h5M12.5 1.5l2 2-2 2M12.5 10.5l2 2-2 2',
  function: 'M6 2c-1.5 0-2 .7-2 2v1.8c0 1-.5 2.2-1.8 2.2 1.3 0 1.8 1.2 1.8 2.2V12c0 1.3.5 2 2 2M10 2c1.5 0 2 .7 2 2v1.8c0 1 .5 2.2 1.8 2.2-1.3 0-1.8 1.2-1.8 2.2V12c0 1.3-.5 2-2 2',
  agent: 'M3 5.5h10v8H3zM8 5.5V2.5M6 9.5v.01M10 9.5v.01M6 11.8h4',
  subgraph: 'M2 5.5h8.5v8.5H2zM5.5 5.5V2h8.5v8.5h-3.5',
  human: 'M8 7.5a2.6 2.6 0 1 0 0-5.2 2.6 2.6 0 0 0 0 5.2zM2.8 14.5c0-3 2.3-5 5.2-5s5.2 2 5.2 5',
  handoff: 'M9 2.5H2.5v11H9M6 8h8M11 5l3 3-3 3',
  unknown: 'M5.8 6a2.2 2.2 0 1 1 3 2c-.6.3-.8.7-.8 1.3M8 12v.01',
  missing: 'M5.8 6a2.2 2.2 0 1 1 3 2c-.6.3-.8.7-.8 1.3M8 12v.01',
};

/** The node's outline, in its own coordinates, by kind. */
function shape(n: ViewNode, w: number, h: number): string {
  const rect = (rx: number, cls = 'shape') => `<rect class="${cls}" width="${f(w)}" height="${f(h)}" rx="${rx}"/>`;
  switch (n.kind) {
    case 'start':
      return `<circle class="shape" cx="${f(w / 2)}" cy="${f(h / 2)}" r="${f(w / 2)}"/>`;
    case 'end':
      return `<circle class="shape" cx="${f(w / 2)}" cy="${f(h / 2)}" r="${f(w / 2 - 1)}"/><circle class="core" cx="${f(w / 2)}" cy="${f(h / 2)}" r="${f(w / 2 - 6)}"/>`;
    case 'llm':
      return rect(12);
    case 'router':
      return `<polygon class="shape" points="10,0 ${f(w - 10)},0 ${f(w)},${f(h / 2)} ${f(w - 10)},${f(h)} 10,${f(h)} 0,${f(h / 2)}"/>`;
    case 'function':
      return rect(3) + `<path class="shape2" d="M7 0V${f(h)}M${f(w - 7)} 0V${f(h)}"/>`;
    case 'agent':
      return rect(9) + `<rect class="shape2" x="3" y="3" width="${f(w - 6)}" height="${f(h - 6)}" rx="6"/>`;
    case 'subgraph':
      return `<rect class="shape" x="5" y="-5" width="${f(w - 5)}" height="${f(h)}" rx="4"/>` + `<rect class="shape" width="${f(w - 5)}" height="${f(h)}" rx="4"/>`;
    case 'human':
      return rect(h / 2);
    case 'handoff':
      return `<polygon class="shape" points="0,0 ${f(w - 14)},0 ${f(w)},${f(h / 2)} ${f(w - 14)},${f(h)} 0,${f(h)}"/>`;
    default:
      return rect(3);
  }
}

function accessibleLabel(n: ViewNode, failureTo?: string): string {
  if (n.kind === 'start') return 'start of the run';
  if (n.kind === 'end') return 'END: the run ends successfully';
  if (n.kind === 'missing') return `missing node ${n.label}: no node has this id`;
  const parts = [`${n.kind} node ${n.label}`];
  if (n.detail && n.detail !== n.kind) parts.push(n.detail.replace(/^\w+ · /, ''));
  if (n.entry) parts.push('entry');
  if (n.recovery) parts.push('graph recovery target');
  if (n.approval) parts.push('needs human approval');
  if (n.guard !== undefined) parts.push(`loop guarded in code by ${n.guard}`);
  else if (n.maxVisits !== undefined) parts.push(`max_visits ${n.maxVisits}`);
  if (n.innerLoop !== undefined) parts.push(innerLoopText(n).replace('⟲ ', ''));
  if (failureTo) parts.push(`on failure goes to ${failureTo}`);
  if (n.diagnostics) parts.push(`${n.diagnostics.count} ${n.diagnostics.severity === 'hint' ? 'info' : n.diagnostics.severity}${n.diagnostics.count > 1 ? ' findings' : ''}: ${n.diagnostics.messages.join('; ')}`);
  return parts.join(', ');
}

function renderNode(ln: LaidNode, interactive: boolean): string {
  const n = ln.node;
  const { width: w, height: h } = ln;
  const cls = ['ag-node', `k-${n.kind}`, n.recovery ? 'recovery' : '', n.entry ? 'entry' : ''].filter(Boolean).join(' ');
  const a11y = interactive ? ` tabindex="0" role="button" aria-label="${esc(accessibleLabel(n, ln.failureTo))}"` : '';
  let body = shape(n, w, h);
  if (n.kind === 'end') {
    body += `<text class="label" x="${f(w / 2)}" y="${f(h / 2 + 3)}" text-anchor="middle">END</text>`;
  } else if (n.kind !== 'start') {
    const x = 12 + (n.kind === 'router' ? 6 : n.kind === 'function' ? 4 : 0);
    const icon = ICONS[n.kind];
    const lines = nodeLines(n, ln.failureTo);
    if (icon) body += `<path class="icon" transform="translate(${x},${f(h / 2 - 8)})" d="${icon}"/>`;
    const tx = x + 24;
    const room = w - tx - (n.kind === 'router' || n.kind === 'handoff' ? 14 : 8) - openIconRoom(n);
    let y = h / 2 - (lines.length * LINE_HEIGHT) / 2 + 12;
    for (const line of lines) {
      const text = `<text class="${line.cls}" x="${tx}" y="${f(y)}">${esc(fit(line.text, room, line.size, line.bold))}</text>`;
      // The inherited failure line leads to its target: a click on it shows that node.
      body += line.cls === 'failure' ? `<g class="ag-stub" data-target="${esc(ln.failureTo!)}"><title>${esc(`on failure, after its retries: goes to ${ln.failureTo} (the on_error it inherits)`)}</title>${text}</g>` : text;
      y += LINE_HEIGHT;
    }
  }
  if (n.diagnostics) {
    const d = n.diagnostics;
    const text = d.count > 99 ? '99+' : String(d.count);
    const r = text.length > 1 ? 10 : 8.5;
    body += `<g class="ag-badge ${d.severity}" transform="translate(${f(w - 4)},2)"><title>${esc(d.messages.join('\n'))}${d.count > d.messages.length ? esc(`\n… and ${d.count - d.messages.length} more`) : ''}</title><circle r="${r}"/><text y="3.5" text-anchor="middle">${text}</text></g>`;
  }
  if (n.approval) {
    body += `<g class="ag-badge approval" transform="translate(${f(w - 4)},${f(h - 2)})"><title>approval: human (a person approves before it runs)</title><circle r="8"/><path class="glyph" d="M-2.5 0.5l1.8 1.8 3.4-4"/></g>`;
  }
  if (n.kind === 'subgraph' && n.subgraphUri && interactive) {
    body += `<g class="ag-open" data-open="1" transform="translate(${f(w - 22)},${f(h - 18)})"><title>open the subgraph's file</title><rect width="16" height="14" fill-opacity="0"/><path class="icon" d="M6 2H2v10h10V8M8 2h4v4M12 2L6.5 7.5"/></g>`;
  }
  const title = n.kind === 'start' || n.kind === 'end' ? accessibleLabel(n) : `${n.label}${n.detail ? ` (${n.detail})` : ''}`;
  return `<g class="${cls}" data-id="${esc(n.id)}" transform="translate(${f(ln.x)},${f(ln.y)})"${a11y}><title>${esc(title)}</title>${body}</g>`;
}

/** A polyline with rounded corners. */
function pathOf(points: readonly Point[], radius = 6): string {
  if (points.length === 0) return '';
  let d = `M${f(points[0].x)} ${f(points[0].y)}`;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i];
    const a = points[i - 1];
    const b = points[i + 1];
    const la = Math.hypot(p.x - a.x, p.y - a.y);
    const lb = Math.hypot(b.x - p.x, b.y - p.y);
    const r = Math.min(radius, la / 2, lb / 2);
    if (r < 0.5) {
      d += `L${f(p.x)} ${f(p.y)}`;
      continue;
    }
    const p1 = { x: p.x + ((a.x - p.x) / la) * r, y: p.y + ((a.y - p.y) / la) * r };
    const p2 = { x: p.x + ((b.x - p.x) / lb) * r, y: p.y + ((b.y - p.y) / lb) * r };
    d += `L${f(p1.x)} ${f(p1.y)}Q${f(p.x)} ${f(p.y)} ${f(p2.x)} ${f(p2.y)}`;
  }
  const last = points[points.length - 1];
  return d + `L${f(last.x)} ${f(last.y)}`;
}

function arrowClass(e: LaidEdge): string {
  if (e.edge.kind === 'error' || e.edge.kind === 'exhausted') return 'failure';
  if (e.loop === 'unbounded') return 'unbounded';
  if (e.loop === 'steps') return 'steps';
  if (e.loop === 'guarded' && e.back) return 'guarded';
  return 'normal';
}

function renderEdge(e: LaidEdge, prefix: string, labelNames: ReadonlyMap<string, string>): string {
  if (e.points.length < 2) return '';
  const k = e.edge.kind;
  const loopCls = e.loop && (e.back || e.loop !== 'guarded') ? ` loop-${e.loop}` : '';
  const cls = `ag-edge ${k}${loopCls}`;
  const what = k === 'error' ? 'on failure' : k === 'exhausted' ? 'when max_visits is exhausted' : k === 'route' ? `route "${e.edge.label}"` : k === 'fanout' ? 'in parallel (fan-out)' : k === 'command' ? 'sent by the node (Command)' : k === 'start' ? 'entry' : 'next';
  const title = `${labelNames.get(e.edge.from) ?? e.edge.from} → ${labelNames.get(e.edge.to) ?? e.edge.to}: ${what}`;
  return `<g class="${cls}" data-from="${esc(e.edge.from)}" data-to="${esc(e.edge.to)}"><title>${esc(title)}</title><path d="${pathOf(e.points)}" marker-end="url(#${prefix}arrow-${arrowClass(e)})"/></g>`;
}

function renderLabel(l: LaidLabel): string {
  const cls = `ag-elabel ${l.kind}${l.loop ? ` ${l.loop}` : ''}`;
  return `<g class="${cls}"><rect x="${f(l.x - l.width / 2)}" y="${f(l.y - l.height / 2)}" width="${f(l.width)}" height="${f(l.height)}" rx="3"/><text x="${f(l.x)}" y="${f(l.y + 4)}" text-anchor="middle">${esc(l.text)}</text></g>`;
}

// orient="auto", not "auto-start-reverse": resvg (the PNG exports) reads the latter as 0 degrees, so the heads
// of edges that arrive leftwards (back edges) pointed right, inside their target, and were hidden by it.
function markers(prefix: string): string {
  return `<defs>${['normal', 'failure', 'guarded', 'steps', 'unbounded']
    .map((c) => `<marker id="${prefix}arrow-${c}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto" markerUnits="userSpaceOnUse"><path class="ag-arrow ${c}" d="M0 0L10 5L0 10z"/></marker>`)
    .join('')}</defs>`;
}

export interface SceneOptions {
  /** Nodes get keyboard focus, roles and accessible labels (the webview). */
  interactive?: boolean;
  /** Prefix of the marker ids, so that two pictures in one page do not share them. */
  idPrefix?: string;
}

/** The graph itself: markers, edges, edge labels, nodes (in that order, so nodes sit on top). */
export function renderScene(layout: GraphLayout, options: SceneOptions = {}): string {
  const prefix = options.idPrefix ?? 'ag-';
  const names = new Map(layout.nodes.map((n) => [n.node.id, n.node.kind === 'start' ? 'start' : n.node.label]));
  const edges = layout.edges.map((e) => renderEdge(e, prefix, names)).join('');
  const labels = layout.edges.flatMap((e) => e.labels.map(renderLabel)).join('');
  const nodes = layout.nodes.map((n) => renderNode(n, options.interactive ?? false)).join('');
  return `${markers(prefix)}<g class="ag-edges">${edges}</g><g class="ag-labels">${labels}</g><g class="ag-nodes">${nodes}</g>`;
}

/** The header's lines: name, description, budget and worst case, findings. */
export function headerFigures(model: GraphViewModel): { text: string; cls: string }[] {
  const h = model.header;
  const out: { text: string; cls: string }[] = [];
  const b = h.budget;
  if (b) {
    const parts = [b.usd !== undefined ? formatUsd(b.usd) : '', b.tokens !== undefined ? `${formatTokens(b.tokens)} tokens` : '', b.steps !== undefined ? `${b.steps} steps` : '', b.toolCalls !== undefined ? `${b.toolCalls} tool calls` : '', b.wallS !== undefined ? `${b.wallS} s` : ''].filter(Boolean);
    out.push({ text: `budget ${parts.join(' · ')}`, cls: '' });
  } else out.push({ text: 'no budget', cls: 'warning' });
  const wc = h.worstCase;
  if (wc) {
    const notes = [wc.unbounded ? 'unbounded loop left out' : '', wc.lowerBound ? 'unpriced model: lower bound' : '', wc.inputNotEstimated ? 'input not estimated' : ''].filter(Boolean);
    out.push({ text: `worst case ${formatUsd(wc.usd)} · ${formatTokens(wc.tokens)} tokens${wc.overBudget ? ' (over budget)' : ''}${notes.length ? ` (${notes.join(', ')})` : ''}`, cls: wc.overBudget || wc.unbounded ? 'over' : '' });
  }
  const c = h.counts;
  const findings = [`${c.error} error${c.error === 1 ? '' : 's'}`, `${c.warning} warning${c.warning === 1 ? '' : 's'}`, `${c.info + c.hint} info`].join(' · ');
  out.push({ text: findings, cls: c.error ? 'error' : c.warning ? 'warning' : '' });
  return out;
}

const HEADER_HEIGHT = 64;

export interface SvgOptions {
  palette: Palette;
  /** A band on top with the graph's name, budget, worst case and findings (default true). */
  header?: boolean;
}

/** A standalone SVG document: the CLI's output and the panel's exports. */
export function renderSvg(layout: GraphLayout, options: SvgOptions): string {
  const p = options.palette;
  const withHeader = options.header ?? true;
  const head = withHeader ? renderHeader(layout) : { svg: '', width: 0 };
  const top = withHeader ? HEADER_HEIGHT : 0;
  const width = Math.ceil(Math.max(layout.width, head.width, 120));
  const height = Math.ceil(layout.height + top);
  const title = `${layout.model.header.name}: agent graph`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="ag-graph" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(title)}">` +
    `<title>${esc(title)}</title><style>${graphCss(p, FONT.family)}</style>` +
    `<rect width="100%" height="100%" fill="${p.background}"/>` +
    head.svg +
    `<g transform="translate(0,${top})">${renderScene(layout)}</g></svg>\n`
  );
}

function renderHeader(layout: GraphLayout): { svg: string; width: number } {
  const h = layout.model.header;
  const figs = headerFigures(layout.model);
  // One text with spaced tspans: the renderer places each after the last, whatever the font's real widths.
  const spans = figs.map((fg, i) => `<tspan class="fig ${fg.cls}"${i > 0 ? ' dx="24"' : ''}>${esc(fg.text)}</tspan>`).join('');
  const figWidth = figs.reduce((w, fg) => w + textWidth(fg.text, 12, fg.cls !== '') + 24, 24);
  const width = Math.max(figWidth, textWidth(h.name, 16, true) + (h.description ? textWidth(h.description, 12, true) + 10 : 0) + 48);
  return {
    svg: `<g class="ag-head"><text class="title" x="24" y="26">${esc(h.name)}${h.description ? `<tspan class="desc" dx="10">${esc(h.description)}</tspan>` : ''}</text><text x="24" y="48">${spans}</text><line class="rule" x1="24" x2="${f(Math.max(width, layout.width) - 24)}" y1="62" y2="62"/></g>`,
    width,
  };
}
