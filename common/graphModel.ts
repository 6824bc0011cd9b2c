// The graph view model: what the graph visualizer shows of one analysed file, as plain JSON. The language
// server builds it (server/src/view/graphView.ts), the webview and the CLI lay it out and draw it
// (webview/src/layout.ts, webview/src/render.ts). Positions are LSP line/character, 0-based.

export type ViewSeverity = 'error' | 'warning' | 'info' | 'hint';

/** The node kinds of the format, plus the drawn pseudo-nodes: the run's start, END, and a missing target. */
export type ViewNodeKind = 'llm' | 'tool' | 'router' | 'function' | 'agent' | 'subgraph' | 'human' | 'handoff' | 'unknown' | 'start' | 'end' | 'missing';

export type ViewEdgeKind = 'next' | 'fanout' | 'route' | 'error' | 'exhausted' | 'command' | 'start';

export interface ViewPosition {
  line: number;
  character: number;
}

export interface ViewRange {
  start: ViewPosition;
  end: ViewPosition;
}

/** The findings on one node: the worst severity, how many, and their messages (for the hover). */
export interface ViewDiagnostics {
  severity: ViewSeverity;
  count: number;
  messages: string[];
}

export interface ViewNode {
  id: string;
  kind: ViewNodeKind;
  label: string;
  /** A second line: the model, the tool, the receiver or the subgraph file. */
  detail?: string;
  /** The node's key as written: where a click reveals it. */
  range?: ViewRange;
  /** The whole definition: the cursor inside it highlights the node. */
  bodyRange?: ViewRange;
  entry?: boolean;
  /** The graph-level `on_error` target. */
  recovery?: boolean;
  approval?: boolean;
  diagnostics?: ViewDiagnostics;
  maxVisits?: number;
  /** A loop guard written in code, as evidence: `route: state["revisions"] >= 3` (its bound is `maxVisits`). */
  guard?: string;
  /** An agent's inner loop: its `max_iterations`, or 'unbounded'. */
  innerLoop?: number | 'unbounded';
  /** A subgraph node's file, resolved: a click on its link opens it. */
  subgraphUri?: string;
}

export interface ViewEdge {
  id: string;
  from: string;
  to: string;
  kind: ViewEdgeKind;
  label?: string;
  /** A failure transition that comes from `defaults` or the graph's `on_error`, not from the node itself. */
  inherited?: boolean;
}

/** How a loop ends: a guard (`max_visits`), only the step budget (the run fails), or nothing. */
export type LoopStatus = 'guarded' | 'steps' | 'unbounded';

export interface ViewLoop {
  nodes: string[];
  status: LoopStatus;
  /** `max_visits 3`, `guard route: state["revisions"] >= 3`, `budget.steps 30`, `unbounded`. */
  bound: string;
}

export interface ViewBudget {
  usd?: number;
  tokens?: number;
  steps?: number;
  toolCalls?: number;
  wallS?: number;
}

export interface ViewWorstCase {
  usd: number;
  tokens: number;
  /** Set when some node may run without bound: the figures leave it out. */
  unbounded: boolean;
  /** Set when a model has no price: the figure is a lower bound. */
  lowerBound: boolean;
  /** Set when a model call has no input-token estimate: the figure counts its output tokens only. */
  inputNotEstimated?: boolean;
  overBudget: boolean;
}

export interface ViewHeader {
  name: string;
  description?: string;
  budget?: ViewBudget;
  worstCase?: ViewWorstCase;
  /** Findings of the whole file by severity (suppressed ones left out). */
  counts: Record<ViewSeverity, number>;
  /** Findings that sit on no node (top-level keys), for the header's hover. */
  graphDiagnostics?: ViewDiagnostics;
}

export interface GraphViewModel {
  uri: string;
  header: ViewHeader;
  /** In source order, the start pseudo-node first and END last. */
  nodes: ViewNode[];
  edges: ViewEdge[];
  loops: ViewLoop[];
}

/**
 * The node whose definition holds the editor's cursor, by whole lines (the indentation before a node's key
 * counts as the node): the innermost, in case definitions nest.
 */
export function nodeAt(nodes: readonly ViewNode[], line: number): ViewNode | undefined {
  let best: ViewNode | undefined;
  for (const n of nodes) {
    const r = n.bodyRange;
    if (!r) continue;
    const last = r.end.character === 0 && r.end.line > r.start.line ? r.end.line - 1 : r.end.line;
    if (line < r.start.line || line > last) continue;
    if (!best || best.bodyRange!.start.line < r.start.line || (best.bodyRange!.start.line === r.start.line && best.bodyRange!.start.character < r.start.character)) best = n;
  }
  return best;
}
