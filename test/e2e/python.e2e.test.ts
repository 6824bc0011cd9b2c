// A LangGraph graph written in Python, as a user meets it in a real VS Code: graph.py's draft <-> critique loop is
// AG201 in the Problems panel, the editor title offers Open Graph, the panel draws the graph and a click on a node
// puts the cursor on its add_node string, and typing a guard into the router clears AG201 and changes the loop's
// label to the guard's evidence. A module without StateGraph gets no button and no findings. The example's langgraph.json
// names its graph, and a mistyped variable there is AG002 on the entry.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { E2E_TIMEOUT_MS, REPO_ROOT, waitUntil, withVSCode, type VSCode } from './harness.ts';

const WORKSPACE = 'test/fixtures/e2e-python';

const graphFrame = (vscode: VSCode) => vscode.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
/** The editor title's Open Graph button of the active editor group. */
const openGraphButton = (vscode: VSCode) => vscode.page.locator('.editor-group-container.active .editor-actions .action-label[aria-label="Open Graph"]');

async function cursorLine(vscode: VSCode): Promise<number> {
  const text = (await vscode.page.locator('[id="status.editor.selection"]').innerText()).trim();
  return Number(/Ln (\d+)/.exec(text)?.[1] ?? 0);
}

test('a .py graph: AG201 on the loop, the panel, and a guard typed into the router clears it', { timeout: E2E_TIMEOUT_MS }, (t) =>
  withVSCode(t, { workspace: WORKSPACE }, async (vscode) => {
    const started = Date.now();
    await vscode.openFile('graph.py');
    // The loop is reported at its closing edge: critique's router, `Literal["draft", ...]` on line 26.
    const rows = await vscode.waitForProblems((r) => r.some((row) => row.code === 'AG201'), { timeout: 60_000, message: 'no AG201 in the Problems panel' });
    const loop = rows.find((row) => row.code === 'AG201')!;
    assert.equal(loop.line, 26, loop.text);
    assert.equal(loop.severity, 'error');
    assert.ok(!rows.some((row) => row.code === 'AG001'), 'no AG001 for a module that reads');
    t.diagnostic(`AG201 shown ${Date.now() - started} ms after opening graph.py`);

    // The editor title offers Open Graph for a module that builds a StateGraph.
    const button = openGraphButton(vscode);
    await button.waitFor({ timeout: 15_000 });
    await button.click();
    const frame = graphFrame(vscode);
    await frame.locator('.ag-node[data-id="critique"]').waitFor({ timeout: 60_000 });
    const labels = (await frame.locator('.ag-node .label').allTextContents()).map((s) => s.trim());
    for (const id of ['draft', 'critique', 'END']) assert.ok(labels.includes(id), `node ${id} is drawn (drawn: ${labels.join(', ')})`);
    await frame.locator('.ag-elabel.loop', { hasText: 'unbounded' }).waitFor({ timeout: 15_000 });
    t.diagnostic(`screenshot: ${await vscode.screenshot('python-unbounded')}`);

    // A click on a node puts the cursor on its add_node string literal (line 34: builder.add_node("critique", ...)).
    await vscode.goToLine(1);
    await frame.locator('.ag-node[data-id="critique"]').click();
    await waitUntil(async () => (await cursorLine(vscode)) === 34, { timeout: 15_000, message: 'the cursor did not move to add_node("critique") on line 34' });

    // Type the guard into the router, key by key as a user does (auto-indent and auto-closing apply).
    await vscode.goToLine(26);
    await vscode.page.keyboard.press('End');
    await vscode.typeInEditor('\nif state["revisions"] >= 3:\nreturn END');
    const text = await vscode.editorText();
    assert.match(text, /-> Literal\["draft", "__end__"\]:\n {4}if state\["revisions"\] >= 3:\n {8}return END\n {4}if state\["draft"\]/, 'the guard was typed as meant');
    const typed = Date.now();
    await vscode.waitForProblems((r) => r.length > 0 && !r.some((row) => row.code === 'AG201'), { timeout: 30_000, message: 'AG201 stayed after the guard' });
    t.diagnostic(`AG201 cleared ${Date.now() - typed} ms after the guard was typed`);

    // The loop's label shows the guard's evidence instead of "unbounded".
    await frame.locator('.ag-elabel.loop', { hasText: 'guard route: state["revisions"] >= 3' }).waitFor({ timeout: 15_000 });
    assert.equal(await frame.locator('.ag-elabel.loop', { hasText: 'unbounded' }).count(), 0);
    // The redraw keeps the user's viewport; fit the longer label into the picture.
    await frame.locator('#fit').click();
    await new Promise((r) => setTimeout(r, 500));
    const shot = await vscode.screenshot('python-guarded');
    t.diagnostic(`screenshot: ${shot}`);
    if (process.env.AGENTGRAPH_E2E_DOC_IMAGES === '1') fs.copyFileSync(shot, path.join(REPO_ROOT, 'docs', 'images', 'langgraph-python.png'));
  }));

test('a .py module without StateGraph: no findings, no Open Graph button', { timeout: E2E_TIMEOUT_MS }, (t) =>
  withVSCode(t, { workspace: WORKSPACE }, async (vscode) => {
    // graph.py first, so that the server is known to be up and publishing.
    await vscode.openFile('graph.py');
    await vscode.waitForProblems((r) => r.some((row) => row.code === 'AG201'), { timeout: 60_000 });
    await openGraphButton(vscode).waitFor({ timeout: 15_000 });
    await vscode.openFile('helpers.py');
    await waitUntil(async () => (await openGraphButton(vscode).count()) === 0, { timeout: 10_000, message: 'Open Graph is offered for helpers.py' });
    // Its text changes, and still nothing comes of it: every row of the Problems panel is graph.py's.
    await vscode.goToLine(5);
    await vscode.typeInEditor('\n# still no graph here');
    await new Promise((r) => setTimeout(r, 1000));
    const rows = await vscode.problems();
    assert.ok(rows.length > 0, 'graph.py still has its findings');
    const panel = await vscode.page.locator('.markers-panel').innerText();
    assert.match(panel, /graph\.py/);
    assert.doesNotMatch(panel, /helpers\.py/, 'the Problems panel lists nothing for helpers.py');
    t.diagnostic(`screenshot: ${await vscode.screenshot('python-helpers')}`);
  }));

test('langgraph.json in VS Code: the deployed graph takes its graph id, and a mistyped variable is AG002 on the entry, cleared when fixed', { timeout: E2E_TIMEOUT_MS }, (t) =>
  withVSCode(t, { workspace: 'examples' }, async (vscode) => {
    await vscode.openFile('langgraph/graph.py');
    await vscode.runCommand('AgentGraph: Open Graph');
    // The panel's title is the graph id langgraph.json gives the graph, not the builder's name in the code.
    await graphFrame(vscode).locator('.ag-node[data-id="critique"]').waitFor({ timeout: 60_000 });
    await waitUntil(async () => ((await graphFrame(vscode).locator('#head-name').textContent()) ?? '').includes('research_assistant'), { timeout: 15_000, message: 'the panel is not titled research_assistant' });

    await vscode.openFile('langgraph/langgraph.json');
    await vscode.replaceText('"./graph.py:graph"', '"./graph.py:grph"');
    const rows = await vscode.waitForProblems((r) => r.some((row) => row.code === 'AG002' && row.file === 'langgraph.json'), { timeout: 60_000, message: 'no AG002 on langgraph.json' });
    const [entry] = rows.filter((row) => row.code === 'AG002');
    assert.equal(entry.severity, 'error');
    assert.equal(entry.line, 4, entry.text);
    assert.match(entry.message, /"graph\.py" defines no "grph" \(the graph there is .*"graph"\): a deployment fails to load graph "research_assistant"/);
    t.diagnostic(`screenshot: ${await vscode.screenshot('langgraph-json')}`);
    await vscode.replaceText('"./graph.py:grph"', '"./graph.py:graph"');
    await vscode.waitForProblems((r) => !r.some((row) => row.code === 'AG002'), { timeout: 30_000, message: 'AG002 stayed after the fix' });
  }));
