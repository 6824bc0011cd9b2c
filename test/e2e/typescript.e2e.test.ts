// A LangGraph graph written in TypeScript, as a user meets it in a real VS Code: graph.ts's draft <-> review loop,
// which only LangGraph JS's default recursion limit (25) ends, is AG202 in the Problems panel, the editor title
// offers Open Graph, the panel draws the graph and a click on a node puts the cursor on its addNode string, and
// typing a guard into the router clears AG202 and changes the loop's label to the guard's evidence. A module
// without StateGraph and a `.d.ts` get no button and no findings. The fixture has no node_modules: what the
// TypeScript tooling says of its imports is its own business, only AgentGraph's rows (`agentgraph`) are looked at.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { E2E_TIMEOUT_MS, waitUntil, withVSCode, type ProblemRow, type VSCode } from './harness.ts';

const WORKSPACE = 'test/fixtures/e2e-typescript';
/** Key by key typing in TypeScript meets IntelliSense: no suggestion may accept itself into the guard. */
// Typed key by key: no suggestion may open and take a commit character (`;`) as its own.
const SETTINGS = { 'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' }, 'editor.suggestOnTriggerCharacters': false, 'editor.acceptSuggestionOnCommitCharacter': false, 'editor.formatOnType': false };

const graphFrame = (vscode: VSCode) => vscode.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
/** The editor title's Open Graph button of the active editor group. */
const openGraphButton = (vscode: VSCode) => vscode.page.locator('.editor-group-container.active .editor-actions .action-label[aria-label="Open Graph"]');
const ours = (rows: ProblemRow[]) => rows.filter((row) => row.source === 'agentgraph');

async function cursorLine(vscode: VSCode): Promise<number> {
  const text = (await vscode.page.locator('[id="status.editor.selection"]').innerText()).trim();
  return Number(/Ln (\d+)/.exec(text)?.[1] ?? 0);
}

test('a .ts graph: AG202 on the loop, the panel, and a guard typed into the router clears it', { timeout: E2E_TIMEOUT_MS }, (t) =>
  withVSCode(t, { workspace: WORKSPACE, settings: SETTINGS }, async (vscode) => {
    const started = Date.now();
    await vscode.openFile('graph.ts');
    // The loop is reported at its closing edge: the path map's `revise: "draft"` on line 31.
    const rows = await vscode.waitForProblems((r) => ours(r).some((row) => row.code === 'AG202'), { timeout: 60_000, message: 'no AG202 in the Problems panel' });
    const loop = ours(rows).find((row) => row.code === 'AG202')!;
    assert.equal(loop.line, 31, loop.text);
    assert.equal(loop.severity, 'warning');
    assert.match(loop.message, /default recursion limit \(25\)/);
    assert.ok(!ours(rows).some((row) => row.code === 'AG001' || row.code === 'AG201'), ours(rows).map((r) => r.text).join('\n'));
    t.diagnostic(`AG202 shown ${Date.now() - started} ms after opening graph.ts; ${rows.length - ours(rows).length} rows of other tools`);

    // The editor title offers Open Graph for a module that builds a StateGraph.
    const button = openGraphButton(vscode);
    await button.waitFor({ timeout: 15_000 });
    await button.click();
    const frame = graphFrame(vscode);
    await frame.locator('.ag-node[data-id="review"]').waitFor({ timeout: 60_000 });
    const labels = (await frame.locator('.ag-node .label').allTextContents()).map((s) => s.trim());
    for (const id of ['draft', 'review', 'END']) assert.ok(labels.includes(id), `node ${id} is drawn (drawn: ${labels.join(', ')})`);
    await frame.locator('.ag-elabel.loop', { hasText: 'default recursion limit 25 only' }).waitFor({ timeout: 15_000 });
    t.diagnostic(`screenshot: ${await vscode.screenshot('typescript-steps')}`);

    // A click on a node puts the cursor on its addNode string literal (line 28: .addNode("review", review)).
    await vscode.goToLine(1);
    await frame.locator('.ag-node[data-id="review"]').click();
    await waitUntil(async () => (await cursorLine(vscode)) === 28, { timeout: 15_000, message: 'the cursor did not move to addNode("review") on line 28' });

    // Type the guard into the router, key by key as a user does (auto-indent and auto-closing apply).
    await vscode.goToLine(22);
    await vscode.page.keyboard.press('End');
    await vscode.typeInEditor('\nif (state.revisions >= 3) return "done";');
    const text = await vscode.editorText();
    // The statement's `;` is optional in TypeScript (and an editor may swallow it): the guard is what counts.
    assert.match(text, /function route\(state: typeof State\.State\) \{\n {2}if \(state\.revisions >= 3\) return "done";?\n {2}return state\.draft/, 'the guard was typed as meant');
    const typed = Date.now();
    await vscode.waitForProblems((r) => ours(r).length > 0 && !ours(r).some((row) => row.code === 'AG202'), { timeout: 30_000, message: 'AG202 stayed after the guard' });
    t.diagnostic(`AG202 cleared ${Date.now() - typed} ms after the guard was typed`);

    // The loop's label shows the guard's evidence instead of the default limit.
    await frame.locator('.ag-elabel.loop', { hasText: 'guard route: state.revisions >= 3' }).waitFor({ timeout: 15_000 });
    assert.equal(await frame.locator('.ag-elabel.loop', { hasText: 'recursion limit' }).count(), 0);
    await frame.locator('#fit').click();
    await new Promise((r) => setTimeout(r, 500));
    t.diagnostic(`screenshot: ${await vscode.screenshot('typescript-guarded')}`);
  }));

test('a .ts module without StateGraph and a .d.ts: no findings, no Open Graph button', { timeout: E2E_TIMEOUT_MS }, (t) =>
  withVSCode(t, { workspace: WORKSPACE, settings: SETTINGS }, async (vscode) => {
    // graph.ts first, so that the server is known to be up and publishing.
    await vscode.openFile('graph.ts');
    await vscode.waitForProblems((r) => ours(r).some((row) => row.code === 'AG202'), { timeout: 60_000 });
    await openGraphButton(vscode).waitFor({ timeout: 15_000 });
    await vscode.openFile('helpers.ts');
    await waitUntil(async () => (await openGraphButton(vscode).count()) === 0, { timeout: 10_000, message: 'Open Graph is offered for helpers.ts' });
    // Its text changes, and still nothing comes of it.
    await vscode.goToLine(4);
    await vscode.page.keyboard.press('End');
    await vscode.typeInEditor('\n// still no graph here');
    // A declaration file names StateGraph, and is never read.
    await vscode.openFile('types.d.ts');
    await waitUntil(async () => (await openGraphButton(vscode).count()) === 0, { timeout: 10_000, message: 'Open Graph is offered for types.d.ts' });
    await new Promise((r) => setTimeout(r, 1000));
    const all = await vscode.problems();
    const rows = ours(all);
    assert.ok(rows.length > 0, 'graph.ts still has its findings');
    assert.deepEqual([...new Set(rows.map((row) => row.file))], ['graph.ts'], `every AgentGraph row is graph.ts's:\n${all.map((r) => `${r.file}: ${r.text}`).join('\n')}`);
    t.diagnostic(`files with rows of other tools: ${[...new Set(all.filter((row) => row.source !== 'agentgraph').map((row) => row.file))].join(', ') || 'none'}`);
    t.diagnostic(`screenshot: ${await vscode.screenshot('typescript-helpers')}`);
  }));
