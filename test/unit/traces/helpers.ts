// Shared helpers for the trace tests: read a fixture, aggregate it for a graph (or none), pick figures.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { aggregate, createTraceState, reduce, setGraph, type TraceLimits } from '../../../server/src/traces/aggregate.ts';
import { bareContext, graphContext, type GraphContext } from '../../../server/src/traces/graphContext.ts';
import type { TraceEvent } from '../../../server/src/traces/model.ts';
import { readTraceText } from '../../../server/src/traces/traceText.ts';
import { lintFile, lintText } from '../../support/lint.ts';

export const FIXTURES = 'test/fixtures/traces';
export const SEMCONV = `${FIXTURES}/otlp-genai-semconv.json`;
export const OPENINFERENCE = `${FIXTURES}/otlp-openinference-langgraph.json`;
export const DEBUG = `${FIXTURES}/langgraph-debug-stream.jsonl`;
export const WEATHER_GRAPH = `${FIXTURES}/weather.agentgraph.yaml`;
export const SEMCONV_GRAPH = `${FIXTURES}/weather-semconv.agentgraph.yaml`;

export function eventsOf(path: string, customAttributes: string[] = []): TraceEvent[] {
  const r = readTraceText(readFileSync(path, 'utf8'), path.split('/').pop()!, { customAttributes: new Set(customAttributes) });
  if (r.malformed + r.rejected > 0) throw new Error(`${path}: ${r.reasons.join('; ')}`);
  return r.events;
}

export function contextOf(graphPath: string): GraphContext {
  const a = lintFile(graphPath);
  if (!a.graph || !a.queries) throw new Error(`${graphPath} is not a graph`);
  return graphContext(a.uri, a.graph, a.queries);
}

export function contextOfText(yaml: string): { ctx: GraphContext; analysis: ReturnType<typeof lintText> } {
  const analysis = lintText(yaml, resolve('test/fixtures/traces/inline.agentgraph.yaml'));
  if (!analysis.graph || !analysis.queries) throw new Error('not a graph');
  return { ctx: graphContext(analysis.uri, analysis.graph, analysis.queries), analysis };
}

export function aggregateOf(events: TraceEvent[], ctx: GraphContext = bareContext(), limits: Partial<TraceLimits> = {}) {
  const state = createTraceState(limits);
  setGraph(state, ctx);
  reduce(state, events);
  return { state, agg: aggregate(state, ctx) };
}

/** The figures that the notes give for each payload: visits, attempts, errors, soft errors, tokens. */
export function pick(nodes: Record<string, { visits: number; attempts: number; errors: number; softErrors: number; tokensIn: number; tokensOut: number }>) {
  return Object.fromEntries(Object.entries(nodes).map(([id, n]) => [id, { visits: n.visits, attempts: n.attempts, errors: n.errors, softErrors: n.softErrors, tokensIn: n.tokensIn, tokensOut: n.tokensOut }]));
}
