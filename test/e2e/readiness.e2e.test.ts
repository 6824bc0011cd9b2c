// The readiness check in a real VS Code: run from the palette over the examples workspace, the report shows
// support-triage ready and research-agent not ready, and its places open the graph at the line; on an open
// graph the status bar and the lens on its first line show the verdict, and the lens checks that one file.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { E2E_TIMEOUT_MS, waitUntil, withVSCode, type VSCode } from './harness.ts';

const WORKSPACE = 'examples';
const COMMAND = 'AgentGraph: Check Production Readiness';

/**
 * Runs the command from the palette once VS Code lists it: right after start-up the palette may open before the
 * installed extension's contributions are read, and then it does not offer the command yet.
 */
async function runReadinessCommand(vscode: VSCode): Promise<void> {
  const row = vscode.page.locator('.quick-input-widget .monaco-list-row .label-name', { hasText: COMMAND });
  await waitUntil(async () => {
    await vscode.page.keyboard.press('F1');
    const input = vscode.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await input.fill(`>${COMMAND}`);
    const listed = await row.first().waitFor({ timeout: 2_000 }).then(() => true, () => false);
    await vscode.page.keyboard.press('Escape');
    return listed;
  }, { timeout: 60_000, interval: 500, message: `the palette never listed "${COMMAND}"` });
  await vscode.runCommand(COMMAND);
}

/** The Markdown preview's content frame. */
function preview(vscode: VSCode) {
  return vscode.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

/** The summary table's rows as text, by graph name. */
async function summaryRows(vscode: VSCode): Promise<Map<string, string>> {
  const rows = await preview(vscode).locator('table tbody tr').allInnerTexts();
  return new Map(rows.map((r) => [r.split(/\s+/)[0], r.replace(/\s+/g, ' ').trim()]));
}

test('the command checks the whole workspace and the report shows each verdict', { timeout: E2E_TIMEOUT_MS }, (t) =>
  withVSCode(t, { workspace: WORKSPACE }, async (vscode) => {
    await runReadinessCommand(vscode);
    const rows = await waitUntil(async () => {
      const r = await summaryRows(vscode);
      return r.has('support-triage') && r.has('research-agent') && r;
    }, { timeout: 60_000, message: 'the report with both graphs did not show' });
    assert.match(rows.get('support-triage')!, / ready( pass){5}$/);
    assert.match(rows.get('research-agent')!, /not ready fail fail fail pass fail$/);
    assert.match(rows.get('kyc')!, / ready pass/);
    assert.match(rows.get('customer-onboarding')!, /not ready/);
    const text = await preview(vscode).locator('body').innerText();
    assert.match(text, /research-agent: not ready, 1 of 5 checkpoints pass/);
    assert.match(text, /Do first: add max_visits and on_exhausted to "critique"/);
    assert.match(text, /5 of 6 nodes that can fail \(83%\) recover without a person/);
    t.diagnostic(`screenshot: ${await vscode.screenshot('report')}`);
    await preview(vscode).locator('h3', { hasText: 'research-agent' }).scrollIntoViewIfNeeded();
    t.diagnostic(`screenshot: ${await vscode.screenshot('report-research-agent')}`);

    // A place in the report opens the graph at its line.
    await preview(vscode).locator('a', { hasText: 'research-agent.agentgraph.yaml:58' }).first().click();
    await vscode.page.locator('.editor-group-container .tab.active[data-resource-name="research-agent.agentgraph.yaml"]').waitFor({ timeout: 15_000 });
    const selection = await waitUntil(async () => {
      const s = await vscode.page.locator('[id="status.editor.selection"]').innerText().catch(() => '');
      return /Ln 58\b/.test(s) && s;
    }, { timeout: 15_000, message: 'the cursor did not go to line 58' });
    t.diagnostic(`after the click: ${selection}`);
  }));

test('an open graph shows its verdict in the status bar and the lens, and the lens checks that file', { timeout: E2E_TIMEOUT_MS }, (t) =>
  withVSCode(t, { workspace: WORKSPACE }, async (vscode) => {
    await vscode.openFile('research-agent.agentgraph.yaml');
    const status = vscode.page.locator('.statusbar-item', { hasText: 'Not ready: 1/5' });
    await status.waitFor({ timeout: 60_000 });
    const lens = vscode.activeEditor().locator('.codelens-decoration a', { hasText: 'Production readiness: not ready' });
    await lens.waitFor({ timeout: 30_000 });
    assert.match(await lens.innerText(), /not ready \(checkpoints 1, 2, 3, 5 fail\)/);
    t.diagnostic(`screenshot: ${await vscode.screenshot('status-and-lens')}`);

    await lens.click();
    const rows = await waitUntil(async () => {
      const r = await summaryRows(vscode);
      return r.size > 0 && r;
    }, { timeout: 60_000, message: 'the report of the file did not show' });
    assert.deepEqual([...rows.keys()], ['research-agent']);

    await vscode.openFile('support-triage.agentgraph.yaml');
    await vscode.page.locator('.statusbar-item', { hasText: 'Ready' }).first().waitFor({ timeout: 60_000 });
    await vscode.activeEditor().locator('.codelens-decoration a', { hasText: 'Production readiness: ready' }).waitFor({ timeout: 30_000 });
  }));

test('with a graph open, the command asks: the current graph or the whole workspace', { timeout: E2E_TIMEOUT_MS }, (t) =>
  withVSCode(t, { workspace: WORKSPACE }, async (vscode) => {
    await vscode.openFile('support-triage.agentgraph.yaml');
    await runReadinessCommand(vscode);
    const choices = vscode.page.locator('.quick-input-widget .monaco-list-row');
    await choices.first().waitFor();
    assert.deepEqual((await choices.locator('.label-name').allInnerTexts()).map((c) => c.trim()), ['Current graph', 'Whole workspace']);
    assert.equal((await choices.first().locator('.label-description').innerText()).trim(), 'support-triage.agentgraph.yaml');
    t.diagnostic(`screenshot: ${await vscode.screenshot('scope')}`);
    await choices.filter({ hasText: 'Current graph' }).click();
    const rows = await waitUntil(async () => {
      const r = await summaryRows(vscode);
      return r.size > 0 && r;
    }, { timeout: 60_000, message: 'the report of the current graph did not show' });
    assert.deepEqual([...rows.keys()], ['support-triage']);
    assert.match(rows.get('support-triage')!, / ready pass/);
  }));

test('a large workspace shows its progress while it is checked', { timeout: E2E_TIMEOUT_MS }, async (t) => {
  const big = fs.mkdtempSync(path.join(os.tmpdir(), 'agentgraph-readiness-big-'));
  t.after(() => fs.rmSync(big, { recursive: true, force: true }));
  const triage = fs.readFileSync('examples/support-triage.agentgraph.yaml', 'utf8');
  for (let i = 0; i < 300; i++) fs.writeFileSync(path.join(big, `team-${String(i).padStart(3, '0')}.agentgraph.yaml`), triage.replace('name: support-triage', `name: team-${i}`));
  await withVSCode(t, { workspace: big }, async (vscode) => {
    await runReadinessCommand(vscode);
    const toast = vscode.page.locator('.notifications-toasts .notification-toast', { hasText: 'checking production readiness' });
    await toast.waitFor({ timeout: 30_000 });
    t.diagnostic(`progress: ${(await toast.innerText()).replace(/\s+/g, ' ')}`);
    t.diagnostic(`screenshot: ${await vscode.screenshot('progress')}`);
    const rows = await waitUntil(async () => {
      const r = await summaryRows(vscode);
      return r.size === 300 && r;
    }, { timeout: 90_000, message: 'the report of 300 graphs did not show' });
    assert.ok([...rows.values()].every((r) => / ready pass/.test(r)));
    await toast.waitFor({ state: 'detached', timeout: 10_000 });
  });
});
