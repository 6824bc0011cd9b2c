// End-to-end harness: runs the packaged extension in a real VS Code (code-server, installed by
// scripts/install-vscode.sh) driven through Debian's Chromium with playwright-core, fully offline.
//
// A test is a few lines:
//
//   test('shows diagnostics', { timeout: E2E_TIMEOUT_MS }, (t) =>
//     withVSCode(t, { workspace: 'test/e2e/workspace' }, async (vscode) => {
//       await vscode.openFile('broken.agentgraph.yaml');
//       await vscode.waitForProblems((rows) => rows.some((r) => r.code === 'AG001'));
//     }));
//
// Every session gets its own temporary folder (user data, extensions, XDG folders, TMPDIR, browser profile and
// a copy of the workspace), a free loopback port and settings that remove every prompt. On failure a
// screenshot and the logs are saved to test-results/e2e/. Teardown kills the whole code-server process group.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TestContext } from 'node:test';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results', 'e2e');
export const DEFAULT_VSIX = process.env.AGENTGRAPH_E2E_VSIX ?? path.join(REPO_ROOT, 'dist', 'agentgraph.vsix');
const CODE_SERVER = process.env.AGENTGRAPH_E2E_CODE_SERVER ?? path.join(REPO_ROOT, '.vscode-test', 'code-server', 'node_modules', '.bin', 'code-server');
const CHROMIUM = process.env.AGENTGRAPH_E2E_CHROMIUM ?? '/usr/bin/chromium';
const KEEP_TEMP = process.env.AGENTGRAPH_E2E_KEEP === '1';

/** A generous per-test timeout for node:test: starting VS Code and the browser takes 5 to 15 s. */
export const E2E_TIMEOUT_MS = 180_000;

/** User settings that remove every prompt, tip and background check of a fresh VS Code, and auto save. */
export const PROMPT_FREE_SETTINGS: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'workbench.tips.enabled': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'workbench.enableExperiments': false,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'window.restoreWindows': 'none',
  // VS Code for the web saves after a delay by default; desktop VS Code, like the tests, saves on request.
  'files.autoSave': 'off',
};

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-breakpad',
  '--disable-crash-reporter',
];

export interface StartOptions {
  /** Folder to open, relative to the repository root or absolute; a copy is opened, never the original. */
  readonly workspace: string;
  /** The extension package to install; `null` installs none. Default: dist/agentgraph.vsix. */
  readonly vsix?: string | null;
  /** User settings added to (and overriding) PROMPT_FREE_SETTINGS. */
  readonly settings?: Readonly<Record<string, unknown>>;
  /** Names the artifacts of this session in test-results/e2e/. */
  readonly name?: string;
}

/** One row of the Problems panel. `line` and `column` are 1-based, as VS Code shows them. */
export interface ProblemRow {
  readonly severity: 'error' | 'warning' | 'info' | 'unknown';
  readonly message: string;
  readonly code: string;
  readonly source: string;
  readonly line: number;
  readonly column: number;
  /** The name of the file the row is listed under (`graph.py`), as the panel's tree shows it. */
  readonly file: string;
  /** The whole row as the panel shows it, for messages in failed assertions. */
  readonly text: string;
}

interface RawProblemRow {
  readonly index: number;
  readonly isMarker: boolean;
  readonly iconClass: string;
  readonly message: string;
  readonly code: string;
  readonly source: string;
  readonly position: string;
  /** A file row's name (the tree's first level; markers are the second, their related information the third). */
  readonly name: string;
  readonly text: string;
}

export interface WaitOptions {
  readonly timeout?: number;
  readonly interval?: number;
  readonly message?: string;
}

/** Polls `probe` until it returns something other than undefined, null or false. */
export async function waitUntil<T>(probe: () => Promise<T | undefined | null | false>, options: WaitOptions = {}): Promise<T> {
  const timeout = options.timeout ?? 30_000;
  const interval = options.interval ?? 250;
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`${options.message ?? 'condition not met'} within ${timeout} ms${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** Starts VS Code with `options`, runs `fn`, saves a screenshot and logs if it fails, and always tears down. */
export async function withVSCode(t: TestContext, options: StartOptions, fn: (vscode: VSCode) => Promise<void>): Promise<void> {
  const vscode = await VSCode.start({ name: t.name, ...options });
  let artifacts: Promise<void> | undefined;
  const saveArtifacts = (): Promise<void> =>
    (artifacts ??= vscode.saveFailureArtifacts().then((files) => {
      for (const file of files) t.diagnostic(`e2e artifact: ${file}`);
    }));
  // A test that times out is abandoned, not unwound: save what it shows and tear down when node:test gives up.
  const onAbort = (): void => void saveArtifacts().finally(() => vscode.close());
  t.signal.addEventListener('abort', onAbort, { once: true });
  try {
    await fn(vscode);
  } catch (error) {
    await saveArtifacts();
    throw error;
  } finally {
    t.signal.removeEventListener('abort', onAbort);
    await artifacts;
    await vscode.close();
  }
}

export class VSCode {
  private closed = false;
  private folderSwitches = 0;
  private readonly consoleErrors: string[] = [];

  private constructor(
    readonly name: string,
    /** The session's temporary folder. */
    readonly tempDir: string,
    /** The copy of the workspace that VS Code has open. */
    readonly workspace: string,
    readonly url: string,
    readonly page: Page,
    private readonly context: BrowserContext,
    private readonly server: ChildProcess,
    private readonly serverLog: string,
    private readonly userDataDir: string,
  ) {
    page.on('console', (msg) => {
      if (msg.type() === 'error') this.consoleErrors.push(msg.text());
    });
    page.on('pageerror', (error) => this.consoleErrors.push(`pageerror: ${error.message}`));
  }

  static async start(options: StartOptions): Promise<VSCode> {
    const name = sanitize(options.name ?? 'e2e');
    if (!fs.existsSync(CODE_SERVER)) throw new Error(`code-server is not installed at ${CODE_SERVER}: run scripts/install-vscode.sh`);
    const vsix = options.vsix === undefined ? DEFAULT_VSIX : options.vsix;
    if (vsix !== null && !fs.existsSync(vsix)) throw new Error(`extension package ${vsix} is missing: run npm run package`);

    const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), `agentgraph-e2e-${name.slice(0, 40)}-`));
    const dir = (sub: string): string => {
      const full = path.join(tempDir, sub);
      fs.mkdirSync(full, { recursive: true });
      return full;
    };
    const userDataDir = dir('user-data');
    const extensionsDir = dir('extensions');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      XDG_CONFIG_HOME: dir('xdg-config'),
      XDG_DATA_HOME: dir('xdg-data'),
      XDG_CACHE_HOME: dir('xdg-cache'),
      TMPDIR: dir('tmp'),
    };
    // The test runner's and the calling shell's variables must not leak into VS Code's Node processes.
    for (const name of ['NODE_OPTIONS', 'NODE_TEST_CONTEXT', 'VSCODE_IPC_HOOK_CLI', 'PASSWORD', 'HASHED_PASSWORD']) delete env[name];

    const source = path.resolve(REPO_ROOT, options.workspace);
    const workspace = path.join(tempDir, 'workspace', path.basename(source));
    fs.cpSync(source, workspace, { recursive: true });

    const settings = { ...PROMPT_FREE_SETTINGS, ...options.settings };
    fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
    fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));

    const serverLog = path.join(tempDir, 'code-server.log');
    const baseArgs = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
    if (vsix !== null) await installExtension(baseArgs, vsix, env, serverLog);

    const port = await freePort();
    const logFd = fs.openSync(serverLog, 'a');
    const server = spawn(
      CODE_SERVER,
      [
        '--bind-addr', `127.0.0.1:${port}`,
        '--auth', 'none',
        ...baseArgs,
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        '--ignore-last-opened',
        workspace,
      ],
      // Its own process group, so that teardown can kill the extension host and language server with it.
      { env, stdio: ['ignore', logFd, logFd], detached: true },
    );
    fs.closeSync(logFd);
    liveServers.add(server);
    server.once('exit', () => liveServers.delete(server));

    let context: BrowserContext | undefined;
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitUntil(
        async () => {
          if (server.exitCode !== null || server.signalCode !== null) throw new Error(`code-server exited early:\n${tail(serverLog)}`);
          const response = await fetch(`${base}/healthz`).catch(() => undefined);
          return response?.ok;
        },
        { timeout: 60_000, interval: 200, message: 'code-server did not answer /healthz' },
      );

      context = await chromium.launchPersistentContext(dir('chromium-profile'), {
        executablePath: CHROMIUM,
        headless: true,
        args: CHROMIUM_ARGS,
        viewport: { width: 1280, height: 800 },
        permissions: ['clipboard-read', 'clipboard-write'],
      });
      const page = context.pages()[0] ?? (await context.newPage());
      page.setDefaultTimeout(30_000);
      const url = `${base}/?folder=${encodeURIComponent(workspace)}`;
      const vscode = new VSCode(name, tempDir, workspace, url, page, context, server, serverLog, userDataDir);
      await page.goto(url);
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      // The explorer lists the folder once the workbench has restored the workspace.
      await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
      return vscode;
    } catch (error) {
      await context?.close().catch(() => undefined);
      await killGroup(server);
      if (!KEEP_TEMP) fs.rmSync(tempDir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Stops the browser and code-server with everything it started, and removes the temporary folder. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await withTimeout(this.context.close(), 10_000).catch(() => undefined);
    await killGroup(this.server);
    if (KEEP_TEMP) console.error(`e2e: kept ${this.tempDir}`);
    else fs.rmSync(this.tempDir, { recursive: true, force: true });
  }

  // --- Workbench -------------------------------------------------------------------------------------

  /** Opens a file of the workspace through Quick Open (Ctrl+P) and waits for its editor. */
  async openFile(relPath: string): Promise<void> {
    const base = path.posix.basename(relPath);
    const input = await this.openQuickInput('Control+P');
    await input.fill(relPath);
    // Wait until the search has put this file first, then open it.
    await this.page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: base }).waitFor();
    await input.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await this.page.locator(`.editor-group-container.active .tab.active[data-resource-name="${base}"]`).waitFor();
    await this.activeEditor().locator('.view-lines .view-line').first().waitFor();
  }

  /** Runs a command by its title as the Command Palette shows it (F1), such as `View: Toggle Problems`. */
  async runCommand(title: string): Promise<void> {
    const input = await this.openQuickInput('F1');
    await input.fill(`>${title}`);
    const label = this.page.locator('.quick-input-widget .monaco-list-row .label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) });
    await label.first().click();
    // The palette closes, unless the command opens a quick pick of its own in its place.
    await waitUntil(async () => !(await input.isVisible()) || !(await input.inputValue()).startsWith('>'), {
      message: `the Command Palette stayed open after "${title}"`,
    });
  }

  /** Saves the active editor. */
  async save(): Promise<void> {
    await this.focusEditor();
    await this.page.keyboard.press('Control+S');
    // The tab loses its dirty mark once the file is written.
    await this.page.locator('.editor-group-container.active .tab.active.dirty').waitFor({ state: 'detached' });
  }

  /** The texts of the notification toasts on screen. */
  async notifications(): Promise<string[]> {
    return this.page.locator('.notifications-toasts .notification-toast').allInnerTexts();
  }

  /** The aria-label of a status bar item by its id, such as `status.problems` (`Errors: 1, Warnings: 0`). */
  async statusBarItem(id: string): Promise<string> {
    return (await this.page.locator(`[id="${id}"]`).getAttribute('aria-label')) ?? '';
  }

  /**
   * Opens another folder in this window, as File > Open Folder does in VS Code for the web: the page loads the
   * workbench for `folder` (relative to the repository root or absolute; a copy is opened, never the original),
   * the old window's extension host is shut down and a new one started. Returns the copy's path.
   */
  async switchFolder(folder: string): Promise<string> {
    const source = path.resolve(REPO_ROOT, folder);
    const copy = path.join(this.tempDir, 'workspace', `${path.basename(source)}-${++this.folderSwitches}`);
    fs.cpSync(source, copy, { recursive: true });
    const url = new URL(this.url);
    url.searchParams.set('folder', copy);
    await this.page.goto(url.toString());
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
    return copy;
  }

  /**
   * VS Code's logs of this session so far (every extension host's log and output channels, the language
   * client's "AgentGraph" channel among them), as `{ file, text }` with paths relative to the logs folder.
   */
  logs(): { file: string; text: string }[] {
    const root = path.join(this.userDataDir, 'logs');
    if (!fs.existsSync(root)) return [];
    const found: { file: string; text: string }[] = [];
    for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.log')) continue;
      const full = path.join(entry.parentPath, entry.name);
      found.push({ file: path.relative(root, full), text: fs.readFileSync(full, 'utf8') });
    }
    return found;
  }

  /** The lines of VS Code's logs (see `logs`) and of code-server's own log that match `pattern`. */
  logLines(pattern: RegExp): string[] {
    const sources = [...this.logs(), { file: 'code-server.log', text: fs.existsSync(this.serverLog) ? fs.readFileSync(this.serverLog, 'utf8') : '' }];
    return sources.flatMap(({ file, text }) => text.split('\n').filter((line) => pattern.test(line)).map((line) => `${file}: ${line}`));
  }

  // --- Editor ----------------------------------------------------------------------------------------

  /** The Monaco editor of the active editor group. */
  activeEditor(): Locator {
    return this.page.locator('.editor-group-container.active .editor-container .monaco-editor').first();
  }

  /** Puts the keyboard focus in the active editor without moving its cursor. */
  async focusEditor(): Promise<void> {
    const textarea = this.activeEditor().locator('textarea.inputarea, .native-edit-context').first();
    await textarea.focus();
  }

  /**
   * The text of the active editor as rendered: the lines on screen, in order. A long file's lines out of view
   * are not in the page; scroll to them first (or use `goToLine`).
   */
  async editorText(): Promise<string> {
    return this.activeEditor().locator('.view-lines').evaluate((root) =>
      Array.from(root.querySelectorAll<HTMLElement>('.view-line'))
        .map((line) => ({ top: parseFloat(line.style.top) || 0, text: (line.textContent ?? '').replace(/\u00a0/g, ' ') }))
        .sort((a, b) => a.top - b.top)
        .map((line) => line.text)
        .join('\n'),
    );
  }

  /** Moves the cursor with Go to Line (Ctrl+G); `column` is 1-based. */
  async goToLine(line: number, column?: number): Promise<void> {
    const input = await this.openQuickInput('Control+G');
    // Go to Line is Quick Open with a `:` prefix.
    await input.fill(column === undefined ? `:${line}` : `:${line}:${column}`);
    await input.press('Enter');
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /**
   * Types `text` at the cursor key by key, as a user would: auto-indent, auto-closing and suggestions apply.
   * For text that must arrive exactly, use `replaceEditorText` or `replaceText`.
   */
  async typeInEditor(text: string): Promise<void> {
    await this.focusEditor();
    await this.page.keyboard.type(text);
  }

  /** Replaces the whole content of the active editor with `text`, pasted exactly (no auto-indent). */
  async replaceEditorText(text: string): Promise<void> {
    await this.focusEditor();
    await this.page.keyboard.press('Control+A');
    await this.paste(text);
  }

  /** Replaces the first occurrence of `search` in the active editor by `replacement`, exactly. */
  async replaceText(search: string, replacement: string): Promise<void> {
    const rect = await this.textRect(search);
    // Put the cursor before the match (a click in the left half of its first character), then select it.
    await this.page.mouse.click(rect.left + 1, rect.top + rect.height / 2);
    for (let i = 0; i < search.length; i++) await this.page.keyboard.press('Shift+ArrowRight');
    await this.paste(replacement);
  }

  /** Hovers the first occurrence of `text` in the active editor and returns the hover's text. */
  async hover(text: string): Promise<string> {
    const rect = await this.textRect(text);
    await this.page.mouse.move(rect.left + rect.width / 2, rect.top + rect.height / 2);
    const hover = this.page.locator('.monaco-editor .monaco-hover:not(.hidden)').first();
    await hover.waitFor();
    return waitUntil(async () => (await hover.innerText()).trim(), { message: 'hover stayed empty' });
  }

  // --- Problems panel --------------------------------------------------------------------------------

  /**
   * Opens the Problems panel (if it is not open) and returns its rows, file rows left out. The list renders
   * only the rows in view, so a long one is scrolled through and back.
   */
  async problems(): Promise<ProblemRow[]> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) {
      await this.page.keyboard.press('Control+Shift+M');
      await panel.waitFor();
    }
    const list = this.page.locator('.markers-panel .monaco-list').first();
    const byIndex = new Map<number, RawProblemRow>();
    for (let page = 0; page < 100; page++) {
      let added = 0;
      for (const row of await this.renderedProblemRows()) {
        if (!byIndex.has(row.index)) added++;
        byIndex.set(row.index, row);
      }
      if (!(await scrollPosition(list)).more || added === 0) break;
      await this.wheelOver(list, 0.8);
    }
    // Back to the top, as a user left it, and the pointer off the list so that no row keeps a hover.
    for (let i = 0; i < 100 && (await scrollPosition(list)).top > 0; i++) await this.wheelOver(list, -1);
    await this.page.mouse.move(0, (this.page.viewportSize()?.height ?? 800) / 2);
    let file = '';
    return [...byIndex.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, row]) => {
        if (row.name) file = row.name;
        return { ...row, file };
      })
      .filter((row) => row.isMarker)
      .map((row) => {
        const match = /(\d+)\D+(\d+)/.exec(row.position);
        return {
          severity: (['error', 'warning', 'info'] as const).find((s) => row.iconClass.split(/\s+/).includes(s)) ?? 'unknown',
          message: row.message,
          code: row.code.replace(/^\(|\)$/g, ''),
          source: row.source,
          line: match ? Number(match[1]) : 0,
          column: match ? Number(match[2]) : 0,
          file: row.file,
          text: row.text,
        };
      });
  }

  /** Polls the Problems panel until `predicate` holds, and returns its rows. */
  async waitForProblems(predicate: (rows: ProblemRow[]) => boolean, options: WaitOptions = {}): Promise<ProblemRow[]> {
    let last: ProblemRow[] = [];
    // The rows are returned once the predicate holds on two reads in a row that agree: the panel re-sorts as the
    // findings of the workspace's files arrive, and a read across a re-sort can miss a row.
    let held: string | undefined;
    try {
      return await waitUntil(
        async () => {
          last = await this.problems();
          if (!predicate(last)) {
            held = undefined;
            return false;
          }
          const key = last.map((row) => row.text).join('\n');
          const settled = key === held;
          held = key;
          return settled && last;
        },
        { timeout: 30_000, interval: 500, ...options },
      );
    } catch (error) {
      const shown = last.map((row) => `  ${row.text}`).join('\n') || '  (none)';
      throw new Error(`${(error as Error).message}\nProblems panel:\n${shown}`);
    }
  }

  /**
   * Waits until the workbench state VS Code keeps in the browser's IndexedDB (its workspace storage) mentions
   * `text`. VS Code in the browser saves that state every 60 s and on unload; under load the write on unload may
   * not finish before the page goes, so a test that reloads the page waits for the periodic save first.
   */
  async waitForSavedState(text: string, options: WaitOptions = {}): Promise<void> {
    const saved = () =>
      this.page.evaluate(`(async () => {
        const names = (await indexedDB.databases()).map((d) => d.name).filter((n) => n && n.startsWith('vscode-web-state-db-') && n !== 'vscode-web-state-db-global');
        for (const name of names) {
          const db = await new Promise((ok, fail) => { const r = indexedDB.open(name); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
          try {
            if (!db.objectStoreNames.contains('ItemTable')) continue;
            const values = await new Promise((ok, fail) => { const r = db.transaction('ItemTable').objectStore('ItemTable').getAll(); r.onsuccess = () => ok(r.result); r.onerror = () => fail(r.error); });
            if (values.some((v) => typeof v === 'string' && v.includes(${JSON.stringify(text)}))) return true;
          } finally { db.close(); }
        }
        return false;
      })()`) as Promise<boolean>;
    await waitUntil(saved, { timeout: 90_000, interval: 1_000, message: `VS Code did not save a workbench state with ${JSON.stringify(text)}`, ...options });
  }

  // --- Artifacts -------------------------------------------------------------------------------------

  /** Saves a screenshot of the page to test-results/e2e/<session>-<label>.png and returns its path. */
  async screenshot(label = 'screenshot'): Promise<string> {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `${this.name}-${sanitize(label)}.png`);
    await this.page.screenshot({ path: file, timeout: 10_000 });
    return file;
  }

  /** Saves a screenshot, code-server's log, VS Code's logs and the browser's console errors. */
  async saveFailureArtifacts(): Promise<string[]> {
    const saved: string[] = [];
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    try {
      saved.push(await this.screenshot('failure'));
    } catch (error) {
      console.error(`e2e: no screenshot: ${(error as Error).message}`);
    }
    const logDir = path.join(RESULTS_DIR, `${this.name}-logs`);
    fs.rmSync(logDir, { recursive: true, force: true });
    fs.mkdirSync(logDir, { recursive: true });
    if (fs.existsSync(this.serverLog)) fs.copyFileSync(this.serverLog, path.join(logDir, 'code-server.log'));
    fs.writeFileSync(path.join(logDir, 'browser-console-errors.log'), this.consoleErrors.join('\n') + '\n');
    const vscodeLogs = path.join(this.userDataDir, 'logs');
    if (fs.existsSync(vscodeLogs)) fs.cpSync(vscodeLogs, path.join(logDir, 'vscode'), { recursive: true });
    saved.push(logDir);
    return saved;
  }

  // --- Internals -------------------------------------------------------------------------------------

  /** Scrolls the list under `target` by `pages` times its height (negative: up), with the mouse wheel. */
  private async wheelOver(target: Locator, pages: number): Promise<void> {
    const box = await target.boundingBox();
    if (!box) return;
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await this.page.mouse.wheel(0, box.height * pages);
    await this.page.waitForTimeout(100);
  }

  /** The rows of the Problems panel that are rendered now. */
  private async renderedProblemRows(): Promise<RawProblemRow[]> {
    // No named inner functions in page callbacks: tsx would wrap them in a helper the page does not have.
    // The list's own rows: the tree's sticky scroll repeats a scrolled-away file row above them, numbered apart.
    return this.page.locator('.markers-panel .monaco-list-rows > .monaco-list-row').evaluateAll((elements) =>
      elements.map((row) => ({
        index: Number(row.getAttribute('data-index')),
        isMarker: row.querySelector('.marker-message-details-container, .marker-message') !== null,
        iconClass: row.querySelector('.marker-icon')?.className ?? '',
        message: (row.querySelector('.marker-message')?.textContent ?? '').trim(),
        code: (row.querySelector('.marker-code')?.textContent ?? '').trim(),
        source: (row.querySelector('.marker-source')?.textContent ?? '').trim(),
        position: (row.querySelector('.marker-line')?.textContent ?? '').trim(),
        // `8 problems in file graph.ts of folder .`
        name: row.getAttribute('aria-level') === '1' ? (/ in file (.+?) of folder /.exec(row.getAttribute('aria-label') ?? '')?.[1] ?? (row as HTMLElement).innerText.trim().split(/\s+/)[0]) : '',
        text: (row as HTMLElement).innerText.replace(/\s+/g, ' ').trim(),
      })),
    );
  }

  private async openQuickInput(key: string): Promise<Locator> {
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await this.page.keyboard.press(key);
    await input.waitFor({ state: 'visible' });
    return input;
  }

  /** Pastes `text` at the cursor through the clipboard, so that it arrives exactly as given. */
  private async paste(text: string): Promise<void> {
    const before = await this.editorText();
    await this.page.evaluate((value) => navigator.clipboard.writeText(value), text);
    await this.page.keyboard.press('Control+V');
    // The editor renders the edit a frame later; an edit that changes nothing on screen is not waited for.
    await waitUntil(async () => (await this.editorText()) !== before, { timeout: 2_000, interval: 50 }).catch(() => undefined);
  }

  /** The viewport rectangle of the first occurrence of `text` on a rendered line of the active editor. */
  private async textRect(text: string): Promise<{ left: number; right: number; top: number; height: number; width: number }> {
    const rect = await this.activeEditor().locator('.view-lines').evaluate((root, needle) => {
      for (const line of Array.from(root.querySelectorAll<HTMLElement>('.view-line'))) {
        const content = (line.textContent ?? '').replace(/\u00a0/g, ' ');
        const index = content.indexOf(needle);
        if (index < 0) continue;
        // Map the character offsets of the match to the text nodes of the line's token spans.
        const range = document.createRange();
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        let offset = 0;
        let startSet = false;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const length = node.textContent?.length ?? 0;
          if (!startSet && index < offset + length) {
            range.setStart(node, index - offset);
            startSet = true;
          }
          if (startSet && index + needle.length <= offset + length) {
            range.setEnd(node, index + needle.length - offset);
            const r = range.getBoundingClientRect();
            return { left: r.left, right: r.right, top: r.top, height: r.height, width: r.width };
          }
          offset += length;
        }
      }
      return undefined;
    }, text);
    if (!rect) throw new Error(`"${text}" is not on a rendered line of the active editor`);
    return rect;
  }
}

/** How far a Monaco list is scrolled, and whether rows lie below its view. */
async function scrollPosition(list: Locator): Promise<{ top: number; more: boolean }> {
  return list.evaluate((el) => {
    const rows = el.querySelector<HTMLElement>('.monaco-list-rows');
    if (rows === null) return { top: 0, more: false };
    // The list scrolls by moving its rows up, through `top` or a transform.
    const shift = (parseFloat(rows.style.top) || 0) + parseFloat(/translate3d\([^,]+,\s*(-?[\d.]+)px/.exec(rows.style.transform)?.[1] ?? '0');
    return { top: -shift, more: -shift + el.clientHeight < parseFloat(rows.style.height) - 1 };
  });
}

// --- Processes -------------------------------------------------------------------------------------------

const liveServers = new Set<ChildProcess>();

// A test process that dies without teardown must not leave code-server behind.
process.once('exit', () => {
  for (const server of liveServers) signalGroup(server, 'SIGKILL');
});

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

async function killGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, 'exit');
    signalGroup(child, 'SIGTERM');
    const stopped = await withTimeout(exited, 5_000).then(() => true, () => false);
    if (!stopped) signalGroup(child, 'SIGKILL');
  }
  // Children of the group (extension host, language server) may outlive the leader: end them too.
  signalGroup(child, 'SIGKILL');
  liveServers.delete(child);
}

async function installExtension(baseArgs: string[], vsix: string, env: NodeJS.ProcessEnv, logFile: string): Promise<void> {
  const child = spawn(CODE_SERVER, [...baseArgs, '--install-extension', vsix, '--force'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  fs.appendFileSync(logFile, output);
  if (code !== 0) throw new Error(`installing ${vsix} failed (exit ${code}):\n${output}`);
}

/** A loopback port nothing listens on now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

// --- Small helpers ---------------------------------------------------------------------------------------

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function tail(file: string, lines = 40): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

function sanitize(name: string): string {
  return name.replace(/[^a-zA-Z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'e2e';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
