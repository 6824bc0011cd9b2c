// Trace figures -> the readiness check's `TraceMeasurements` (core/readiness.ts): what real runs measured for one
// graph, as plain JSON. Computed over the finished runs kept in memory (evicted runs are left out: their per-run
// maxima are gone), so `runs` says how many runs the measurements cover.
import type { TraceMeasurements } from '../readiness/check.ts';
import { runAnalysis, type TraceState } from './aggregate.ts';
import type { GraphContext } from './graphContext.ts';
import { END } from './graphContext.ts';

export function traceMeasurements(state: TraceState, ctx: GraphContext, source?: string): TraceMeasurements | undefined {
  let runs = 0;
  let observed = 0;
  let recovered = 0;
  const byNode: Record<string, { observed: number; recovered: number }> = {};
  const maxVisits: Record<string, number> = {};
  let maxSteps = 0;
  let maxUsd = 0;
  let sumUsd = 0;
  let maxTokens = 0;
  let sumTokens = 0;
  for (const id of state.runs.keys()) {
    const a = runAnalysis(state, id, ctx);
    if (!a || !a.belongs || !a.finished) continue;
    runs++;
    // A failure that outlasted its retries; the run recovered when it still ended at END.
    const reachedEnd = a.transitions.some((t) => t.to === END);
    const perRun: Record<string, number> = {};
    for (const v of a.visits) {
      perRun[v.node] = (perRun[v.node] ?? 0) + 1;
      if (!v.failed) continue;
      observed++;
      const n = (byNode[v.node] ??= { observed: 0, recovered: 0 });
      n.observed++;
      if (reachedEnd) {
        recovered++;
        n.recovered++;
      }
    }
    for (const [node, count] of Object.entries(perRun)) if (count > (maxVisits[node] ?? 0)) maxVisits[node] = count;
    maxSteps = Math.max(maxSteps, a.steps);
    maxUsd = Math.max(maxUsd, a.costUsd);
    sumUsd += a.costUsd;
    maxTokens = Math.max(maxTokens, a.tokens);
    sumTokens += a.tokens;
  }
  if (runs === 0) return undefined;
  return {
    runs,
    ...(source ? { source } : {}),
    failures: { observed, recovered, byNode },
    maxVisits,
    maxSteps,
    costPerRun: { maxUsd, meanUsd: sumUsd / runs, maxTokens, meanTokens: sumTokens / runs },
  };
}
