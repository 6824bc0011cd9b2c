// Live traces of a real LangGraph JS app in a real VS Code: the app's own graph.ts (test/fixtures/traces-real/js)
// is open in the graph panel, the OTLP receiver is started from the Command Palette on a free port, and the app's
// recorder runs as a child process, as a user runs their agent: four conversations under the OpenInference
// LangChain instrumentation, sent by the OpenTelemetry exporter itself (OTLP/HTTP protobuf) to the extension.
// The figures appear on the nodes read from the code, and AG802 (the fourth run passed the guard's bound) in the
// Problems panel on the guard's line of graph.ts.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { jsRecorderArgs, REAL_JS_APP } from '../support/recordTraces.ts';
import { E2E_TIMEOUT_MS, REPO_ROOT, freePort, waitUntil, withVSCode, type ProblemRow, type VSCode } from './harness.ts';

const WORKSPACE = 'test/fixtures/traces-real/js';
const graphFrame = (vscode: VSCode) => vscode.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
const ours = (rows: ProblemRow[]) => rows.filter((row) => row.source === 'agentgraph');
/** The line of the guard in the app's code, 1-based as VS Code shows it. */
const GUARD_LINE = readFileSync(join(REAL_JS_APP, 'graph.ts'), 'utf8').split('\n').findIndex((l) => l.includes('>= MAX_TOOL_ROUNDS) return "reply"')) + 1;


/** Runs the app's recorder against the receiver, as the user runs their agent. */
function runApp(port: number, outDir: string): Promise<void> {
  return new Promise((done, fail) => {
    execFile(process.execPath, jsRecorderArgs(`http://127.0.0.1:${port}/v1/traces`, outDir), { cwd: REPO_ROOT, timeout: 120_000 }, (err, _out, stderr) =>
      err ? fail(new Error(`record.ts failed: ${err.message}\n${stderr}`)) : done());
  });
}

test('a real LangGraph JS app run live against the receiver: figures on the nodes read from graph.ts, AG802 on its guard', { timeout: E2E_TIMEOUT_MS }, async (t) => {
  assert.ok(GUARD_LINE > 0);
  const port = await freePort();
  await withVSCode(t, { workspace: WORKSPACE, settings: { 'agentgraph.traces.port': port } }, async (vscode) => {
    const started = Date.now();
    await vscode.openFile('graph.ts');
    // Before any trace, the guard bounds the loop: no finding of AgentGraph's on graph.ts.
    await vscode.runCommand('AgentGraph: Open Graph');
    const frame = graphFrame(vscode);
    await frame.locator('.ag-node[data-id="tools"]').waitFor({ timeout: 60_000 });
    const labels = (await frame.locator('.ag-node .label').allTextContents()).map((s) => s.trim());
    for (const id of ['agent', 'tools', 'reply']) assert.ok(labels.includes(id), `node ${id} is drawn (drawn: ${labels.join(', ')})`);
    // The lint findings are in (the overlay prompts AG301, AG601, AG701): the counter read as `?? 0` is no AG502,
    // and no conformance finding before a run.
    const lint = await vscode.waitForProblems((r) => ours(r).some((p) => p.code === 'AG301'), { timeout: 60_000, message: 'no AG301 on graph.ts' });
    assert.ok(!ours(lint).some((p) => p.code === 'AG502' || p.code.startsWith('AG8')), ours(lint).map((p) => p.text).join('\n'));

    await vscode.runCommand('AgentGraph: Start Trace Receiver');
    await vscode.page.locator('.statusbar-item', { hasText: `:${port}` }).waitFor({ timeout: 30_000 });

    // The app itself, four conversations, exported by the OpenTelemetry SDK to the extension's receiver.
    const ran = Date.now();
    await runApp(port, vscode.tempDir);
    t.diagnostic(`the app ran in ${Date.now() - ran} ms`);

    // 13 visits of agent (934 + 228 tokens), 9 of tools, 4 of reply; the loop edge counted 9 times.
    const figs = (id: string) => frame.locator(`.ag-node[data-id="${id}"] .ag-trace.figs text`).first();
    await waitUntil(async () => /^13× · 1\.2k tok · \$0\.0003/.test((await figs('agent').textContent()) ?? ''), { timeout: 30_000, message: 'the agent node did not show 13 visits' });
    assert.match((await frame.locator('.ag-node[data-id="agent"] .ag-trace.figs text.problems').textContent()) ?? '', /6\/4 visits/);
    assert.match((await figs('tools').textContent()) ?? '', /^9×/);
    assert.match((await figs('reply').textContent()) ?? '', /^4×/);
    assert.equal(await frame.locator('.ag-trace.count[data-from="tools"][data-to="agent"] text').textContent(), '9');
    assert.match(await frame.locator('.trace-bar .summary').innerText(), /4 runs/);
    t.diagnostic(`screenshot: ${await vscode.screenshot('traces-live-figures')}`);

    // The fourth run went round the loop five times: AG802 on the guard's line, and the Problems panel settled on
    // it (read twice, a second apart, the same rows), since under load it can be read mid-redraw.
    let last = '';
    const rows = await waitUntil(async () => {
      const r = ours(await vscode.problems()).filter((p) => p.code === 'AG802');
      const key = r.map((p) => p.text).join('\n');
      const settled = r.length > 0 && key === last;
      last = key;
      return settled ? r : undefined;
    }, { timeout: 60_000, interval: 1_000, message: 'no settled AG802 in the Problems panel' });
    assert.equal(rows.length, 1, rows.map((r) => r.text).join('\n'));
    const [ag802] = rows;
    assert.equal(ag802.file, 'graph.ts');
    assert.equal(ag802.line, GUARD_LINE, ag802.text);
    assert.equal(ag802.severity, 'warning');
    assert.match(ag802.message, /a run visited "agent" 6 times, past the 4 visits its guard in code allows/);
    t.diagnostic(`AG802 on graph.ts:${ag802.line} ${Date.now() - started} ms after opening graph.ts`);
    t.diagnostic(`screenshot: ${await vscode.screenshot('traces-live-conformance')}`);
  });
});
