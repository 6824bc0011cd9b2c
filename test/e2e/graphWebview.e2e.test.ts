// The graph panel's page in headless Chromium, against the built bundle (dist/webview) and the very page the
// extension serves (same CSP): the model is laid out in the worker and drawn, clicks and keys post reveal
// messages, the cursor's highlight and the search mark nodes, a redraw keeps the view, exports post files.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GraphViewModel } from '../../common/graphModel.ts';
import { buildGraphView } from '../../server/src/view/graphView.ts';
import { lintFile, lintText } from '../support/lint.ts';
import { openWebviewPage, type WebviewPage } from '../support/webviewPage.ts';
import { readFileSync } from 'node:fs';

const TIMEOUT = 60_000;
const triage = () => buildGraphView(lintFile('examples/support-triage.agentgraph.yaml'));

async function withPage(fn: (w: WebviewPage) => Promise<void>, state?: unknown, size?: { width: number; height: number }): Promise<void> {
  const w = await openWebviewPage({ state, ...size });
  try {
    await w.waitForPosted((m) => m.type === 'ready');
    await fn(w);
    const errors = w.errors.filter((e) => !/favicon|404 \(Not Found\)/.test(e));
    assert.deepEqual(errors, [], 'no console errors (a CSP violation would be one)');
  } finally {
    await w.close();
  }
}

async function show(w: WebviewPage, model: GraphViewModel): Promise<void> {
  await w.post({ type: 'model', model, direction: 'RIGHT' });
  await w.page.waitForFunction((n) => document.querySelectorAll('#scene .ag-node').length === n, model.nodes.length, { timeout: 20_000 });
}

test('the model is laid out in the worker and drawn: nodes, edges, labels, header', { timeout: TIMEOUT }, () =>
  withPage(async (w) => {
    const model = triage();
    await show(w, model);
    const ids = await w.page.locator('#scene .ag-node').evaluateAll((els) => els.map((e) => (e as SVGGElement).dataset.id));
    assert.deepEqual(ids, model.nodes.map((n) => n.id));
    assert.equal(await w.page.locator('#scene .ag-edge path').count(), model.edges.filter((e) => !e.inherited).length);
    assert.equal(await w.page.locator('#scene .ag-stub').count(), model.edges.filter((e) => e.inherited).length, 'inherited failure transitions: a line in their node');
    assert.equal(await w.page.locator('#scene .ag-edge.error path').first().evaluate((p) => getComputedStyle(p).strokeDasharray), '6px, 4px');
    assert.match(await w.page.locator('#head-figs').innerText(), /worst case \$0\.2511 · 52,200 tokens/);
    const timings = (await w.page.evaluate('window.agentGraphTimings')) as { layoutMs: number };
    assert.ok(timings.layoutMs > 0, 'the layout ran in the worker');
    // Every node is in view at first, and has a box on screen.
    const box = await w.page.locator('#scene .ag-node[data-id="review"]').boundingBox();
    assert.ok(box && box.width > 40 && box.x >= 0 && box.x + box.width <= 1200);
  }));

test('a click on a node posts a reveal message with its id; Enter on a focused node too', { timeout: TIMEOUT }, () =>
  withPage(async (w) => {
    await show(w, triage());
    await w.page.locator('#scene .ag-node[data-id="review"]').click();
    assert.deepEqual(await w.waitForPosted((m) => m.type === 'reveal'), { type: 'reveal', nodeId: 'review' });
    await w.page.locator('#scene .ag-node[data-id="draft"]').focus();
    await w.page.keyboard.press('ArrowRight');
    const focused = await w.page.evaluate(() => (document.activeElement as SVGGElement | null)?.dataset?.id);
    assert.equal(focused, 'review', 'the arrow key moves to the next node on the right');
    await w.page.locator('#scene .ag-node[data-id="lookup"]').focus();
    await w.page.keyboard.press('Enter');
    await w.waitForPosted((m) => m.type === 'reveal' && m.nodeId === 'lookup');
    // An inherited failure line leads to its target in the picture.
    await w.page.locator('#scene .ag-node[data-id="classify"] .ag-stub').click();
    assert.equal(await w.page.evaluate(() => (document.activeElement as SVGGElement | null)?.dataset?.id), 'holding_reply');
    // The start and END are no definitions: a click on them posts nothing.
    await w.page.locator('#scene .ag-node[data-id="END"]').click();
    assert.equal((await w.posted()).filter((m) => m.type === 'reveal').length, 2);
  }));

test('a subgraph node opens its file from its link', { timeout: TIMEOUT }, () =>
  withPage(async (w) => {
    const model = buildGraphView(lintFile('examples/handoff/onboarding.agentgraph.yaml'));
    await show(w, model);
    const kyc = model.nodes.find((n) => n.kind === 'subgraph')!;
    await w.page.locator(`#scene .ag-node[data-id="${kyc.id}"] .ag-open`).click();
    assert.deepEqual(await w.waitForPosted((m) => m.type === 'openSubgraph'), { type: 'openSubgraph', nodeId: kyc.id });
  }));

test('the editor cursor highlights a node; the search marks matches and fades the rest', { timeout: TIMEOUT }, () =>
  withPage(async (w) => {
    await show(w, triage());
    await w.post({ type: 'highlight', nodeId: 'refund' });
    await w.page.locator('#scene .ag-node.highlight[data-id="refund"]').waitFor();
    await w.post({ type: 'highlight', nodeId: null });
    await w.page.locator('#scene .ag-node.highlight').waitFor({ state: 'detached' });
    await w.page.locator('#search').fill('smart');
    const matches = await w.page.locator('#scene .ag-node.match').evaluateAll((els) => els.map((e) => (e as SVGGElement).dataset.id));
    assert.deepEqual(matches, ['draft', 'review']);
    assert.equal(await w.page.locator('#search-count').innerText(), '2 matches');
    assert.equal(await w.page.locator('#scene .ag-node[data-id="lookup"]').evaluate((e) => getComputedStyle(e).opacity), '0.3');
  }));

test('a new version of the same file is redrawn in place: the view stays, the panel never goes blank', { timeout: TIMEOUT }, () =>
  withPage(async (w) => {
    await show(w, triage());
    await w.page.locator('#zoom-in').click();
    await w.page.mouse.move(600, 500);
    await w.page.mouse.down();
    await w.page.mouse.move(520, 450, { steps: 5 });
    await w.page.mouse.up();
    await w.page.waitForTimeout(100);
    const before = await w.page.locator('#canvas').evaluate((e) => (e as SVGSVGElement).style.transform);
    assert.ok((await w.posted()).every((m) => m.type !== 'reveal'), 'a drag is no click');
    await w.page.evaluate(() => {
      const win = window as unknown as { __minNodes: number };
      win.__minNodes = Infinity;
      new MutationObserver(() => (win.__minNodes = Math.min(win.__minNodes, document.querySelectorAll('#scene .ag-node').length))).observe(document.getElementById('scene')!, { childList: true, subtree: true });
    });
    const text = readFileSync('examples/support-triage.agentgraph.yaml', 'utf8').replace('approve: END', 'approve: audit');
    const edited = buildGraphView(lintText(text, 'examples/support-triage.agentgraph.yaml'));
    await show(w, edited);
    assert.equal(await w.page.locator('#scene .ag-node.k-missing[data-id="audit"]').count(), 1);
    assert.equal(await w.page.locator('#canvas').evaluate((e) => (e as SVGSVGElement).style.transform), before, 'the view is kept');
    assert.ok(((await w.page.evaluate('window.__minNodes')) as number) > 0, 'no frame without nodes');
  }));

test('a file that cannot be drawn keeps the last picture and says why', { timeout: TIMEOUT }, () =>
  withPage(async (w) => {
    const good = triage();
    await show(w, good);
    const broken = buildGraphView(lintText('agentgraph: 1\nname: [unclosed\n', 'examples/support-triage.agentgraph.yaml'));
    await w.post({ type: 'model', model: broken, direction: 'RIGHT' });
    await w.page.locator('#banner:not([hidden])').waitFor();
    assert.match(await w.page.locator('#banner').innerText(), /last valid version/);
    assert.equal(await w.page.locator('#scene .ag-node').count(), good.nodes.length);
    await w.post({ type: 'message', text: 'Open an agent graph file.' });
    assert.equal(await w.page.locator('#message').innerText(), 'Open an agent graph file.');
  }));

test('exports post an SVG document and a PNG data URL to the host', { timeout: TIMEOUT }, () =>
  withPage(async (w) => {
    await show(w, triage());
    await w.page.locator('#export-svg').click();
    const svg = await w.waitForPosted((m) => m.type === 'export' && m.format === 'svg');
    assert.ok(svg.type === 'export' && svg.data.startsWith('<svg') && !svg.data.includes('var(--vscode'), 'theme colours are resolved');
    await w.page.locator('#export-png').click();
    const png = await w.waitForPosted((m) => m.type === 'export' && m.format === 'png');
    assert.ok(png.type === 'export' && /^data:image\/png;base64,[A-Za-z0-9+/=]{1000,}$/.test(png.data));
  }));

test('the view is kept with setState and restored when the page comes back', { timeout: TIMEOUT }, async () => {
  const model = triage();
  const saved = { uri: model.uri, view: { x: -120, y: 40, k: 1.5 } };
  await withPage(async (w) => {
    await show(w, model);
    assert.equal(await w.page.locator('#canvas').evaluate((e) => (e as SVGSVGElement).style.transform), 'translate(-120px, 40px) scale(1.5)');
    const state = (await w.page.evaluate('window.__state')) as typeof saved;
    assert.deepEqual(state, saved);
  }, saved);
});

test('the automatic direction lays a tall panel out top down and a wide one left to right', { timeout: TIMEOUT }, async () => {
  const model = triage();
  const spread = async (w: WebviewPage) => {
    await w.post({ type: 'model', model, direction: 'AUTO' });
    await w.page.locator('#scene .ag-node[data-id="END"]').waitFor();
    const start = (await w.page.locator('#scene .ag-node[data-id="__start__"]').boundingBox())!;
    const end = (await w.page.locator('#scene .ag-node[data-id="END"]').boundingBox())!;
    return { dx: end.x - start.x, dy: end.y - start.y };
  };
  await withPage(async (w) => {
    const { dx, dy } = await spread(w);
    assert.ok(dy > dx, `top down in a tall panel (dx ${dx}, dy ${dy})`);
  }, undefined, { width: 500, height: 900 });
  await withPage(async (w) => {
    const { dx, dy } = await spread(w);
    assert.ok(dx > dy, `left to right in a wide panel (dx ${dx}, dy ${dy})`);
  }, undefined, { width: 1400, height: 700 });
});
