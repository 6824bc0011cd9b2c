// Switching folders in a real VS Code (issue 13): the window loads another folder, the old extension host is shut
// down with its language client, and a new one starts. VS Code asks the closing window's providers for code
// actions as it goes; those requests used to fail inside the stopping client and log "Request
// textDocument/codeAction failed. Starting server failed" and "provider FAILED" on every switch. The new window's
// server works (diagnostics, quick fixes), and no log of the session carries those lines.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { E2E_TIMEOUT_MS, withVSCode, type VSCode } from './harness.ts';

/** research-agent.agentgraph.yaml line 27, `  plan:`: AG101 (no recovery path), which has a quick fix. */
async function quickFixesAtPlan(vscode: VSCode): Promise<string[]> {
  await vscode.openFile('research-agent.agentgraph.yaml');
  await vscode.waitForProblems((rows) => rows.some((r) => r.code === 'AG101' && r.line === 27), { timeout: 60_000 });
  await vscode.goToLine(27, 4);
  await vscode.focusEditor();
  await vscode.page.keyboard.press('Control+.');
  const rows = vscode.page.locator('.action-widget .monaco-list-row');
  await rows.first().waitFor({ timeout: 30_000 });
  const titles = await rows.allInnerTexts();
  await vscode.page.keyboard.press('Escape');
  return titles;
}

test('switching folders: the new window lints and offers fixes, and no code action request fails in the closing one', { timeout: E2E_TIMEOUT_MS }, (t) =>
  withVSCode(t, { workspace: 'examples' }, async (vscode) => {
    assert.ok((await quickFixesAtPlan(vscode)).some((s) => /on_error/.test(s)), 'the quick fix for AG101 is offered');

    await vscode.switchFolder('test/e2e/workspace');
    await vscode.openFile('broken.agentgraph.yaml');
    await vscode.waitForProblems((rows) => rows.some((r) => r.code === 'AG001'), { timeout: 60_000 });
    await vscode.goToLine(13, 5);

    await vscode.switchFolder('examples');
    assert.ok((await quickFixesAtPlan(vscode)).some((s) => /on_error/.test(s)), 'the quick fix is offered after switching back');

    // The two windows left behind were shut down (their extension hosts logged it), and nothing failed there.
    const terminated = vscode.logLines(/Extension host terminating/);
    assert.ok(terminated.length >= 2, `both old extension hosts were shut down:\n${terminated.join('\n')}`);
    const failures = vscode.logLines(/Starting server failed|codeAction failed|provider FAILED|Request textDocument\/\S+ failed/);
    assert.deepEqual(failures, [], 'no request failed while a window closed');
  }));
