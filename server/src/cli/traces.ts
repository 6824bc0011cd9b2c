// `agentgraph traces FILE... --graph GRAPH`: what real runs did on a graph, for CI. Prints the per-node figures
// and the conformance findings (AG8xx); exit 0 with no finding, 1 with findings, 2 on a usage error or
// unreadable input. Trace files: OTLP JSON, OTLP JSON Lines (the file exporter), LangGraph debug streams.
import { readFileSync, statSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import { checkFormat, COLOR_OPTIONS, parseCommandArgs, usageError, useColor } from './args.ts';
import type { TraceFigures } from '../../../common/traceModel.ts';
import { ProjectConfigs } from '../core/config.ts';
import type { AgDiagnostic } from '../core/diagnostic.ts';
import { pathToUri } from '../core/uris.ts';
import { Workspace } from '../analysis/workspace.ts';
import { diskHost } from '../node/diskHost.ts';
import { aggregate, createTraceState, reduce, setGraph } from '../traces/aggregate.ts';
import { applySettings, checkConformance } from '../traces/conformance.ts';
import { graphContext } from '../traces/graphContext.ts';
import { MAX_FILE_BYTES } from '../traces/sources.ts';
import { readTraceText, type TraceFormat } from '../traces/traceText.ts';
import { formatText, toJsonDiagnostics } from './formatters.ts';

const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

const FORMAT_NAMES: Record<TraceFormat, string> = {
  'otlp-json': 'OTLP JSON', 'otlp-jsonl': 'OTLP JSON Lines', 'langgraph-debug': 'LangGraph debug stream', empty: 'empty', unknown: 'not a trace format',
};

interface FileInfo {
  file: string;
  format: TraceFormat;
  spans: number;
  malformed: number;
  rejected: number;
  reasons: readonly string[];
}

export function tracesCommand(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  const args = parseCommandArgs(
    'traces', argv, { graph: { type: 'string' }, format: { type: 'string', default: 'text' }, 'min-runs': { type: 'string', default: '10' }, ...COLOR_OPTIONS },
    { out, err },
  );
  if (typeof args === 'number') return args;
  const { format } = args.values;
  if (!checkFormat('traces', format, ['text', 'json'], err)) return EXIT.usage;
  const minRuns = Number(args.values['min-runs']);
  if (!Number.isInteger(minRuns) || minRuns < 1) {
    err(`agentgraph traces: --min-runs must be a whole number of runs, at least 1, not "${args.values['min-runs']}"\n`);
    return EXIT.usage;
  }
  if (!args.values.graph) {
    return usageError('traces', 'name the graph the traces ran: --graph path/to/agent.agentgraph.yaml', { err });
  }
  if (args.positionals.length === 0) {
    return usageError('traces', 'name at least one trace file (OTLP JSON, OTLP JSON Lines or a LangGraph debug stream)', { err });
  }

  const graphPath = resolve(args.values.graph);
  const uri = pathToUri(graphPath);
  if (diskHost.read(uri) === undefined) {
    err(`agentgraph traces: ${display(graphPath)} cannot be read\n`);
    return EXIT.usage;
  }
  const workspace = new Workspace(diskHost);
  const configs = new ProjectConfigs((u) => diskHost.read(u));
  const config = configs.forFile(uri);
  if (config && 'error' in config) err(`agentgraph: ${config.uri}: ${config.error}\n`);
  const layers = [config && 'rules' in config ? config.rules : undefined];
  workspace.severities = () => layers;
  const analysis = workspace.analyze(uri);
  if (!analysis.graph || !analysis.queries) {
    const first = analysis.diagnostics[0];
    err(`agentgraph traces: ${display(graphPath)} is not a valid agent graph${first ? `: ${first.message}` : ''}; run \`agentgraph check ${display(graphPath)}\`\n`);
    return EXIT.usage;
  }
  const ctx = graphContext(uri, analysis.graph, analysis.queries);

  // A CI run reads everything it is given: generous limits, the figures of evicted runs stay in the archive.
  const state = createTraceState({ maxRuns: 100_000, maxSpans: 5_000_000, maxSpansPerRun: 1_000_000 });
  setGraph(state, ctx);
  const extract = { customAttributes: new Set(ctx.naming.nodeAttribute ? [ctx.naming.nodeAttribute] : []) };
  const infos: FileInfo[] = [];
  let unreadable = false;
  for (const file of args.positionals) {
    let text: string;
    try {
      const st = statSync(file);
      if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
      if (st.size > MAX_FILE_BYTES) throw Object.assign(new Error('too large'), { code: `larger than ${MAX_FILE_BYTES / 1048576} MiB` });
      text = readFileSync(file, 'utf8');
    } catch (e) {
      err(`agentgraph: ${display(file)}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})\n`);
      unreadable = true;
      continue;
    }
    if (/[\u0000\uFFFD]/.test(text.slice(0, 65536))) {
      // A protobuf body (what Python's exporter sends), a gzip file, any binary file: not a trace file.
      err(`agentgraph: ${display(file)}: not a trace file: it holds binary data (an OTLP protobuf body?); agentgraph traces reads OTLP JSON, OTLP JSON Lines and LangGraph debug streams (stream_mode="debug"); send protobuf to the trace receiver instead\n`);
      unreadable = true;
      continue;
    }
    const r = readTraceText(text, basename(file), extract);
    reduce(state, r.events);
    const spans = new Set(r.events.flatMap((e) => (e.type === 'span' ? [`${e.span.runId}\u0000${e.span.spanId}`] : []))).size;
    infos.push({ file: display(file), format: r.format, spans, malformed: r.malformed, rejected: r.rejected, reasons: r.reasons });
    if (r.malformed + r.rejected > 0) err(`agentgraph: ${display(file)}: ${r.malformed} line(s) were not traces, ${r.rejected} span(s) unusable; first: ${r.reasons[0] ?? ''}\n`);
    if (spans === 0) {
      // A CI job pointed at the wrong file must not pass: a file with no span is a usage error.
      const what = r.format === 'unknown' ? 'not a trace' : r.format === 'empty' ? 'empty' : `${FORMAT_NAMES[r.format]} without a span`;
      err(`agentgraph: ${display(file)}: ${what}: expected OTLP JSON, OTLP JSON Lines or a LangGraph debug stream (stream_mode="debug")\n`);
      unreadable = true;
    }
  }

  const agg = aggregate(state, ctx);
  const findings = applySettings(checkConformance(analysis.graph, ctx, agg, { minRunsForUnseen: minRuns }), analysis.graph, analysis.lines, layers);
  findings.sort((a, b) => a.range.start - b.range.start || a.code.localeCompare(b.code));
  const report = { file: display(graphPath), analysis: { ...analysis, diagnostics: findings } };

  if (format === 'json') {
    out(JSON.stringify({ graph: display(graphPath), files: infos, figures: { ...agg.figures, uri: display(graphPath) }, findings: toJsonDiagnostics([report], true) }, null, 2) + '\n');
  } else {
    const color = useColor(args.values);
    out(renderFigures(agg.figures, infos) + '\n');
    const text = formatText([report], { color, source: true });
    if (text) out(`\n${text}\n`);
    out(`\n${summaryLine(findings)}\n`);
  }
  if (unreadable) return EXIT.usage;
  return findings.some((d) => !d.suppressed) ? EXIT.findings : EXIT.ok;
}

function summaryLine(ds: readonly AgDiagnostic[]): string {
  const shown = ds.filter((d) => !d.suppressed);
  const n = (s: string) => shown.filter((d) => d.severity === s).length;
  const parts = [`${shown.length} conformance finding${shown.length === 1 ? '' : 's'}`, `${n('error')} error${n('error') === 1 ? '' : 's'}`, `${n('warning')} warning${n('warning') === 1 ? '' : 's'}`, `${n('info') + n('hint')} info`];
  const suppressed = ds.length - shown.length;
  if (suppressed) parts.push(`${suppressed} suppressed`);
  return parts.join(', ');
}

const usd = (v: number) => (v === 0 ? '$0' : v < 0.01 ? `$${v.toFixed(6)}` : `$${v.toFixed(4)}`);
const ms = (v: number | undefined) => (v === undefined ? '-' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);

/** The figures as a table, then the transitions taken and what could not be mapped. */
export function renderFigures(f: TraceFigures, files: readonly FileInfo[]): string {
  const lines: string[] = [];
  for (const i of files) lines.push(`${i.file}: ${FORMAT_NAMES[i.format]}, ${i.spans} span${i.spans === 1 ? '' : 's'}`);
  const aside: string[] = [];
  if (f.otherRuns) aside.push(`${f.otherRuns} other run${f.otherRuns === 1 ? ' is' : 's are'} another graph's or name no node of it`);
  if (f.mismatchedRuns) aside.push(`${f.mismatchedRuns} run${f.mismatchedRuns === 1 ? ' does' : 's do'} not match it: most of their spans name no node`);
  lines.push(`${f.runCount} run${f.runCount === 1 ? '' : 's'} on this graph${aside.length ? ` (${aside.join('; ')})` : ''}, ${f.spanCount} spans`, '');
  const header = ['node', 'visits', 'attempts', 'errors', 'soft', 'tokens in', 'tokens out', 'cost', 'p50', 'p95', 'max/run'];
  const rows = Object.entries(f.nodes).map(([id, n]) => [
    id, String(n.visits), String(n.attempts), String(n.errors), String(n.softErrors), String(n.tokensIn), String(n.tokensOut), usd(n.costUsd), ms(n.p50Ms), ms(n.p95Ms),
    n.bound !== undefined ? `${n.maxVisitsPerRun}/${n.bound}` : String(n.maxVisitsPerRun),
  ]);
  if (rows.length === 0) lines.push('no span named a node of this graph');
  else lines.push(...table([header, ...rows]));
  if (f.edges.length > 0) {
    lines.push('', 'transitions taken:');
    const edgeRows = f.edges.map((e) => [`  ${e.from} -> ${e.to}`, String(e.count), e.failures ? `${e.failures} after a failure` : '', e.declared ? '' : 'not declared']);
    lines.push(...table(edgeRows).map((l) => l.trimEnd()));
  }
  if (f.unknownNames.length > 0) lines.push('', `names in spans that are no node of the graph: ${f.unknownNames.map((u) => `${u.name} (${u.count})`).join(', ')}`);
  if (f.unmapped.count > 0) lines.push('', `${f.unmapped.count === 1 ? '1 span belongs' : `${f.unmapped.count} spans belong`} to no node: ${f.unmapped.names.slice(0, 10).map((u) => `${u.name} (${u.count})`).join(', ')}`);
  return lines.join('\n');
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c]?.length ?? 0)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd());
}

function display(file: string): string {
  const rel = relative(process.cwd(), resolve(file));
  return rel.startsWith('..') ? file : rel;
}
