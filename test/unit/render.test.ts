// The renderer (webview/src/render.ts): a laid-out graph -> SVG markup, shared by the panel and the CLI.
// Shapes by kind, failure transitions dashed, loop bounds, finding badges with their messages, escaped text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ELK from 'elkjs/lib/elk.bundled.js';
import { FONT, layoutGraph, textWidth } from '../../webview/src/layout.ts';
import { esc, fit, renderScene, renderSvg } from '../../webview/src/render.ts';
import { graphCss, LIGHT_PALETTE, VSCODE_PALETTE } from '../../webview/src/theme.ts';
import { buildGraphView } from '../../server/src/view/graphView.ts';
import { lintFile, lintText } from '../support/lint.ts';

const elk = new ELK();
const laid = async (path: string) => layoutGraph(buildGraphView(lintFile(path)), { direction: 'RIGHT' }, elk);
const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

test('every node is drawn once with its kind, every transition once with its kind', async () => {
  const l = await laid('examples/support-triage.agentgraph.yaml');
  const svg = renderScene(l, { interactive: true });
  assert.equal(count(svg, /<g class="ag-node /g), l.nodes.length);
  assert.equal(count(svg, /<g class="ag-edge /g), l.edges.length);
  for (const k of ['k-start', 'k-llm', 'k-tool', 'k-handoff', 'k-end']) assert.match(svg, new RegExp(`class="ag-node ${k}`));
  assert.match(svg, /<g class="ag-node k-llm" data-id="review"[^>]* tabindex="0" role="button" aria-label="llm node review, smart, max_visits 3, on failure goes to holding_reply"/);
  assert.equal(count(svg, /class="ag-edge error/g), l.edges.filter((e) => e.edge.kind === 'error').length);
  assert.match(svg, /class="ag-edge route loop-guarded" data-from="review" data-to="draft"/);
  assert.match(svg, /class="ag-elabel loop guarded"[^]*?⟲ max_visits 3/);
  assert.match(svg, /class="ag-badge approval"/);
  assert.doesNotMatch(renderScene(l), /tabindex/, 'the CLI picture has no focus stops');
});

test('failure transitions are dashed and distinct; an unbounded loop is in the error colour', () => {
  const css = graphCss(LIGHT_PALETTE, 'sans-serif');
  assert.match(css, /\.ag-edge\.error path \{ stroke: #bc4c00; stroke-dasharray: 6 4; \}/);
  assert.match(css, /\.ag-edge\.loop-unbounded path \{ stroke: #cf222e;/);
  assert.match(graphCss(VSCODE_PALETTE, 'sans-serif'), /stroke: var\(--vscode-editorError-foreground/);
});

test('badges give the count and severity of a node\'s findings, and their messages on hover', async () => {
  const l = await laid('examples/research-agent.agentgraph.yaml');
  const svg = renderScene(l);
  const read = l.nodes.find((n) => n.node.id === 'read')!.node.diagnostics!;
  const badge = new RegExp(`<g class="ag-badge error"[^>]*><title>AG205: [^<]*</title><circle r="[\\d.]+"/><text[^>]*>${read.count}</text></g>`);
  assert.match(svg, badge);
  assert.match(svg, /class="inner unbounded"[^>]*>⟲ unbounded inner loop</);
  assert.match(svg, /class="ag-elabel loop unbounded"[^]*?⟲ unbounded/);
});

test('text from the graph file is escaped', async () => {
  const analysis = lintText('agentgraph: 1\nname: x\nentry: a\nnodes:\n  a: { kind: router, routes: { "<script>&\\"": b } }\n  b: { kind: function, next: END }\n');
  const l = await layoutGraph(buildGraphView(analysis), { direction: 'RIGHT' }, elk);
  const svg = renderScene(l, { interactive: true });
  assert.doesNotMatch(svg, /<script/);
  assert.match(svg, /&lt;script&gt;&amp;&quot;/);
  assert.equal(esc(`<a href='x'>&</a>`), '&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;');
});

test('a long label is shortened with an ellipsis to fit its node', () => {
  assert.equal(fit('short', 100, 13), 'short');
  const s = fit('a_very_long_node_identifier_that_goes_on_and_on', 120, 13, true);
  assert.ok(s.endsWith('…') && s.length < 30, s);
});

test('a standalone SVG has a header with the budget and the worst case, its styles, and one root', async () => {
  const l = await laid('examples/support-triage.agentgraph.yaml');
  const svg = renderSvg(l, { palette: LIGHT_PALETTE });
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" class="ag-graph" width="\d+" height="\d+"/);
  assert.match(svg, /budget \$0\.40 · 60,000 tokens · 30 steps/);
  assert.match(svg, /worst case \$0\.2511 · 52,200 tokens/);
  assert.match(svg, /<style>[^<]*\.ag-node \.shape/);
  assert.doesNotMatch(svg, /var\(--vscode/, 'no theme variables outside VS Code');
  assert.equal(count(svg, /<svg/g), 1);
  assert.ok(svg.trimEnd().endsWith('</svg>'));
});

test('a back edge has its arrowhead in the PNG export too, outside its target (resvg read auto-start-reverse as 0°)', async () => {
  const { Resvg } = await import('@resvg/resvg-js');
  const l = await laid('examples/research-agent.agentgraph.yaml');
  const back = l.edges.find((e) => e.edge.from === 'critique' && e.edge.to === 'plan')!;
  const [a, b] = back.points.slice(-2);
  assert.ok(b.x < a.x && b.y === a.y, 'the back edge arrives leftwards, at the right side of its target');
  const width = Math.ceil(Math.max(...l.nodes.map((n) => n.x + n.width))) + 10;
  const height = Math.ceil(Math.max(...l.nodes.map((n) => n.y + n.height), ...l.edges.flatMap((e) => e.points.map((p) => p.y)))) + 10;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><style>${graphCss(LIGHT_PALETTE, FONT.family)}</style><rect width="100%" height="100%" fill="#ffffff"/>${renderScene(l)}</svg>`;
  const zoom = 4;
  const img = new Resvg(svg, { fitTo: { mode: 'zoom', value: zoom } }).render();
  const at = (x: number, y: number) => {
    const i = (Math.round(y * zoom) * img.width + Math.round(x * zoom)) * 4;
    return [img.pixels[i], img.pixels[i + 1], img.pixels[i + 2]];
  };
  // Beside the edge's line, inside where a left-pointing head lies: not the white background.
  const [r, g, bl] = at(b.x + 4.5, b.y + 2);
  assert.ok(r + g + bl < 600, `no arrowhead beside the end of the back edge (pixel ${r},${g},${bl})`);
});

test('a subgraph\'s text stops before its open-link icon', async () => {
  const l = await laid('examples/handoff/onboarding.agentgraph.yaml');
  const sub = l.nodes.find((n) => n.node.kind === 'subgraph' && n.node.subgraphUri)!;
  assert.ok(sub, 'the example has a subgraph with a file');
  const svg = renderScene(l, { interactive: true });
  const g = svg.slice(svg.indexOf(`data-id="${sub.node.id}"`)).split('</g><g class="ag-node')[0];
  const iconX = Number(/class="ag-open" data-open="1" transform="translate\(([\d.]+),/.exec(g)![1]);
  for (const [, cls, x, text] of g.matchAll(/<text class="(label|detail|failure|inner[^"]*)" x="([\d.]+)" y="[\d.]+">([^<]*)<\/text>/g)) {
    const label = cls === 'label';
    const end = Number(x) + textWidth(text.replace(/&[^;]+;/g, 'x'), label ? FONT.label : FONT.detail, label);
    assert.ok(end <= iconX + 1, `"${text}" runs to ${end.toFixed(1)}, under the icon at ${iconX}`);
  }
});
