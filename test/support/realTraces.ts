// What the two real-trace tests (test/integration/traces-real*.test.ts) share: the same support agent in Python
// and in TypeScript, scripted alike, so its four recorded conversations give the same figures in both.
import { main } from '../../server/src/cli/main.ts';
import { extractSpan } from '../../server/src/traces/mapping.ts';
import type { TraceEvent, TraceSpan } from '../../server/src/traces/model.ts';
import { aggregateOf, contextOf } from '../unit/traces/helpers.ts';

/** `agentgraph traces ...argv`, in process. */
export function tracesCli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = main(['traces', ...argv], (s) => (stdout += s), (s) => (stderr += s));
  return { code, stdout, stderr };
}

/** What the figures say of the recorded conversations on `graph`, whatever the source. */
export function summary(events: TraceEvent[], graph: string) {
  const f = aggregateOf(events, contextOf(graph)).agg.figures;
  return {
    runs: f.runCount,
    nodes: Object.fromEntries(Object.entries(f.nodes).map(([id, n]) => [id, { visits: n.visits, errors: n.errors, tokensIn: n.tokensIn, tokensOut: n.tokensOut, maxVisitsPerRun: n.maxVisitsPerRun }])),
    edges: f.edges.map((e) => `${e.from} -> ${e.to} ${e.count}${e.declared ? '' : ' (not declared)'}`),
    unmapped: f.unmapped.count,
    unknown: f.unknownNames,
    other: f.otherRuns,
    mismatched: f.mismatchedRuns,
  };
}

/** The four conversations of either app. */
export const EXPECTED = {
  runs: 4,
  // agent: 1 + 2 + 1 tool rounds in the first three conversations, five in the fourth (its counter started at -2).
  nodes: {
    agent: { visits: 13, errors: 0, tokensIn: 934, tokensOut: 228, maxVisitsPerRun: 6 },
    tools: { visits: 9, errors: 0, tokensIn: 0, tokensOut: 0, maxVisitsPerRun: 5 },
    reply: { visits: 4, errors: 0, tokensIn: 0, tokensOut: 0, maxVisitsPerRun: 1 },
  },
  edges: ['__start__ -> agent 4', 'agent -> reply 4', 'agent -> tools 9', 'reply -> END 4', 'tools -> agent 9'],
  unmapped: 0,
  unknown: [],
  other: 0,
  mismatched: 0,
};

export const spanEvents = (spans: TraceSpan[], source: string): TraceEvent[] => spans.map((s) => ({ type: 'span' as const, span: extractSpan(s), source }));

/**
 * The shape of a recording (OTLP JSON Lines): per run, each span's scope, resource keys, name, kind, OpenInference
 * kind, LangGraph node and step, status, and its attribute and metadata keys (the message texts left out).
 */
export function shape(jsonl: string) {
  const runs = new Map<string, string[]>();
  for (const line of jsonl.trim().split('\n')) {
    for (const rs of JSON.parse(line).resourceSpans) {
      const resource = (rs.resource?.attributes ?? []).map((a: { key: string }) => a.key).sort().join(',');
      for (const ss of rs.scopeSpans) {
        for (const s of ss.spans) {
          const attrs = Object.fromEntries((s.attributes ?? []).map((a: { key: string; value: Record<string, unknown> }) => [a.key, Object.values(a.value)[0]]));
          const meta = typeof attrs.metadata === 'string' ? JSON.parse(attrs.metadata) : {};
          const keys = Object.keys(attrs).filter((k) => !/^llm\.(input|output)_messages\.\d+\./.test(k)).sort().join(',');
          (runs.get(s.traceId) ?? runs.set(s.traceId, []).get(s.traceId)!).push(`${ss.scope?.name}@${ss.scope?.version} {${resource}} ${s.name} ${s.kind} ${attrs['openinference.span.kind']} ${meta.langgraph_node ?? '-'}@${meta.langgraph_step ?? '-'} ${s.status?.code ?? ''} [${keys}] ${Object.keys(meta).sort().join(',')}`);
        }
      }
    }
  }
  return [...runs.values()].map((r) => r.sort());
}
