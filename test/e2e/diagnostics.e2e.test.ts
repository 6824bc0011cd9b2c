// The extension in a real VS Code: it opens an agent graph file, and its language server reports the
// schema mistake of test/e2e/workspace/broken.agentgraph.yaml (line 13: `timeout_s: soon`).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { E2E_TIMEOUT_MS, withVSCode } from './harness.ts';

const WORKSPACE = 'test/e2e/workspace';
const FILE = 'broken.agentgraph.yaml';

test('opens an agent graph file in the AgentGraph language', { timeout: E2E_TIMEOUT_MS }, (t) =>
  withVSCode(t, { workspace: WORKSPACE }, async (vscode) => {
    await vscode.openFile(FILE);
    const text = await vscode.editorText();
    assert.match(text, /name: broken-support-bot/);
    assert.match(text, /timeout_s: soon/);
    // The language comes from the extension's package.json: the installed vsix is in effect.
    const mode = await vscode.page.locator('[id="status.editor.mode"]').innerText();
    assert.equal(mode.trim(), 'Agent Graph (YAML)');
    t.diagnostic(`screenshot: ${await vscode.screenshot('editor')}`);
  }));

test('extension activates and shows diagnostics', { timeout: E2E_TIMEOUT_MS }, (t) =>
  withVSCode(t, { workspace: WORKSPACE }, async (vscode) => {
    await vscode.openFile(FILE);
    const rows = await vscode.waitForProblems((r) => r.some((row) => row.code === 'AG001'), {
      timeout: 60_000,
      message: 'no AG001 diagnostic in the Problems panel',
    });
    const schemaError = rows.find((row) => row.code === 'AG001');
    assert.ok(schemaError);
    assert.equal(schemaError.severity, 'error');
    assert.equal(schemaError.line, 13);
    assert.match(schemaError.message, /timeout_s/);
    assert.match(await vscode.statusBarItem('status.problems'), /Errors: [1-9]/);
    // The same message shows when hovering the mistake.
    assert.match(await vscode.hover('soon'), /timeout_s/);
    t.diagnostic(`screenshot: ${await vscode.screenshot('problems')}`);
  }));

test('fixing the mistake in the editor clears its diagnostic', { timeout: E2E_TIMEOUT_MS }, (t) =>
  withVSCode(t, { workspace: WORKSPACE }, async (vscode) => {
    await vscode.openFile(FILE);
    await vscode.waitForProblems((rows) => rows.some((row) => row.code === 'AG001'), { timeout: 60_000 });
    await vscode.replaceText('timeout_s: soon', 'timeout_s: 30');
    await vscode.waitForProblems((rows) => rows.length > 0 && !rows.some((row) => row.code === 'AG001'), {
      message: 'AG001 stayed after the fix',
    });
    await vscode.save();
    assert.match(fs.readFileSync(path.join(vscode.workspace, FILE), 'utf8'), /timeout_s: 30/);
  }));

test('the graph files of the workspace are in Problems without being opened', { timeout: E2E_TIMEOUT_MS }, (t) =>
  withVSCode(t, { workspace: WORKSPACE }, async (vscode) => {
    // Nothing opened: the background analysis of the workspace reports the file on disk.
    const rows = await vscode.waitForProblems((r) => r.some((row) => row.code === 'AG001'), {
      timeout: 60_000,
      message: 'the unopened broken.agentgraph.yaml has no AG001 in the Problems panel',
    });
    assert.equal(rows.find((row) => row.code === 'AG001')!.line, 13);
    t.diagnostic(`screenshot: ${await vscode.screenshot('workspace-problems')}`);
  }));

test('a finding\'s code in Problems opens the rule\'s page shipped with the extension', { timeout: E2E_TIMEOUT_MS }, (t) =>
  withVSCode(t, { workspace: WORKSPACE }, async (vscode) => {
    await vscode.openFile(FILE);
    await vscode.waitForProblems((r) => r.some((row) => row.code === 'AG001'), { timeout: 60_000 });
    const link = vscode.page.locator('.markers-panel .monaco-list-row .marker-code').filter({ hasText: 'AG001' }).first().getByText('AG001', { exact: true });
    await link.click();
    await vscode.page.locator('.editor-group-container.active .tab.active[data-resource-name="AG001.md"]').waitFor({ timeout: 20_000 });
    assert.match(await vscode.editorText(), /^# AG001/);
    t.diagnostic(`screenshot: ${await vscode.screenshot('rule-page')}`);
  }));
