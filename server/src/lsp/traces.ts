// The traces' server side: the trace hub (receiver, files, aggregator) lives in the language server process, so
// that nothing a receiver gets can take the extension host down. This module answers the trace commands,
// publishes the conformance findings (AG8xx) with each graph file's lint findings, tells the client when
// figures change (at most 10 times a second) and sends the status (span rate) at most once a second.
import { ResponseError } from 'vscode-languageserver/node';
import {
  TraceClearRequest, TraceFiguresChangedNotification, TraceFiguresRequest, TraceOpenFileRequest, TraceStartReceiverRequest,
  TraceStatusNotification, TraceStatusRequest, TraceStopReceiverRequest, type TraceCommandResult,
} from '../../../common/protocol.ts';
import type { AgDiagnostic } from '../core/diagnostic.ts';
import type { AgentGraph } from '../core/ir.ts';
import { uriToPath } from '../core/uris.ts';
import type { Analysis } from '../analysis/workspace.ts';
import { isGraphSource } from '../frontends/index.ts';
import { applySettings, checkConformance } from '../traces/conformance.ts';
import { graphContext, type GraphContext } from '../traces/graphContext.ts';
import { TraceHub } from '../traces/hub.ts';
import type { Feature, ServerContext } from './context.ts';
import type { TraceMeasurements } from '../readiness/check.ts';
import { traceMeasurements } from '../traces/measurements.ts';

function invalid(method: string, issues: { path: PropertyKey[]; message: string }[]): ResponseError<void> {
  return new ResponseError(-32602, `${method}: invalid params: ${issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`).join('; ')}`);
}

/** The readiness check's view of the traces loaded for a graph (undefined when none are). */
const measurementsOf = new WeakMap<ServerContext, (a: Analysis) => TraceMeasurements | undefined>();
export function traceMeasurementsFor(ctx: ServerContext, a: Analysis): TraceMeasurements | undefined {
  return measurementsOf.get(ctx)?.(a);
}

export const tracesFeature: Feature = (ctx) => {
  // The graph context of each parsed graph, built once (a re-analysis of unchanged text keeps the graph, so the
  // hub keeps its caches); the open graph files' latest analyses.
  const contexts = new WeakMap<AgentGraph, GraphContext>();
  const open = new Map<string, Analysis>();
  const published = new Map<string, string>();

  const contextOf = (a: Analysis): GraphContext | undefined => {
    if (!a.graph || !a.queries) return undefined;
    let c = contexts.get(a.graph);
    if (!c) contexts.set(a.graph, (c = graphContext(a.uri, a.graph, a.queries)));
    return c;
  };

  const conformance = (a: Analysis): AgDiagnostic[] => {
    const gc = contextOf(a);
    if (!gc || !a.graph || (hub.state.runs.size === 0 && hub.state.archives.size === 0)) return [];
    const found = checkConformance(a.graph, gc, hub.aggregate(gc));
    return applySettings(found, a.graph, a.lines, ctx.workspace.severities(a.uri));
  };
  const keyOf = (ds: readonly AgDiagnostic[]) => ds.map((d) => `${d.code}:${d.range.start}:${d.severity}:${d.suppressed ? 1 : 0}:${d.message}`).join('\n');

  const hub = new TraceHub({
    onChange: () => {
      for (const [uri, a] of open) {
        let key = '';
        try {
          key = keyOf(conformance(a));
        } catch (e) {
          ctx.connection.console.error(`trace conformance of ${uri} failed: ${(e as Error)?.stack ?? String(e)}`);
        }
        if (key !== (published.get(uri) ?? '')) ctx.republish(uri);
      }
      void ctx.connection.sendNotification(TraceFiguresChangedNotification.method, { uris: [...open.keys()] } satisfies TraceFiguresChangedNotification.Params);
    },
    onStatus: (status) => void ctx.connection.sendNotification(TraceStatusNotification.method, status),
  });

  measurementsOf.set(ctx, (a) => {
    const gc = contextOf(a);
    return gc && (hub.state.runs.size > 0 || hub.state.archives.size > 0) ? traceMeasurements(hub.state, gc, 'loaded traces') : undefined;
  });

  ctx.addDiagnosticSource((a) => {
    try {
      const ds = conformance(a);
      published.set(a.uri, keyOf(ds));
      return ds;
    } catch (e) {
      ctx.connection.console.error(`trace conformance of ${a.uri} failed: ${(e as Error)?.stack ?? String(e)}`);
      return [];
    }
  });

  // The hub maps spans onto the open graphs, and holds each one's IR to do so: that is only worth its memory
  // while traces come in or are loaded. Until then (and after they are cleared) no graph is registered.
  let active = false;
  const register = (a: Analysis) => {
    const gc = contextOf(a);
    if (!gc || !ctx.documents.get(a.uri)) return;
    open.set(a.uri, a);
    hub.setGraph(gc);
  };
  const activate = () => {
    if (active) return;
    active = true;
    for (const doc of ctx.documents.all()) if (isGraphSource(doc.uri) && !ctx.ignores(doc.uri)) register(ctx.analysis(doc.uri));
  };
  const deactivateIfIdle = () => {
    const s = hub.status();
    if (s.receiver.state === 'running' || s.sources.length > 0 || s.keptRuns > 0) return;
    active = false;
    const dropped = [...open.keys()];
    open.clear();
    for (const uri of dropped) {
      hub.removeGraph(uri);
      // Its trace findings go with the traces.
      ctx.republish(uri);
    }
  };
  ctx.onAnalysis((a) => {
    if (active) register(a);
  });
  ctx.documents.onDidClose((e) => {
    open.delete(e.document.uri);
    published.delete(e.document.uri);
    hub.removeGraph(e.document.uri);
  });

  const result = (ok: boolean, message: string): TraceCommandResult => ({ ok, message, status: hub.status() });

  ctx.connection.onRequest(TraceStartReceiverRequest.method, async (raw: unknown): Promise<TraceStartReceiverRequest.Result> => {
    const p = TraceStartReceiverRequest.params.safeParse(raw);
    if (!p.success) throw invalid(TraceStartReceiverRequest.method, p.error.issues);
    activate();
    const s = await hub.startReceiver(p.data.port);
    return s.state === 'running'
      // The client says "AgentGraph: " before it: the message does not name it again.
      ? result(true, `receiving traces on http://127.0.0.1:${s.port}/v1/traces: set OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:${s.port} in your agent's environment`)
      : result(false, s.message ?? 'the trace receiver could not start');
  });

  ctx.connection.onRequest(TraceStopReceiverRequest.method, async (): Promise<TraceStopReceiverRequest.Result> => {
    await hub.stopReceiver();
    deactivateIfIdle();
    return result(true, 'the trace receiver stopped; the figures stay until you clear them');
  });

  ctx.connection.onRequest(TraceOpenFileRequest.method, async (raw: unknown): Promise<TraceOpenFileRequest.Result> => {
    const p = TraceOpenFileRequest.params.safeParse(raw);
    if (!p.success) throw invalid(TraceOpenFileRequest.method, p.error.issues);
    const path = p.data.path.startsWith('file:') ? uriToPath(p.data.path) : p.data.path;
    activate();
    const s = await hub.openFile(path, p.data.watch);
    if (s.state === 'error') return result(false, s.message ?? `${path} could not be read`);
    const what = p.data.watch ? `following ${s.label}` : `read ${s.label}`;
    return result(s.spans > 0 || p.data.watch, `${what}: ${s.spans} span${s.spans === 1 ? '' : 's'}${s.message ? `; ${s.message}` : ''}`);
  });

  ctx.connection.onRequest(TraceClearRequest.method, (): TraceClearRequest.Result => {
    hub.clear();
    deactivateIfIdle();
    return result(true, 'traces cleared');
  });

  ctx.connection.onRequest(TraceStatusRequest.method, (): TraceStatusRequest.Result => hub.status());

  ctx.connection.onRequest(TraceFiguresRequest.method, (raw: unknown): TraceFiguresRequest.Result => {
    const p = TraceFiguresRequest.params.safeParse(raw);
    if (!p.success) throw invalid(TraceFiguresRequest.method, p.error.issues);
    const { uri, runId, position } = p.data;
    if (!isGraphSource(uri) && !ctx.documents.get(uri)) return null;
    try {
      const a = open.get(uri) ?? ctx.analysis(uri);
      const gc = contextOf(a);
      if (!gc) return null;
      return hub.aggregate(gc, { ...(runId !== undefined ? { runId } : {}), ...(position !== undefined ? { position } : {}) }).figures;
    } catch (e) {
      ctx.connection.console.error(`the trace figures of ${uri} failed: ${(e as Error)?.stack ?? String(e)}`);
      return null;
    }
  });
};
