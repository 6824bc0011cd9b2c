// The graph panel's page outside VS Code: serves the built bundle (dist/webview) and the very page the extension
// builds (client/src/graphHtml.ts, same CSP) over loopback HTTP, opens it in headless Chromium with a stand-in
// for `acquireVsCodeApi` that records what the page posts, and lets a test or the benchmark post to it.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { graphPage } from '../../client/src/graphHtml.ts';
import type { GraphPanelMessages } from '../../common/protocol.ts';

export const CHROMIUM = process.env.AGENTGRAPH_E2E_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const BUNDLE = path.resolve(__dirname, '..', '..', 'dist', 'webview');
const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

export interface WebviewPage {
  readonly page: Page;
  /** Sends a host -> webview message. */
  post(message: GraphPanelMessages.ToWebview): Promise<void>;
  /** What the page has posted to the host so far. */
  posted(): Promise<GraphPanelMessages.FromWebview[]>;
  /** Waits until the page has posted a message that satisfies `predicate`. */
  waitForPosted(predicate: (m: GraphPanelMessages.FromWebview) => boolean, timeout?: number): Promise<GraphPanelMessages.FromWebview>;
  /** Errors the page reported (console errors, CSP violations, uncaught exceptions). */
  readonly errors: string[];
  close(): Promise<void>;
}

export async function openWebviewPage(options: { width?: number; height?: number; state?: unknown } = {}): Promise<WebviewPage> {
  if (!fs.existsSync(path.join(BUNDLE, 'main.js'))) throw new Error(`the webview bundle is missing in ${BUNDLE}: run npm run build`);
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: run scripts/install-vscode.sh (apt install chromium)`);
  let origin = '';
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(graphPage({ cspSource: origin, nonce: 'test-nonce-0123456789', scriptUri: `${origin}/main.js`, styleUri: `${origin}/graph.css`, workerUri: `${origin}/layoutWorker.js` }));
      return;
    }
    const file = path.join(BUNDLE, path.normalize(url.pathname).replace(/^([/\\])+/, ''));
    if (!file.startsWith(BUNDLE) || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: options.width ?? 1200, height: options.height ?? 800 } });
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    // A string, not a function: tsx would add helpers to a function's text that the page does not have.
    await page.addInitScript(`(() => {
      const w = window;
      w.__posted = [];
      w.__state = ${JSON.stringify(options.state ?? null)};
      let acquired = false;
      w.acquireVsCodeApi = () => {
        if (acquired) throw new Error('acquireVsCodeApi called twice');
        acquired = true;
        return { postMessage: (m) => w.__posted.push(m), getState: () => w.__state, setState: (s) => { w.__state = s; } };
      };
    })();`);
    await page.goto(`${origin}/`);
    const posted = () => page.evaluate('window.__posted.slice()') as Promise<GraphPanelMessages.FromWebview[]>;
    return {
      page,
      errors,
      post: (message) => page.evaluate(`window.postMessage(${JSON.stringify(message)}, '*')`) as Promise<void>,
      posted,
      async waitForPosted(predicate, timeout = 10_000) {
        const deadline = Date.now() + timeout;
        for (;;) {
          const found = (await posted()).find(predicate);
          if (found) return found;
          if (Date.now() > deadline) throw new Error(`the page did not post the expected message within ${timeout} ms; it posted ${JSON.stringify(await posted()).slice(0, 500)}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      },
      async close() {
        await browser?.close();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  } catch (e) {
    await browser?.close();
    server.close();
    throw e;
  }
}
