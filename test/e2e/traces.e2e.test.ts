// Traces in a real VS Code: open the graph panel, start the OTLP receiver from the Command Palette on a free port
// (the setting agentgraph.traces.port), post a run to it as an exporter would (JSON, then protobuf), and see the
// figures appear on the nodes and the span rate in the status bar; a graph the traces contradict gets a
// conformance finding in the Problems panel, which clears with the traces.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { encodeOtlpProtobuf } from '../../server/src/traces/otlp.ts';
import { E2E_TIMEOUT_MS, REPO_ROOT, freePort, waitUntil, withVSCode, type VSCode } from './harness.ts';

const payload = readFileSync(`${REPO_ROOT}/test/fixtures/traces/otlp-openinference-langgraph.json`, 'utf8');
const graphFrame = (vscode: VSCode) => vscode.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');


function post(port: number, body: Buffer | string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/v1/traces', method: 'POST', headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The same run under another trace id (and span ids), as a second run of the agent. */
function anotherRun(n: number): string {
  return payload.replace(/"traceId": "([0-9a-f]{30})[0-9a-f]{2}"/g, (_m, head: string) => `"traceId": "${head}${n.toString(16).padStart(2, '0')}"`);
}

test('post runs to the receiver: the figures appear on the nodes, conformance findings come and clear', { timeout: E2E_TIMEOUT_MS }, async (t) => {
  const port = await freePort();
  await withVSCode(t, { workspace: 'test/fixtures/traces', settings: { 'agentgraph.traces.port': port } }, async (vscode) => {
    await vscode.openFile('weather.agentgraph.yaml');
    await vscode.runCommand('AgentGraph: Open Graph');
    const frame = graphFrame(vscode);
    await frame.locator('.ag-node[data-id="agent"]').waitFor({ timeout: 60_000 });

    await vscode.runCommand('AgentGraph: Start Trace Receiver');
    const item = vscode.page.locator('.statusbar-item', { hasText: `:${port}` });
    await item.waitFor({ timeout: 30_000 });

    // An exporter posts a run as JSON: 200, and the figures appear on the nodes.
    assert.equal(await post(port, payload, { 'Content-Type': 'application/json' }), 200);
    const agentFigs = frame.locator('.ag-node[data-id="agent"] .ag-trace.figs text').first();
    await waitUntil(async () => /^2× · 1\.0k tok/.test((await agentFigs.textContent()) ?? ''), { timeout: 30_000, message: 'the agent node did not show its figures' });
    assert.match((await frame.locator('.ag-node[data-id="tools"] .ag-trace.figs text.problems').textContent()) ?? '', /1 error · 1 retry/);
    assert.equal(await frame.locator('.ag-trace.count[data-from="agent"][data-to="tools"] text').textContent(), '1');
    assert.match(await frame.locator('.trace-bar .summary').innerText(), /1 run · 13 spans/);
    t.diagnostic(`screenshot: ${await vscode.screenshot('traces-figures')}`);

    // A second run, as the Python exporter sends it: protobuf, gzip. The counts double.
    assert.equal(await post(port, gzipSync(Buffer.from(encodeOtlpProtobuf(JSON.parse(anotherRun(2))))), { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'gzip' }), 200);
    await waitUntil(async () => /^4× /.test((await agentFigs.textContent()) ?? ''), { timeout: 30_000, message: 'the second run was not counted' });
    await waitUntil(async () => /spans\/s|:\d+/.test(await item.innerText()), { timeout: 5_000 });

    // The graph says agent runs at most once: the traces say twice, a conformance finding on max_visits.
    await vscode.goToLine(44);
    await vscode.replaceText('max_visits: 4', 'max_visits: 1');
    const rows = await vscode.waitForProblems((r) => r.some((p) => p.code === 'AG802'));
    const ag802 = rows.find((p) => p.code === 'AG802')!;
    assert.equal(ag802.severity, 'warning');
    assert.match(ag802.message, /a run visited "agent" 2 times, past its max_visits of 1/);
    t.diagnostic(`screenshot: ${await vscode.screenshot('traces-conformance')}`);

    // Clearing the traces clears the finding and the overlay.
    await vscode.runCommand('AgentGraph: Clear Traces');
    await vscode.waitForProblems((r) => !r.some((p) => p.code.startsWith('AG8')));
    await frame.locator('.ag-trace').first().waitFor({ state: 'detached', timeout: 15_000 });
  });
});

test('a busy port is reported plainly, with the way out, and a free port set then starts the receiver', { timeout: E2E_TIMEOUT_MS }, async (t) => {
  const blocker = createServer();
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  const port = (blocker.address() as AddressInfo).port;
  try {
    await withVSCode(t, { workspace: 'test/fixtures/traces', settings: { 'agentgraph.traces.port': port } }, async (vscode) => {
      await vscode.openFile('weather.agentgraph.yaml');
      await vscode.runCommand('AgentGraph: Start Trace Receiver');
      // The status bar item turns to a warning; the message (with its Change Port and Retry buttons) is in the
      // notifications (a toast, or the notification center when the toast is not on screen).
      await vscode.page.locator('.statusbar-item.warning-kind', { hasText: 'trace receiver' }).waitFor({ timeout: 30_000 });
      const find = async () => (await vscode.notifications()).find((n) => n.includes('already in use'));
      let toast = await waitUntil(find, { timeout: 5_000, message: 'no busy-port toast' }).catch(() => undefined);
      if (!toast) {
        await vscode.runCommand('Notifications: Show Notifications');
        toast = await waitUntil(async () => (await vscode.page.locator('.notifications-center .notification-list-item').allInnerTexts()).find((n) => n.includes('already in use')), { timeout: 15_000, message: 'no busy-port message in the notification center' });
      }
      assert.match(toast, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
      assert.match(toast, /agentgraph\.traces\.port/);
      assert.match(toast, /Change Port/);
      t.diagnostic(`screenshot: ${await vscode.screenshot('traces-busy-port')}`);

      // The way out taken: a free port in the setting starts the receiver there, with no second Start.
      const free = await freePort();
      await vscode.runCommand('Preferences: Open User Settings (JSON)');
      await vscode.page.locator('.editor-group-container.active .tab.active[data-resource-name="settings.json"]').waitFor();
      await vscode.replaceText(`"agentgraph.traces.port": ${port}`, `"agentgraph.traces.port": ${free}`);
      await vscode.save();
      await vscode.page.locator('.statusbar-item:not(.warning-kind)', { hasText: `:${free}` }).waitFor({ timeout: 30_000 });
      assert.equal(await post(free, payload, { 'Content-Type': 'application/json' }), 200, 'the receiver runs on the new port');
    });
  } finally {
    await new Promise((r) => blocker.close(r));
  }
});

/** Whether nothing listens on the port: a connection is refused. */
function refused(port: number): Promise<boolean> {
  return post(port, '{}', { 'Content-Type': 'application/json' }).then(
    () => false,
    (e: NodeJS.ErrnoException) => e.code === 'ECONNREFUSED',
  );
}

test('changing agentgraph.traces.port while the receiver runs moves it to the new port', { timeout: E2E_TIMEOUT_MS }, async (t) => {
  const first = await freePort();
  await withVSCode(t, { workspace: 'test/fixtures/traces', settings: { 'agentgraph.traces.port': first } }, async (vscode) => {
    await vscode.openFile('weather.agentgraph.yaml');
    await vscode.runCommand('AgentGraph: Start Trace Receiver');
    await vscode.page.locator('.statusbar-item', { hasText: `:${first}` }).waitFor({ timeout: 30_000 });
    assert.equal(await post(first, payload, { 'Content-Type': 'application/json' }), 200);

    // The setting changes in the user settings (settings.json, edited and saved): the receiver moves there, with
    // no Stop and Start.
    const second = await freePort();
    await vscode.runCommand('Preferences: Open User Settings (JSON)');
    await vscode.page.locator('.editor-group-container.active .tab.active[data-resource-name="settings.json"]').waitFor();
    await vscode.replaceText(`"agentgraph.traces.port": ${first}`, `"agentgraph.traces.port": ${second}`);
    await vscode.save();
    await vscode.page.locator('.statusbar-item', { hasText: `:${second}` }).waitFor({ timeout: 30_000 });
    assert.equal(await post(second, anotherRun(2), { 'Content-Type': 'application/json' }), 200, 'the new port takes runs');
    assert.ok(await refused(first), 'the old port is closed');
  });
});
