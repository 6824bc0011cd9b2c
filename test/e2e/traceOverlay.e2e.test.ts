// The trace overlay in the graph panel's page, in headless Chromium against the built bundle and the page the
// extension serves (same CSP): figures under the nodes, heat, counts on the edges taken, the active node pulsing,
// failure transitions in the error colour, the run picker and the replay scrubber; nothing is laid out again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import type { GraphPanelMessages, TraceOverlayMessages } from '../../common/protocol.ts';
import type { TraceFigures } from '../../common/traceModel.ts';
import { buildGraphView } from '../../server/src/view/graphView.ts';
import { aggregate, createTraceState, reduce, setGraph } from '../../server/src/traces/aggregate.ts';
import { graphContext } from '../../server/src/traces/graphContext.ts';
import { readTraceText } from '../../server/src/traces/traceText.ts';
import { lintFile } from '../support/lint.ts';
import { openWebviewPage, type WebviewPage } from '../support/webviewPage.ts';

const TIMEOUT = 60_000;
const GRAPH = 'test/fixtures/traces/weather.agentgraph.yaml';

function figuresFor(options: { runId?: string; position?: number } = {}): TraceFigures {
  const a = lintFile(GRAPH);
  const ctx = graphContext(a.uri, a.graph!, a.queries!);
  const state = createTraceState();
  setGraph(state, ctx);
  reduce(state, readTraceText(readFileSync('test/fixtures/traces/langgraph-debug-stream.jsonl', 'utf8'), 'debug.jsonl').events);
  const first = aggregate(state, ctx).figures.runs[0].id;
  return aggregate(state, ctx, { ...(options.runId !== undefined ? { runId: first } : {}), ...(options.position !== undefined ? { runId: first, position: options.position } : {}) }).figures;
}

async function withPage(fn: (w: WebviewPage) => Promise<void>): Promise<void> {
  const w = await openWebviewPage({ width: 1400, height: 700 });
  try {
    await w.waitForPosted((m) => m.type === 'ready');
    const model = buildGraphView(lintFile(GRAPH));
    await w.post({ type: 'model', model, direction: 'RIGHT' });
    await w.page.waitForFunction((n) => document.querySelectorAll('#scene .ag-node').length === n, model.nodes.length, { timeout: 20_000 });
    await fn(w);
    const errors = w.errors.filter((e) => !/favicon|404 \(Not Found\)/.test(e));
    assert.deepEqual(errors, [], 'no console errors (a CSP violation would be one)');
  } finally {
    await w.close();
  }
}

const overlay = (figures: TraceFigures | null, heat: TraceOverlayMessages.Heat = 'visits') => ({ type: 'traceOverlay', figures, heat }) as unknown as GraphPanelMessages.ToWebview;
const transforms = (w: WebviewPage) => w.page.locator('#scene .ag-node').evaluateAll((els) => els.map((e) => `${(e as SVGGElement).dataset.id}@${e.getAttribute('transform')}`));

/**
 * The count badges that cover a node's figure plate, an edge's label or another badge, as `badge / what it covers`. A string, not a
 * function: tsx would wrap the function's named helpers in one the page does not have.
 */
const badgeOverlaps = (w: WebviewPage) => w.page.evaluate(`(() => {
  const boxes = (sel) => Array.from(document.querySelectorAll(sel)).map((e) => {
    const node = e.closest('.ag-node');
    const badge = e.closest('.ag-trace.count');
    const label = e.closest('.ag-elabel');
    return { name: node ? node.dataset.id : label ? label.textContent : badge.dataset.from + '->' + badge.dataset.to, r: e.getBoundingClientRect() };
  });
  const plates = boxes('#scene .ag-trace.figs rect.plate');
  const badges = boxes('#scene .ag-trace.count rect');
  const labels = boxes('#scene .ag-elabel rect');
  const meet = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const out = [];
  badges.forEach((b, i) => {
    for (const p of plates) if (meet(b.r, p.r)) out.push(b.name + ' / figures of ' + p.name);
    for (const l of labels) if (meet(b.r, l.r)) out.push(b.name + ' / label ' + l.name);
    for (const o of badges.slice(i + 1)) if (meet(b.r, o.r)) out.push(b.name + ' / ' + o.name);
  });
  return out;
})()`) as Promise<string[]>;

test('figures under the nodes, heat, counts on the transitions taken; the layout stays put', { timeout: TIMEOUT }, () =>
  withPage(async (w) => {
    const before = await transforms(w);
    await w.post(overlay(figuresFor()));
    await w.page.locator('#scene .ag-node[data-id="agent"] .ag-trace.figs').waitFor();
    assert.equal(await w.page.locator('#scene .ag-node[data-id="agent"] .ag-trace.figs text').first().textContent(), '3× · 1.6k tok · $0.0003 · p50 816 ms');
    assert.equal(await w.page.locator('#scene .ag-node[data-id="tools"] .ag-trace.figs text.problems').textContent(), '1 soft');
    // Each figure line sits on a plate of the background colour, so that the edges under it do not strike it through.
    const unplated = await w.page.locator('#scene .ag-trace.figs text').evaluateAll((els) => els.filter((t) => {
      const plate = t.previousElementSibling;
      if (!plate || plate.tagName !== 'rect' || !plate.classList.contains('plate')) return true;
      const b = (t as SVGTextElement).getBBox();
      const p = (plate as SVGRectElement).getBBox();
      return !(p.x <= b.x && p.y <= b.y && p.x + p.width >= b.x + b.width && p.y + p.height >= b.y + b.height);
    }).map((t) => t.textContent));
    assert.deepEqual(unplated, []);
    assert.deepEqual(await badgeOverlaps(w), [], 'no count badge covers a figure line, an edge label or another badge');
    const counts = await w.page.locator('#scene .ag-trace.count').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-from')}->${e.getAttribute('data-to')}:${e.textContent}`).sort());
    assert.deepEqual(counts, ['__start__->router:1', 'agent->END:1', 'agent->tools:2', 'router->agent:1', 'tools->agent:2']);
    assert.equal(await w.page.locator('#scene .ag-edge.trace-idle').count(), await w.page.locator('#scene .ag-edge').count() - 5, 'the transitions never taken fade');
    const heat = await w.page.locator('#scene .ag-node[data-id="agent"]').evaluate((e) => (e as SVGGElement).style.getPropertyValue('--trace-heat'));
    assert.equal(heat, '1.000');
    assert.deepEqual(await transforms(w), before, 'no node moved');
    assert.equal(await w.page.locator('.trace-bar .summary').innerText(), '1 run · 6 spans · ⟲ agent·tools: agent 3× (max_visits 4)');
    assert.match((await w.page.locator('.trace-bar .summary').getAttribute('title')) ?? '', /loop agent → tools: at most 3 visits of agent in one run; bound: max_visits 4 on agent/);
    // Runs that do not match the graph (AG805) are named beside the runs counted.
    await w.post(overlay({ ...figuresFor(), mismatchedRuns: 2 }));
    await w.page.locator('.trace-bar .summary', { hasText: '2 runs not matching the graph' }).waitFor();
    await w.post(overlay(figuresFor()));
    await w.page.screenshot({ path: 'test-results/e2e/trace-overlay-webview.png' });

    // Cost heat: the switch asks the host; the host answers with the same figures in cost mode.
    await w.page.locator('.trace-bar button', { hasText: 'Cost' }).click();
    assert.deepEqual(await w.waitForPosted((m) => (m as { type: string }).type === 'traceHeat'), { type: 'traceHeat', heat: 'cost' });
    // A redraw of the model keeps the overlay on.
    await w.post({ type: 'model', model: buildGraphView(lintFile(GRAPH)), direction: 'RIGHT' });
    await w.page.locator('#scene .ag-node[data-id="agent"] .ag-trace.figs').waitFor();
    // No figures: the overlay goes away.
    await w.post(overlay(null));
    await w.page.locator('#scene .ag-trace').first().waitFor({ state: 'detached' });
    assert.equal(await w.page.locator('.trace-bar').isHidden(), true);
  }));

test('run picker and replay: one run up to a step, the active node pulsing, failure transitions in the error colour', { timeout: TIMEOUT }, () =>
  withPage(async (w) => {
    await w.post(overlay(figuresFor()));
    const picker = w.page.locator('.trace-bar select');
    await picker.waitFor();
    const options = await picker.locator('option').allTextContents();
    assert.equal(options[0], 'All runs (1)');
    assert.match(options[1], /^thread-43 · 12:00:00 · ok/);
    await picker.selectOption({ index: 1 });
    const chosen = (await w.waitForPosted((m) => (m as { type: string }).type === 'traceSelectRun')) as unknown as { runId: string };
    assert.match(chosen.runId, /^thread-43\//);

    await w.post(overlay(figuresFor({ position: 3 })));
    await w.page.locator('#scene .ag-node.trace-active[data-id="tools"]').waitFor();
    assert.equal(await w.page.locator('.trace-bar input[type=range]').inputValue(), '3');
    assert.match(await w.page.locator('.trace-bar').innerText(), /step 3\/6: tools/);
    assert.equal(await w.page.locator('#scene .ag-node[data-id="agent"] .ag-trace.figs text').first().textContent(), '1× · 450 tok · <$0.0001 · p50 816 ms');
    const animation = await w.page.locator('#scene .ag-node.trace-active .shape').first().evaluate((e) => getComputedStyle(e).animationName);
    assert.equal(animation, 'ag-trace-pulse');
    await w.page.screenshot({ path: 'test-results/e2e/trace-overlay-replay.png' });

    // The replay button in words, its title saying what a click does now.
    const play = w.page.locator('.trace-bar button[aria-label="Replay"]');
    assert.deepEqual([await play.textContent(), await play.getAttribute('title')], ['Play', 'Replay the run step by step']);
    await play.click();
    const pause = w.page.locator('.trace-bar button[aria-label="Pause"]');
    assert.deepEqual([await pause.textContent(), await pause.getAttribute('title')], ['Pause', 'Pause the replay']);
    await pause.click();
    await play.waitFor();

    // With a run selected, "All runs" still counts all of them, not the one the figures cover.
    const two = figuresFor({ position: 3 });
    two.runs.push({ ...two.runs[0], id: `${two.runs[0].id}-2`, label: 'thread-44 · 12:01:00' });
    await w.post(overlay(two));
    await w.page.waitForFunction(() => document.querySelectorAll('.trace-bar select option').length === 3);
    assert.equal((await picker.locator('option').allTextContents())[0], 'All runs (2)');

    // The scrubber asks the host for another position.
    await w.page.locator('.trace-bar input[type=range]').fill('5');
    assert.deepEqual(await w.waitForPosted((m) => (m as { type: string }).type === 'traceReplay'), { type: 'traceReplay', position: 5 });

    // A failure transition taken: on the exhausted edge agent -> apologise, drawn in the error colour.
    const f = figuresFor();
    f.edges.push({ from: 'agent', to: 'apologise', count: 2, failures: 2, declared: true, kind: 'exhausted' });
    await w.post(overlay(f));
    const failed = w.page.locator('#scene .ag-edge.trace-failed[data-from="agent"][data-to="apologise"] path');
    await failed.waitFor();
    const stroke = await failed.evaluate((p) => getComputedStyle(p).stroke);
    const errorColour = await w.page.evaluate(() => {
      const probe = document.createElementNS('http://www.w3.org/2000/svg', 'path');
      probe.style.stroke = 'var(--vscode-editorError-foreground, #f14c4c)';
      document.querySelector('#scene')!.append(probe);
      const c = getComputedStyle(probe).stroke;
      probe.remove();
      return c;
    });
    assert.equal(stroke, errorColour);
  }));
