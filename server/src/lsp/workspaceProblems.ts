// The whole workspace in Problems: with `agentgraph.problems.scope` at `workspace` (the default), the graph files
// of the workspace folders that are not open are analysed in the background after initialization, one at a
// time with a turn of the event loop between files and work-done progress, and their findings published as
// ordinary diagnostics; published again when a file (or a subgraph it uses) changes on disk and after the
// file is closed, cleared when it is deleted or the setting says `openFiles`. Open files are the server's own.
import type { Diagnostic, FileEvent } from 'vscode-languageserver/node';
import { FileChangeType } from 'vscode-languageserver/node';
import { findGraphFiles } from '../readiness/findGraphs.ts';
import { isAgentGraphFile } from '../frontends/yaml/frontend.ts';
import { isGraphSource, mayHoldGraph } from '../frontends/index.ts';
import { isLanggraphJson } from '../frontends/langgraph/langgraphJson.ts';
import { LineIndex } from '../core/lineIndex.ts';
import { diskHost } from '../node/diskHost.ts';
import { toLspDiagnostics } from './convert.ts';
import { publishedFindings } from './sources.ts';
import type { Feature, ServerContext } from './context.ts';

export type ProblemsScope = 'workspace' | 'openFiles';

/** Past this many files the background analysis stops: a workspace that large needs the CLI on a subfolder. */
export const MAX_BACKGROUND_FILES = 2000;

export function problemsScopeOf(settings: unknown): ProblemsScope {
  const scope = (settings as { problems?: { scope?: unknown } } | null | undefined)?.problems?.scope;
  return scope === 'openFiles' ? 'openFiles' : 'workspace';
}

export const workspaceProblemsFeature: Feature = (ctx: ServerContext) => {
  let scope: ProblemsScope | undefined; // unknown until the settings are read after initialization
  /** The closed files whose findings this module published (non-empty). */
  const shown = new Set<string>();
  /** The closed files analysed here, with the files their analysis read (subgraphs). */
  const analysed = new Map<string, readonly string[]>();
  /** The closed files to analyse, in order; one pass drains it. */
  const queue = new Set<string>();
  let draining = false;
  let generation = 0;

  const clear = (uri: string) => {
    if (shown.delete(uri)) void ctx.connection.sendDiagnostics({ uri, diagnostics: [] });
  };

  /** Analyses one closed file from disk and publishes what it finds (nothing kept in memory after). */
  const publishClosed = (uri: string) => {
    if (ctx.documents.get(uri)) return; // open: the server publishes it
    const text = diskHost.read(uri);
    if (text === undefined || (!isAgentGraphFile(uri) && !isLanggraphJson(uri) && !mayHoldGraph(uri, text))) {
      analysed.delete(uri);
      return clear(uri);
    }
    let diagnostics: Diagnostic[];
    let dependencies: readonly string[] = [];
    try {
      const a = ctx.workspace.analyze(uri);
      dependencies = a.dependencies;
      diagnostics = toLspDiagnostics(uri, a.lines, publishedFindings(uri, a.diagnostics), (u) => {
        const other = ctx.documents.get(u)?.getText() ?? diskHost.read(u);
        return other === undefined ? undefined : new LineIndex(other);
      });
    } catch (e) {
      ctx.connection.console.error(`the background analysis of ${uri} failed: ${(e as Error)?.stack ?? String(e)}`);
      return;
    } finally {
      ctx.workspace.forget(uri);
    }
    analysed.set(uri, dependencies);
    if (diagnostics.length === 0) return clear(uri);
    shown.add(uri);
    void ctx.connection.sendDiagnostics({ uri, diagnostics });
  };

  const drain = async () => {
    if (draining) return;
    draining = true;
    const mine = generation;
    const progress = await ctx.connection.window.createWorkDoneProgress().catch(() => undefined);
    const total = queue.size;
    progress?.begin('AgentGraph: analysing the workspace', 0, `${total} graph file${total === 1 ? '' : 's'}`, false);
    let done = 0;
    let last = Date.now();
    try {
      while (queue.size > 0 && mine === generation && scope === 'workspace') {
        const uri = queue.values().next().value as string;
        queue.delete(uri);
        publishClosed(uri);
        done++;
        if (Date.now() - last > 100) {
          progress?.report(Math.min(100, Math.round((done / Math.max(total, done)) * 100)), `${done} of ${Math.max(total, done)} graph files`);
          last = Date.now();
        }
        // Requests about the open files go first.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      progress?.done();
      draining = false;
      if (queue.size > 0 && scope === 'workspace') void drain();
    }
  };

  const enqueue = (uris: Iterable<string>) => {
    for (const u of uris) if (queue.size + analysed.size < MAX_BACKGROUND_FILES || analysed.has(u)) queue.add(u);
    void drain();
  };

  const folders = async (): Promise<string[]> => {
    try {
      return ((await ctx.connection.workspace.getWorkspaceFolders()) ?? []).map((f) => f.uri);
    } catch {
      return [];
    }
  };

  const inFolders = (uri: string, fs: readonly string[]) => fs.some((f) => uri.startsWith(f.endsWith('/') ? f : `${f}/`));
  let knownFolders: string[] = [];

  const start = async () => {
    const mine = ++generation;
    queue.clear();
    knownFolders = await folders();
    if (knownFolders.length === 0) return;
    const found = await findGraphFiles(knownFolders, { get cancelled() { return mine !== generation; } });
    if (mine !== generation || scope !== 'workspace') return;
    if (found.problems.length > 0) ctx.connection.console.warn(`AgentGraph problems: ${found.problems.join('; ')}`);
    // A langgraph.json is checked (its entries a deployment could not load), and so are the files it names.
    const named = found.configs.flatMap((c) => ctx.workspace.deployedFiles(c));
    enqueue([...new Set([...found.configs, ...found.uris, ...named])].slice(0, MAX_BACKGROUND_FILES).filter((u) => !ctx.documents.get(u)));
  };

  ctx.onSettings((settings) => {
    const next = problemsScopeOf(settings);
    if (next === scope) return;
    scope = next;
    if (scope === 'workspace') void start();
    else {
      generation++;
      queue.clear();
      analysed.clear();
      for (const uri of [...shown]) clear(uri);
    }
  });

  // Opened: the server publishes its buffer's findings from now on. Closed: back to the file on disk.
  ctx.documents.onDidOpen((e) => {
    queue.delete(e.document.uri);
    shown.delete(e.document.uri);
    analysed.delete(e.document.uri);
  });
  ctx.documents.onDidClose((e) => {
    const uri = e.document.uri;
    if (scope === 'workspace' && (isGraphSource(uri) || isLanggraphJson(uri)) && inFolders(uri, knownFolders)) enqueue([uri]);
  });

  ctx.onWatchedFiles((changes: readonly FileEvent[]) => {
    if (scope !== 'workspace') return;
    const again = new Set<string>();
    for (const c of changes) {
      if (c.uri.endsWith('/agentgraph.config.json')) {
        analysed.forEach((_, u) => again.add(u));
        continue;
      }
      if (isLanggraphJson(c.uri)) {
        // It names graphs in files below it: those analysed here, itself and the files it names now.
        analysed.forEach((_, u) => again.add(u));
        if (c.type === FileChangeType.Deleted) {
          queue.delete(c.uri);
          analysed.delete(c.uri);
          clear(c.uri);
        } else if (inFolders(c.uri, knownFolders)) [c.uri, ...ctx.workspace.deployedFiles(c.uri)].forEach((u) => again.add(u));
        continue;
      }
      if (!isGraphSource(c.uri)) continue;
      // The closed files that read this one as a subgraph.
      for (const [u, deps] of analysed) if (deps.includes(c.uri)) again.add(u);
      if (c.type === FileChangeType.Deleted) {
        queue.delete(c.uri);
        analysed.delete(c.uri);
        clear(c.uri);
      } else if (!ctx.documents.get(c.uri) && inFolders(c.uri, knownFolders)) again.add(c.uri);
    }
    enqueue([...again].filter((u) => !ctx.documents.get(u)));
  });
};
