// What a rule is: a code, a default severity, the question it answers, and a check over the whole graph.
import type { AgDiagnostic, RelatedInfo, Severity } from '../core/diagnostic.ts';
import type { AgentGraph, GraphNode, Range } from '../core/ir.ts';
import type { GraphQueries } from '../core/queries.ts';
import type { WorstCase } from '../core/cost.ts';

/** What the analysis knows of the file a `subgraph` node refers to. */
export type SubgraphInfo =
  | { readonly status: 'ok'; readonly uri: string; readonly graph: AgentGraph }
  | { readonly status: 'missing' | 'invalid'; readonly uri: string; readonly reason: string }
  | { readonly status: 'cycle'; readonly uri: string; readonly chain: readonly string[] };

export interface RuleContext {
  readonly graph: AgentGraph;
  readonly q: GraphQueries;
  /** The worst-case run, computed once and shared. */
  worstCase(): WorstCase;
  /** Resolves a subgraph node's `graph` file relative to this graph's file. */
  subgraph(node: GraphNode): SubgraphInfo | undefined;
  report(d: { range: Range; message: string; related?: readonly RelatedInfo[]; data?: Record<string, unknown> }): void;
}

export interface Rule {
  readonly code: string;
  readonly severity: Severity;
  /** The question the rule answers, as in the catalog. */
  readonly title: string;
  check(ctx: RuleContext): void;
}

export type { AgDiagnostic };
