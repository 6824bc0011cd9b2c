// Shared by the loop rules (AG201, AG202, AG204): one concrete cycle through a loop, the transition that closes
// it (where the diagnostic goes) and the cycle's nodes in order as related information.
import type { RelatedInfo } from '../core/diagnostic.ts';
import { END, type AgentGraph, type Range } from '../core/ir.ts';
import type { GraphQueries } from '../core/queries.ts';

export interface Cycle {
  /** The nodes of one cycle, in order, starting at the loop's first node in source order. */
  readonly path: readonly string[];
  /** `"draft" -> "review" -> "draft"`. */
  readonly text: string;
  /** The node whose transition closes the cycle (the natural place for a loop guard). */
  readonly closer: string;
  /** The target of the closing transition as written, or the closing node's id when that edge is inherited. */
  readonly range: Range;
  readonly related: RelatedInfo[];
}

export function cycleOf(graph: AgentGraph, q: GraphQueries, loop: readonly string[]): Cycle {
  const path = q.cyclePath(loop);
  const closer = path[path.length - 1];
  const back = q.succ(closer).find((t) => t.to === path[0] && t.to !== END);
  // An inherited on_error edge is written in defaults or at the top level: point at the node instead.
  const range = back && back.origin === 'node' ? back.range : graph.nodes.get(closer)!.range;
  const related = path.map((id, i) => ({
    message: `cycle ${i + 1}/${path.length}: "${id}" goes to "${path[(i + 1) % path.length]}"`,
    range: graph.nodes.get(id)!.range,
  }));
  return { path, text: [...path, path[0]].map((id) => `"${id}"`).join(' -> '), closer, range, related };
}

/** Whether a node lies in a loop that no transition leaves (AG204 reports it; the bound rules stay quiet). */
export function inTrappedLoop(q: GraphQueries, id: string): boolean {
  const loop = q.loopOf(id);
  return loop !== undefined && q.exitsOf(loop).length === 0;
}

/** For an unguarded cycle inside a larger guarded loop: ` (the guard on "review" is not on this cycle)`. */
export function guardsElsewhere(graph: AgentGraph, q: GraphQueries, loop: readonly string[]): string {
  const guarded = (q.loopOf(loop[0]) ?? []).filter((id) => graph.nodes.get(id)?.maxVisits !== undefined);
  if (guarded.length === 0) return '';
  const names = guarded.map((id) => `"${id}"`).join(', ');
  return guarded.length === 1 ? ` (the guard on ${names} is not on this cycle)` : ` (the guards on ${names} are not on this cycle)`;
}
