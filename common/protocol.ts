// Every custom message between the extension (client), the language server and the webviews, declared once
// and imported by both sides (the vscode-eslint pattern). Each entry says which way it travels.
// Only plain data crosses: shapes here are JSON, positions are LSP line/character (0-based).
import { z } from 'zod';
import type { GraphViewModel } from './graphModel.ts';
import type { TraceFigures, TraceStatus } from './traceModel.ts';

/** A place in a file, as LSP gives it. */
export interface Location {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

// Custom LSP requests are added below, one namespace each:
//   export namespace SomeRequest { export const method = 'agentgraph/some'; export interface Params {...}; export interface Result {...} }

/** Client -> server request: the graph view model of a file (null when it is not an agent graph file). */
export namespace GraphViewRequest {
  export const method = 'agentgraph/graphView';
  export interface Params {
    uri: string;
  }
  export const params = z.object({ uri: z.string().min(1).max(4096) });
  export type Result = GraphViewModel | null;
}

/** Server -> client notification: a file's fresh analysis was published; open views of it refresh. */
export namespace AnalysisChangedNotification {
  export const method = 'agentgraph/analysisChanged';
  export interface Params {
    uri: string;
  }
}

/** The graph panel's webview messages (client/src/graphPanel.ts <-> webview/src/main.ts). */
export namespace GraphPanelMessages {
  /** AUTO: the panel picks, left to right in a wide panel, top down in a tall one. */
  export type Direction = 'RIGHT' | 'DOWN' | 'AUTO';
  /** Host -> webview. */
  export type ToWebview =
    | { type: 'model'; model: GraphViewModel; direction: Direction }
    | { type: 'highlight'; nodeId: string | null }
    | { type: 'message'; text: string };
  /** Webview -> host, validated with `fromWebview` before the host acts on it. */
  export const fromWebview = z.discriminatedUnion('type', [
    z.object({ type: z.literal('ready') }),
    z.object({ type: z.literal('reveal'), nodeId: z.string().min(1).max(1000) }),
    z.object({ type: z.literal('openSubgraph'), nodeId: z.string().min(1).max(1000) }),
    z.object({ type: z.literal('export'), format: z.enum(['svg', 'png']), data: z.string().min(1).max(64 * 1024 * 1024) }),
    z.object({ type: z.literal('log'), level: z.enum(['info', 'error']), text: z.string().max(10_000) }),
  ]);
  export type FromWebview = z.infer<typeof fromWebview>;
}

/**
 * Client -> server request: the production readiness report (RULES.md's five checkpoints) of some graph files,
 * or of every graph file in the workspace folders. The server reports progress to `workDoneToken` ($/progress)
 * when one is given, else through a progress it creates; the request can be cancelled.
 */
export namespace ReadinessRequest {
  export const method = 'agentgraph/readiness';
  const uri = z.string().min(1).max(4096);
  const token = z.union([z.string().max(200), z.number().int()]).optional();
  export const params = z.discriminatedUnion('scope', [
    z.object({ scope: z.literal('files'), uris: z.array(uri).min(1).max(100_000), workDoneToken: token }),
    z.object({ scope: z.literal('workspace'), workDoneToken: token }),
  ]);
  export type Params = z.infer<typeof params>;
  /** One graph's verdict: checkpoint ids 1..5 that pass and fail, and what to do first. */
  export interface GraphVerdict {
    uri: string;
    graph: string;
    verdict: 'ready' | 'not-ready';
    passed: number[];
    failed: number[];
    /** The verdict in the words every place shows (the server's `verdictOf`): `not ready (the file has errors)`. */
    summary: string;
    /** For the status bar: `Ready`, `Not ready: 3/5`, `Not ready: errors`. */
    short: string;
    /** After the graph's name: `is not ready for production: the file has errors`. */
    sentence: string;
    firstFix?: string;
  }
  export interface Result {
    /** The whole report as Markdown; every place links to `<file uri>#L<line>`. */
    markdown: string;
    graphs: GraphVerdict[];
    /** What could not be checked (unreadable folders), for a message. */
    problems: string[];
  }
}

/** Server -> client notification: an open graph file's readiness verdict after each fresh analysis (status bar). */
export namespace ReadinessStatusNotification {
  export const method = 'agentgraph/readinessStatus';
  const id = z.number().int().min(1).max(5);
  export const params = z.object({
    uri: z.string().min(1).max(4096),
    graph: z.string().max(1000),
    verdict: z.enum(['ready', 'not-ready']),
    passed: z.array(id).max(5),
    failed: z.array(id).max(5),
    summary: z.string().max(1000),
    short: z.string().max(200),
    sentence: z.string().max(1000),
    firstFix: z.string().max(10_000).optional(),
  });
  export type Params = ReadinessRequest.GraphVerdict;
}

/** The VS Code command that runs the readiness check (palette, status bar, the server's CodeLens). */
export namespace ReadinessCommand {
  export const id = 'agentgraph.checkReadiness';
  /** No argument: ask what to check; a file URI string: check that file. */
  export const argument = z.string().min(1).max(4096).optional();
}

// --- Traces (issue 6): sources, figures and the overlay. The receiver and the aggregator run in the language
// server; the client only sends commands, shows the status and hands figures to the graph panel.

/** What a trace command answers: whether it did what was asked, a message for the user, and the new status. */
export interface TraceCommandResult {
  ok: boolean;
  message: string;
  status: TraceStatus;
}

/** Client -> server request: start the OTLP/HTTP receiver on 127.0.0.1:`port` (the setting agentgraph.traces.port). */
export namespace TraceStartReceiverRequest {
  export const method = 'agentgraph/traces/startReceiver';
  export const params = z.object({ port: z.number().int().min(0).max(65535) });
  export type Params = z.infer<typeof params>;
  export type Result = TraceCommandResult;
}

/** Client -> server request: stop the receiver. */
export namespace TraceStopReceiverRequest {
  export const method = 'agentgraph/traces/stopReceiver';
  export type Result = TraceCommandResult;
}

/** Client -> server request: read a trace file once (`watch` false, replay) or follow it as it grows. */
export namespace TraceOpenFileRequest {
  export const method = 'agentgraph/traces/openFile';
  export const params = z.object({ path: z.string().min(1).max(4096), watch: z.boolean() });
  export type Params = z.infer<typeof params>;
  export type Result = TraceCommandResult;
}

/** Client -> server request: forget every run (the sources keep running); conformance findings clear. */
export namespace TraceClearRequest {
  export const method = 'agentgraph/traces/clear';
  export type Result = TraceCommandResult;
}

/** Client -> server request: the traces' status now. */
export namespace TraceStatusRequest {
  export const method = 'agentgraph/traces/status';
  export type Result = TraceStatus;
}

/**
 * Client -> server request: what real runs did on a graph file, for the overlay. All kept runs by default;
 * `runId` picks one run and `position` replays it up to that many timeline steps. Null when the file is not an
 * agent graph. The graph panel asks again whenever TraceFiguresChangedNotification names its file.
 */
export namespace TraceFiguresRequest {
  export const method = 'agentgraph/traces/figures';
  export const params = z.object({
    uri: z.string().min(1).max(4096),
    runId: z.string().min(1).max(1000).optional(),
    position: z.number().int().min(0).max(10_000_000).optional(),
  });
  export type Params = z.infer<typeof params>;
  export type Result = TraceFigures | null;
}

/** Server -> client notification: the figures of these graph files changed (at most 10 times a second). */
export namespace TraceFiguresChangedNotification {
  export const method = 'agentgraph/traces/figuresChanged';
  export interface Params {
    uris: string[];
  }
}

/** Server -> client notification: the traces' status (span rate, receiver state), at most once a second. */
export namespace TraceStatusNotification {
  export const method = 'agentgraph/traces/status';
  export type Params = TraceStatus;
}

/**
 * The trace overlay's webview messages (client/src/traceOverlay.ts <-> the graph webview). The overlay restyles
 * what the graph panel drew (heat, figures, the active node, counts on edges); it never lays the graph out again.
 */
export namespace TraceOverlayMessages {
  export type Heat = 'visits' | 'cost';
  /** Host -> webview: the figures to draw (null: no traces, remove the overlay). */
  export type ToWebview = { type: 'traceOverlay'; figures: TraceFigures | null; heat: Heat };
  /** Webview -> host, validated before the host acts on it: pick a run (null: all runs), move the replay, switch the heat. */
  export const fromWebview = z.discriminatedUnion('type', [
    z.object({ type: z.literal('traceSelectRun'), runId: z.string().min(1).max(1000).nullable() }),
    z.object({ type: z.literal('traceReplay'), position: z.number().int().min(0).max(10_000_000).nullable() }),
    z.object({ type: z.literal('traceHeat'), heat: z.enum(['visits', 'cost']) }),
  ]);
  export type FromWebview = z.infer<typeof fromWebview>;
  /**
   * The run figures of the trace bar's summary beside the run and span counts, checked by the host before it
   * posts figures (the webview bundles no zod): runs that do not match the graph (AG805) and each loop with its
   * bound and the node the bound belongs to. Figures that fail it are posted without these fields.
   */
  export const summaryFigures = z.object({
    mismatchedRuns: z.number().int().min(0).optional(),
    loops: z.array(z.object({
      nodes: z.array(z.string().min(1).max(1000)).min(1).max(10_000),
      bound: z.string().min(1).max(200),
      node: z.string().min(1).max(1000).optional(),
      maxIterations: z.number().int().min(0),
    })).max(10_000),
  });
}
