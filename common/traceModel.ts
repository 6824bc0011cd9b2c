// What real runs did on a graph, as plain JSON: the figures that the language server computes from traces
// (server/src/traces/aggregate.ts) and that the graph visualizer draws over the graph without laying it out
// again (the `agentgraph/traceFigures` request in common/protocol.ts). Node ids are the graph's; the run's
// start is `__start__` and its end `END`, as in the graph view model (common/graphModel.ts).

/** What one node did over the runs shown (all retained runs, or one run up to the replay position). */
export interface TraceNodeFigures {
  /** Times the run entered the node (a span whose node differs from its parent's). */
  visits: number;
  /** Tries of those visits: several spans of one visit (same LangGraph task, same tool call id) are retries. */
  attempts: number;
  /** Attempts that failed (`status.code` 2, `error.type`, a debug `task_result.error`). */
  errors: number;
  /** Failures the node absorbed: a tool message with `status: "error"`, a failed inner span of an attempt that succeeded. */
  softErrors: number;
  tokensIn: number;
  tokensOut: number;
  /** USD: `llm.cost.total` where the spans carry it, else tokens times the graph's model prices (and tool `usd_per_call`). */
  costUsd: number;
  /** Visit latency percentiles in milliseconds (first attempt's start to last attempt's end); absent with no finished visit. */
  p50Ms?: number;
  p95Ms?: number;
  /** Runs in which the node ran at least once. */
  runs: number;
  /** The most visits in one run, against the node's `max_visits` (`bound`). */
  maxVisitsPerRun: number;
  bound?: number;
  /** An agent node: the most model calls in one visit, against its `max_iterations` (`iterationBound`). */
  maxIterations?: number;
  iterationBound?: number;
  /** The node is running now (a child span arrived and the node's own span has not, or a debug task has no result yet). */
  active: boolean;
}

/** A transition that runs took, with its counts. */
export interface TraceEdgeFigures {
  /** A node id or `__start__`. */
  from: string;
  /** A node id or `END`. */
  to: string;
  count: number;
  /** Times it was taken after `from` failed: drawn in the error colour. */
  failures: number;
  /** The graph declares an edge from `from` to `to` (any kind); when false, AG801 reports it. */
  declared: boolean;
  /** The kind of the declared edge that matches best ('error' when taken after a failure and an error edge exists). */
  kind?: 'next' | 'fanout' | 'route' | 'error' | 'exhausted' | 'command' | 'start' | 'end';
}

export type TraceRunStatus = 'running' | 'ok' | 'failed';

/** One run, for the run picker. */
export interface TraceRunSummary {
  id: string;
  /** Short text for the picker: the trace id's head or the thread id, with the start time. */
  label: string;
  /** ISO 8601 start time, when known. */
  start?: string;
  durationMs?: number;
  status: TraceRunStatus;
  visits: number;
  errors: number;
  tokens: number;
  costUsd: number;
  spans: number;
  /** Where it came from: `receiver`, a file name. */
  source: string;
}

/** One visit in a run's replay order: what the timeline scrubber steps through. */
export interface TraceTimelineStep {
  node: string;
  /** LangGraph's superstep, when the trace says it. */
  step?: number;
  /** Milliseconds from the run's start. */
  startMs: number;
  endMs?: number;
  attempts: number;
  failed: boolean;
}

export interface TraceLoopFigures {
  nodes: string[];
  /** `max_visits 3`, `budget.steps 30` or `unbounded`. */
  bound: string;
  /** The node whose `max_visits` is the bound, when one is. */
  node?: string;
  /** The most visits in one run of that node (else of any of the loop's nodes). */
  maxIterations: number;
}

export interface TraceFigures {
  /** The graph file the figures are for. */
  uri: string;
  /** Runs that the figures cover (one when a run is selected). */
  runCount: number;
  spanCount: number;
  nodes: Record<string, TraceNodeFigures>;
  edges: TraceEdgeFigures[];
  loops: TraceLoopFigures[];
  /** Nodes running now. */
  active: string[];
  /** Spans that belong to no node of this graph (no name matched, no named ancestor), by name. */
  unmapped: { count: number; names: { name: string; count: number }[] };
  /** Names that spans give explicitly (rules 1-4) but that are no node of the graph, by name: a naming mismatch. */
  unknownNames: { name: string; count: number }[];
  /** Every retained run (newest first, at most 200) for the run picker. */
  runs: TraceRunSummary[];
  /** Set when the figures are those of one run. */
  run?: {
    id: string;
    timeline: TraceTimelineStep[];
    /** How many timeline steps the figures include (the replay position); equals timeline.length when not replaying. */
    position: number;
  };
  /** Runs evicted to keep memory bounded: their figures are still counted, their timelines are gone. */
  evictedRuns: number;
  /** Kept runs that are not this graph's: their spans name no node of it, or their `service.name` or LangGraph graph name is another's. */
  otherRuns: number;
  /** Runs most of whose spans map to no node of this graph (renamed nodes): left out of the figures and of conformance (AG805 says so). */
  mismatchedRuns?: number;
}

/** One trace source: the receiver, a followed file, a file read once. */
export interface TraceSourceStatus {
  id: string;
  kind: 'receiver' | 'tail' | 'file';
  label: string;
  state: 'starting' | 'running' | 'stopped' | 'done' | 'error';
  /** What went wrong, or what a user should know (a busy port, lines that were not traces). */
  message?: string;
  spans: number;
  rejected: number;
  malformed: number;
  port?: number;
  format?: 'otlp-json' | 'otlp-jsonl' | 'langgraph-debug' | 'empty' | 'unknown';
}

/** The traces as a whole: what the status bar item shows. */
export interface TraceStatus {
  receiver: { state: 'stopped' | 'starting' | 'running' | 'error'; port: number; message?: string };
  /** Spans per second over the last second. */
  spansPerSecond: number;
  /** Span events received since the last clear. */
  spans: number;
  runs: number;
  keptRuns: number;
  keptSpans: number;
  evictedRuns: number;
  droppedSpans: number;
  sources: TraceSourceStatus[];
}
