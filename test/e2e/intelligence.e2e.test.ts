// Editor intelligence in a real VS Code: the completion list offers the graph's node ids after `next:`, a
// quick fix removes the diagnostic it targets, and the cost shows in a code lens, inlay hints and the hover.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { E2E_TIMEOUT_MS, REPO_ROOT, waitUntil, withVSCode, type VSCode } from './harness.ts';

const TRIAGE = 'support-triage.agentgraph.yaml';
const RESEARCH = 'research-agent.agentgraph.yaml';
const lineOf = (file: string, text: string) => fs.readFileSync(path.join(REPO_ROOT, 'examples', file), 'utf8').split('\n').indexOf(text) + 1;

/** The labels of the rows of the open suggest widget. */
async function suggestions(vscode: VSCode): Promise<string[]> {
  const rows = vscode.page.locator('.editor-widget.suggest-widget.visible .monaco-list-row .label-name');
  await rows.first().waitFor();
  return waitUntil(async () => {
    const labels = (await rows.allInnerTexts()).map((l) => l.trim());
    return labels.length > 0 ? labels : undefined;
  }, { message: 'the suggest widget stayed empty' });
}

test('completion offers the node ids after next:', { timeout: E2E_TIMEOUT_MS }, (t) =>
  withVSCode(t, { workspace: 'examples' }, async (vscode) => {
    await vscode.openFile(TRIAGE);
    // The language server has analysed the file once its lens shows.
    await vscode.activeEditor().locator('.codelens-decoration', { hasText: 'Worst case per run' }).first().waitFor({ timeout: 60_000 });
    const line = lineOf(TRIAGE, '    next: review');
    assert.ok(line > 0);
    // Clear the target and ask for suggestions where it was.
    await vscode.goToLine(line, '    next: review'.length + 1);
    for (let i = 0; i < 'review'.length; i++) await vscode.page.keyboard.press('Backspace');
    await vscode.page.keyboard.press('Control+Space');
    const labels = await suggestions(vscode);
    for (const id of ['classify', 'lookup', 'draft', 'review', 'refund', 'escalate', 'END']) assert.ok(labels.includes(id), `no ${id} in ${labels.join(', ')}`);
    t.diagnostic(`screenshot: ${await vscode.screenshot('completion')}`);
    // Choosing one writes it.
    await vscode.page.keyboard.type('esc');
    await waitUntil(async () => (await suggestions(vscode))[0] === 'escalate', { message: 'escalate is not the first suggestion for "esc"' });
    await vscode.page.keyboard.press('Enter');
    await waitUntil(async () => (await vscode.editorText()).includes('    next: escalate'), { message: 'the suggestion was not inserted' });
  }));

test('a quick fix removes the diagnostic it targets and leaves a valid file', { timeout: E2E_TIMEOUT_MS }, (t) =>
  withVSCode(t, { workspace: 'examples' }, async (vscode) => {
    await vscode.openFile(RESEARCH);
    await vscode.waitForProblems((rows) => rows.some((r) => r.code === 'AG205'), { timeout: 60_000, message: 'no AG205 in the Problems panel' });
    const line = lineOf(RESEARCH, '  read:');
    await vscode.goToLine(line, 3);
    await vscode.page.keyboard.press('Control+.');
    const fix = vscode.page.locator('.action-widget .monaco-list-row', { hasText: 'Add max_iterations: 10 to "read"' });
    await fix.waitFor();
    t.diagnostic(`screenshot: ${await vscode.screenshot('quick-fix-menu')}`);
    // The menu takes the keyboard (a pointer block covers the page): walk down to the fix and apply it.
    const focused = vscode.page.locator('.action-widget .monaco-list-row.focused');
    for (let i = 0; i < 10 && !((await focused.getAttribute('aria-label').catch(() => '')) ?? '').startsWith('Add max_iterations'); i++) {
      await vscode.page.keyboard.press('ArrowDown');
    }
    assert.match((await focused.getAttribute('aria-label')) ?? '', /^Add max_iterations: 10 to "read"/);
    await vscode.page.keyboard.press('Enter');
    const rows = await vscode.waitForProblems((r) => r.length > 0 && !r.some((x) => x.code === 'AG205'), { message: 'AG205 stayed after its quick fix' });
    assert.deepEqual(rows.filter((r) => r.code === 'AG001'), [], 'the fix broke the file');
    assert.ok(rows.some((r) => r.code === 'AG201'), 'the other findings are still there');
    await vscode.goToLine(line);
    assert.match(await vscode.editorText(), /    kind: agent {2,}# a ReAct loop[^\n]*\n    max_iterations: 10\n/);
  }));

test('the worst-case cost shows in a code lens, in inlay hints and in the hover of a node', { timeout: E2E_TIMEOUT_MS }, (t) =>
  withVSCode(t, { workspace: 'examples' }, async (vscode) => {
    await vscode.openFile(TRIAGE);
    const lens = vscode.activeEditor().locator('.contentWidgets .codelens-decoration', { hasText: 'Worst case per run' });
    await lens.first().waitFor({ timeout: 60_000 });
    assert.match(await lens.first().innerText(), /Worst case per run: \$0\.\d+ · [\d,]+ tokens \(budget \$0\.40\)/);
    t.diagnostic(`screenshot: ${await vscode.screenshot('cost-lens')}`);
    await vscode.goToLine(lineOf(TRIAGE, '  review:'));
    // Rendered text uses non-breaking spaces: match the figures only.
    const hint = vscode.activeEditor().locator('.view-lines span', { hasText: /\$0\.0594\/run/ });
    await hint.first().waitFor({ timeout: 30_000 });
    const hover = await vscode.hover('review:');
    assert.match(hover, /review · llm node/);
    assert.match(hover, /Worst case per run: \$0\.0594/);
    t.diagnostic(`screenshot: ${await vscode.screenshot('cost-hover')}`);
  }));
