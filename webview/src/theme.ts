// Colours of the graph picture by role, and the stylesheet the renderer's classes use. In the webview every role
// is a VS Code theme variable, so the picture follows light, dark and high-contrast themes; the CLI and the
// exports use fixed colours (an exported file is read outside VS Code).

export interface Palette {
  background: string;
  foreground: string;
  muted: string;
  nodeFill: string;
  nodeBorder: string;
  edge: string;
  failure: string;
  focus: string;
  match: string;
  error: string;
  warning: string;
  info: string;
  badgeText: string;
  labelFill: string;
  guarded: string;
  llm: string;
  tool: string;
  router: string;
  function: string;
  agent: string;
  subgraph: string;
  human: string;
  handoff: string;
}

export const VSCODE_PALETTE: Palette = {
  background: 'var(--vscode-editor-background, #1e1e1e)',
  foreground: 'var(--vscode-editor-foreground, #cccccc)',
  muted: 'var(--vscode-descriptionForeground, #9d9d9d)',
  nodeFill: 'var(--vscode-editorWidget-background, #252526)',
  nodeBorder: 'var(--vscode-contrastBorder, var(--vscode-editorWidget-border, #555555))',
  edge: 'var(--vscode-descriptionForeground, #9d9d9d)',
  failure: 'var(--vscode-charts-orange, #d18616)',
  focus: 'var(--vscode-focusBorder, #007fd4)',
  match: 'var(--vscode-charts-yellow, #cca700)',
  error: 'var(--vscode-editorError-foreground, #f14c4c)',
  warning: 'var(--vscode-editorWarning-foreground, #cca700)',
  info: 'var(--vscode-editorInfo-foreground, #3794ff)',
  badgeText: 'var(--vscode-editor-background, #1e1e1e)',
  labelFill: 'var(--vscode-editor-background, #1e1e1e)',
  guarded: 'var(--vscode-charts-green, #89d185)',
  llm: 'var(--vscode-charts-blue, #3794ff)',
  tool: 'var(--vscode-charts-green, #89d185)',
  router: 'var(--vscode-charts-yellow, #cca700)',
  function: 'var(--vscode-symbolIcon-methodForeground, #b180d7)',
  agent: 'var(--vscode-charts-purple, #b180d7)',
  subgraph: 'var(--vscode-textLink-foreground, #3794ff)',
  human: 'var(--vscode-charts-orange, #d18616)',
  handoff: 'var(--vscode-symbolIcon-eventForeground, #ee9d28)',
};

/** The CLI's picture: a light page that reads well in a pull request and in docs. */
export const LIGHT_PALETTE: Palette = {
  background: '#ffffff',
  foreground: '#1f2328',
  muted: '#59636e',
  nodeFill: '#f6f8fa',
  nodeBorder: '#8c959f',
  edge: '#6e7781',
  failure: '#bc4c00',
  focus: '#0969da',
  match: '#bf8700',
  error: '#cf222e',
  warning: '#9a6700',
  info: '#0969da',
  badgeText: '#ffffff',
  labelFill: '#ffffff',
  guarded: '#1a7f37',
  llm: '#0969da',
  tool: '#1a7f37',
  router: '#9a6700',
  function: '#8250df',
  agent: '#8250df',
  subgraph: '#0550ae',
  human: '#bc4c00',
  handoff: '#953800',
};

export const PALETTE_ROLES = Object.keys(LIGHT_PALETTE) as (keyof Palette)[];

const KINDS = ['llm', 'tool', 'router', 'function', 'agent', 'subgraph', 'human', 'handoff'] as const;

/** The stylesheet for the renderer's classes (webview/src/render.ts), in a palette's colours. */
export function graphCss(p: Palette, fontFamily: string): string {
  return `
.ag-graph { font-family: ${fontFamily}; }
.ag-graph text { fill: ${p.foreground}; }
.ag-node .shape { fill: ${p.nodeFill}; stroke: ${p.nodeBorder}; stroke-width: 1.2; }
.ag-node .shape2 { fill: none; stroke: ${p.nodeBorder}; stroke-width: 1; }
.ag-node .label { font-size: 13px; font-weight: 600; }
.ag-node .detail, .ag-node .inner { font-size: 11px; fill: ${p.muted}; }
.ag-node .inner.unbounded { fill: ${p.error}; font-weight: 600; }
.ag-node .icon { fill: none; stroke-width: 1.5; stroke-linecap: round; stroke-linejoin: round; stroke: ${p.muted}; }
${KINDS.map((k) => `.ag-node.k-${k} .icon { stroke: ${p[k]}; }\n.ag-node.k-${k} .bar { fill: ${p[k]}; }`).join('\n')}
.ag-node.k-start .shape { fill: ${p.foreground}; stroke: none; }
.ag-node.k-end .shape { fill: none; stroke: ${p.foreground}; stroke-width: 2; }
.ag-node.k-end .core { fill: ${p.foreground}; }
.ag-node.k-end .label { font-size: 9px; font-weight: 700; fill: ${p.background}; }
.ag-node.k-missing .shape, .ag-node.k-unknown .shape { stroke: ${p.error}; stroke-dasharray: 5 3; }
.ag-node.k-missing .label { fill: ${p.error}; }
.ag-node.recovery .shape { stroke: ${p.failure}; }
.ag-node.highlight .shape { stroke: ${p.focus}; stroke-width: 3; }
.ag-node.match .shape { stroke: ${p.match}; stroke-width: 3; }
.ag-graph.searching .ag-node:not(.match), .ag-graph.searching .ag-edge { opacity: 0.3; }
.ag-node:focus { outline: none; }
.ag-node:focus .shape { stroke: ${p.focus}; stroke-width: 3; stroke-dasharray: 4 2; }
.ag-badge circle { stroke: ${p.background}; stroke-width: 1.5; }
.ag-badge text { font-size: 10px; font-weight: 700; fill: ${p.badgeText}; }
.ag-badge.error circle { fill: ${p.error}; }
.ag-badge.warning circle { fill: ${p.warning}; }
.ag-badge.info circle, .ag-badge.hint circle { fill: ${p.info}; }
.ag-badge.approval circle { fill: ${p.human}; }
.ag-badge .glyph { fill: none; stroke: ${p.badgeText}; stroke-width: 1.4; stroke-linecap: round; }
.ag-node .failure { font-size: 11px; fill: ${p.failure}; }
.ag-edge path { fill: none; stroke: ${p.edge}; stroke-width: 1.4; }
.ag-edge.fanout path { stroke-width: 2.4; }
.ag-edge.error path { stroke: ${p.failure}; stroke-dasharray: 6 4; }
.ag-edge.exhausted path { stroke: ${p.failure}; stroke-dasharray: 2 3; }
.ag-edge.loop-guarded path { stroke: ${p.guarded}; }
.ag-edge.loop-steps path { stroke: ${p.warning}; }
.ag-edge.loop-unbounded path { stroke: ${p.error}; stroke-width: 2; }
.ag-arrow { stroke: none; fill: ${p.edge}; }
.ag-arrow.failure { fill: ${p.failure}; }
.ag-arrow.guarded { fill: ${p.guarded}; }
.ag-arrow.steps { fill: ${p.warning}; }
.ag-arrow.unbounded { fill: ${p.error}; }
.ag-elabel rect { fill: ${p.labelFill}; fill-opacity: 0.85; }
.ag-elabel text { font-size: 11px; fill: ${p.muted}; }
.ag-elabel.loop text { font-weight: 600; fill: ${p.guarded}; }
.ag-elabel.loop.steps text { fill: ${p.warning}; }
.ag-elabel.loop.unbounded text { fill: ${p.error}; }
.ag-elabel.exhausted text { fill: ${p.failure}; }
.ag-head .title { font-size: 16px; font-weight: 700; }
.ag-head .desc, .ag-head .fig { font-size: 12px; fill: ${p.muted}; }
.ag-head .fig.over, .ag-head .fig.error { fill: ${p.error}; font-weight: 600; }
.ag-head .fig.warning { fill: ${p.warning}; }
.ag-head .rule { stroke: ${p.nodeBorder}; stroke-width: 1; }
`;
}
