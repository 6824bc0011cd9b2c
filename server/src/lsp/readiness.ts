// The readiness check's server side: answers `agentgraph/readiness` for some files or the whole workspace (with
// work-done progress and cancellation), pushes each open graph's verdict after its analysis (the client's status
// bar), and puts the verdict in a lens on the first line of every graph file.
import { LSPErrorCodes, ResponseError, type CancellationToken, type WorkDoneProgressReporter } from 'vscode-languageserver/node';
import { ReadinessCommand, ReadinessRequest, ReadinessStatusNotification } from '../../../common/protocol.ts';
import { checkReadiness, type ReadinessReport } from '../readiness/check.ts';
import type { Analysis } from '../analysis/workspace.ts';
import { uriToPath } from '../core/uris.ts';
import { isGraphSource } from '../frontends/index.ts';
import { isCodeSource } from './sources.ts';
import { renderMarkdown, type GraphResult } from '../readiness/render.ts';
import { findGraphFiles } from '../readiness/findGraphs.ts';
import { registerCodeLensSource } from './codeLens.ts';
import { traceMeasurementsFor } from './traces.ts';
import { LineIndex } from '../core/lineIndex.ts';
import { isAgentGraphFile } from '../frontends/yaml/frontend.ts';
import type { Feature, ServerContext } from './context.ts';

/** How long an open file's verdict waits after its analysis, so that typing does not recompute it per key. */
const STATUS_DELAY_MS = 250;

export const readinessFeature: Feature = (ctx) => {
  // The report of an analysis, computed once: the lens, the status and a request may all ask for it.
  const reports = new WeakMap<Analysis, ReadinessReport>();
  const reportOf = (a: Analysis): ReadinessReport => {
    let r = reports.get(a);
    if (!r) reports.set(a, (r = checkReadiness(a, traceMeasurementsFor(ctx, a))));
    return r;
  };

  ctx.connection.onRequest(ReadinessRequest.method, async (raw: unknown, token: CancellationToken): Promise<ReadinessRequest.Result> => {
    const parsed = ReadinessRequest.params.safeParse(raw);
    if (!parsed.success) {
      throw new ResponseError(-32602, `agentgraph/readiness: invalid params: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ')}`);
    }
    const params = parsed.data;
    const progress: WorkDoneProgressReporter & { token?: CancellationToken } =
      params.workDoneToken !== undefined ? ctx.connection.window.attachWorkDoneProgress(params.workDoneToken) : await ctx.connection.window.createWorkDoneProgress();
    const cancel = { get cancelled() { return token.isCancellationRequested || !!progress.token?.isCancellationRequested; } };
    progress.begin('AgentGraph: checking production readiness', 0, params.scope === 'workspace' ? 'finding graph files' : undefined, true);
    try {
      const folders = await workspaceFolders(ctx);
      const problems: string[] = [];
      let uris: string[];
      if (params.scope === 'files') {
        uris = [...new Set(params.uris)].filter((u) => (isGraphSource(u) || ctx.documents.get(u)) && !ctx.ignores(u));
        for (const u of params.uris) if (!uris.includes(u)) problems.push(`${displayPath(u, folders)} ${isCodeSource(u) ? 'holds no LangGraph graph (no StateGraph)' : 'is not an agent graph file (*.agentgraph.yaml, .yml or .json)'}`);
      } else {
        if (folders.length === 0) problems.push('no workspace folder is open: open a folder, or check the current file');
        const found = await findGraphFiles(folders, cancel);
        problems.push(...found.problems);
        // Open graph files in the folders count even before they are saved.
        const open = ctx.documents.all().map((d) => d.uri).filter((u) => isGraphSource(u) && !ctx.ignores(u) && folders.some((f) => u.startsWith(withSlash(f))));
        uris = [...new Set([...found.uris, ...open])].sort();
      }
      const results: GraphResult[] = [];
      let last = Date.now();
      for (let i = 0; i < uris.length; i++) {
        if (cancel.cancelled) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'readiness check cancelled');
        const uri = uris[i];
        try {
          const analysis = ctx.analysis(uri);
          // A code-defined graph and its overlay are one graph: rated once, under the code file.
          if (analysis.partner && isAgentGraphFile(analysis.uri) && uris.includes(analysis.partner)) continue;
          const partnerText = analysis.partner ? ctx.documents.get(analysis.partner)?.getText() ?? ctx.workspace.graphOf(analysis.partner)?.text : undefined;
          const partner = analysis.partner && partnerText !== undefined ? { partner: { uri: analysis.partner, file: displayPath(analysis.partner, folders), lines: new LineIndex(partnerText) } } : {};
          results.push({ report: reportOf(analysis), file: displayPath(uri, folders), lines: analysis.lines, ...partner });
        } catch (e) {
          // A bug in AgentGraph, not in the user's graph: say so and check the other files.
          problems.push(`${displayPath(uri, folders)}: internal error (${(e as Error).message}); please report this`);
          ctx.connection.console.error(`the readiness check of ${uri} failed: ${(e as Error)?.stack ?? String(e)}`);
        }
        // Files analysed only for this report are not kept in memory.
        if (!ctx.documents.get(uri)) ctx.workspace.forget(uri);
        if (Date.now() - last > 50 || i === uris.length - 1) {
          progress.report(Math.round(((i + 1) / uris.length) * 100), `${i + 1} of ${uris.length} graph files`);
          last = Date.now();
        }
        // Let other requests (and the cancellation) through between files.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      return {
        markdown: renderMarkdown(results, { link: (g, line) => `${g.report.uri}#L${line}` }),
        graphs: results.map((r) => verdictOf(r.report)),
        problems,
      };
    } finally {
      progress.done();
    }
  });

  // The verdict of an open file after each fresh analysis, a moment after typing stops.
  const timers = new Map<string, NodeJS.Timeout>();
  ctx.onAnalysis((analysis) => {
    clearTimeout(timers.get(analysis.uri));
    timers.set(
      analysis.uri,
      setTimeout(() => {
        timers.delete(analysis.uri);
        const doc = ctx.documents.get(analysis.uri);
        if (!doc || ctx.ignores(analysis.uri)) return;
        try {
          // The analysis just published, while it is still the file's: with many files opened at once it may
          // no longer be among the analyses kept, and computing it again for each would hold up every request.
          const now = doc.getText() === analysis.text ? analysis : ctx.analysis(analysis.uri);
          const params: ReadinessStatusNotification.Params = verdictOf(reportOf(now));
          void ctx.connection.sendNotification(ReadinessStatusNotification.method, params);
        } catch (e) {
          ctx.connection.console.error(`the readiness check of ${analysis.uri} failed: ${(e as Error)?.stack ?? String(e)}`);
        }
      }, STATUS_DELAY_MS),
    );
  });
  ctx.documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri));
    timers.delete(e.document.uri);
  });

  registerCodeLensSource((analysis) => {
    if (!analysis.graph && isCodeSource(analysis.uri)) return []; // a module without a graph is not a graph file
    const r = reportOf(analysis);
    const title = `${r.verdict === 'ready' ? '$(pass)' : '$(warning)'} Production readiness: ${r.summary.line}`;
    return [{
      range: { start: 0, end: 0 },
      title,
      command: ReadinessCommand.id,
      arguments: [analysis.uri],
      tooltip: r.firstFix ? `Do first: ${r.firstFix.text}. Click for the report.` : 'All five checkpoints pass. Click for the report.',
    }];
  });
};

function verdictOf(r: ReadinessReport): ReadinessRequest.GraphVerdict {
  return {
    uri: r.uri,
    graph: r.graph,
    verdict: r.verdict,
    passed: r.checkpoints.filter((c) => c.passed).map((c) => c.id),
    failed: r.checkpoints.filter((c) => !c.passed).map((c) => c.id),
    summary: r.summary.line,
    short: r.summary.short,
    sentence: r.summary.sentence,
    ...(r.firstFix ? { firstFix: r.firstFix.text } : {}),
  };
}

/** The editor's workspace folders (file URIs); none when it cannot say. */
async function workspaceFolders(ctx: ServerContext): Promise<string[]> {
  try {
    const folders = await ctx.connection.workspace.getWorkspaceFolders();
    return (folders ?? []).map((f) => f.uri);
  } catch {
    return [];
  }
}

function withSlash(uri: string): string {
  return uri.endsWith('/') ? uri : `${uri}/`;
}

/** A file's path relative to the workspace folder that holds it (the folder's name first when there are several). */
function displayPath(uri: string, folders: readonly string[]): string {
  const folder = folders.filter((f) => uri.startsWith(withSlash(f))).sort((a, b) => b.length - a.length)[0];
  if (!folder) {
    try {
      return uriToPath(uri);
    } catch {
      return uri;
    }
  }
  const rel = decodeURIComponent(uri.slice(withSlash(folder).length));
  if (folders.length === 1) return rel;
  const name = decodeURIComponent(folder.replace(/\/+$/, '').split('/').pop() ?? '');
  return `${name}/${rel}`;
}
