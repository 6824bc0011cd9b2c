// The bundled examples as a user meets them: the research agent that is not production-ready shows its
// defects in the Problems panel with their codes and lines; bounding its loop in the editor clears AG201;
// the code of a diagnostic in the hover links to the rule's page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { E2E_TIMEOUT_MS, withVSCode } from './harness.ts';

const FILE = 'research-agent.agentgraph.yaml';

test('a graph with defects shows them in the Problems panel with codes and lines', { timeout: E2E_TIMEOUT_MS }, (t) =>
  withVSCode(t, { workspace: 'examples' }, async (vscode) => {
    await vscode.openFile(FILE);
    const rows = await vscode.waitForProblems((r) => r.some((row) => row.code === 'AG201'), { timeout: 60_000, message: 'no AG201 in the Problems panel' });
    const at = (code: string) => rows.filter((r) => r.code === code).map((r) => `${r.severity}:${r.line}`);
    assert.deepEqual(at('AG201'), ['error:58'], 'the unbounded loop, at the route that closes it');
    assert.deepEqual(at('AG205'), ['error:43'], 'the agent without max_iterations');
    assert.deepEqual(at('AG301'), ['warning:6'], 'no cost limit, at the graph name');
    assert.deepEqual(at('AG302'), ['warning:53'], 'critique has no max_output_tokens');
    assert.ok(rows.every((r) => r.source === 'agentgraph'));
    t.diagnostic(`screenshot: ${await vscode.screenshot('research-agent')}`);
  }));

test('bounding the loop in the editor makes AG201 disappear', { timeout: E2E_TIMEOUT_MS }, (t) =>
  withVSCode(t, { workspace: 'examples' }, async (vscode) => {
    await vscode.openFile(FILE);
    await vscode.waitForProblems((r) => r.some((row) => row.code === 'AG201'), { timeout: 60_000 });
    await vscode.goToLine(58);
    await vscode.replaceText('routes: { more: plan, enough: write }', 'routes: { more: plan, enough: write }\n    max_visits: 3\n    on_exhausted: write');
    const rows = await vscode.waitForProblems((r) => r.length > 0 && !r.some((row) => row.code === 'AG201'), { message: 'AG201 stayed after the loop was bounded' });
    // The panel redraws its rows after an edit: wait for it to settle rather than read it mid-refresh.
    const settled = rows.some((r) => r.code === 'AG205') ? rows : await vscode.waitForProblems((r) => r.some((row) => row.code === 'AG205') && !r.some((row) => row.code === 'AG201'), { message: 'the other defects stay (AG205)' });
    assert.ok(settled.some((r) => r.code === 'AG205'), 'the other defects stay');
    assert.ok(!rows.some((r) => r.code === 'AG001'), 'the edit left a valid file');
  }));

test("hovering a diagnostic shows its code as a link to the rule's page", { timeout: E2E_TIMEOUT_MS }, (t) =>
  withVSCode(t, { workspace: 'examples' }, async (vscode) => {
    await vscode.openFile(FILE);
    await vscode.waitForProblems((r) => r.some((row) => row.code === 'AG205'), { timeout: 60_000 });
    await vscode.goToLine(43);
    const text = await vscode.hover('read:');
    assert.match(text, /max_iterations/);
    const link = vscode.page.locator('.monaco-hover:not(.hidden) a', { hasText: 'AG205' }).first();
    await link.waitFor();
    const href = (await link.getAttribute('data-href')) ?? (await link.getAttribute('href')) ?? '';
    assert.match(href, /docs\/rules\/AG205\.md$/);
    t.diagnostic(`screenshot: ${await vscode.screenshot('hover-link')}`);
  }));
