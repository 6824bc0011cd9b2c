// The readiness report as people and tools read it: text for a terminal, JSON for scripts, Markdown for a pull
// request comment and for the VS Code report (the same Markdown, with links to each place). Offsets become
// 1-based lines here, at the edge.
import { CHECKPOINT_SHORT, type Evidence, type Fix, type ReadinessReport } from './check.ts';
import type { LineIndex } from '../core/lineIndex.ts';
import type { Range } from '../core/ir.ts';

/** One graph's report with what is needed to show its places. */
export interface GraphResult {
  readonly report: ReadinessReport;
  /** The path shown for the file (relative to the working folder or the workspace folder when inside it). */
  readonly file: string;
  readonly lines: LineIndex;
  /** The other file of a code-defined graph and its overlay: evidence placed there is shown there. */
  readonly partner?: { readonly uri: string; readonly file: string; readonly lines: LineIndex };
  /** The URI a link to this result's places goes to (the partner's, for evidence placed in it). */
  readonly uri?: string;
}

/** The result as seen from where a place is: the partner file for a range marked with its URI. */
export function at(g: GraphResult, range: Range): GraphResult {
  const p = g.partner;
  if (!p || range.uri === undefined || range.uri !== p.uri) return g;
  return { ...g, file: p.file, lines: p.lines, uri: p.uri, partner: undefined };
}

export interface Summary {
  readonly graphs: number;
  readonly ready: number;
  readonly notReady: number;
}

export function summarize(results: readonly GraphResult[]): Summary {
  const ready = results.filter((r) => r.report.verdict === 'ready').length;
  return { graphs: results.length, ready, notReady: results.length - ready };
}

/** `1 of 5 checkpoints pass`, or why the checkpoints do not count (the same words as the lens and the status bar). */
function verdictDetail(r: ReadinessReport): string {
  return r.summary.detail;
}

function pos(g: GraphResult, range: Range): { line: number; column: number } {
  const p = at(g, range).lines.position(range.start);
  return { line: p.line + 1, column: p.character + 1 };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function summaryLine(s: Summary): string {
  if (s.graphs === 0) return 'no agent graph checked';
  return `${plural(s.graphs, 'graph')} checked: ${s.ready} ready, ${s.notReady} not ready`;
}

// --- Text -----------------------------------------------------------------------------------------------------

export interface TextOptions {
  readonly color: boolean;
}

/**
 *     research-agent (examples/research-agent.agentgraph.yaml): NOT READY, 1 of 5 checkpoints pass
 *       first: add max_visits and on_exhausted to "critique" (line 58)
 *       FAIL 1. Measurable success
 *            examples/research-agent.agentgraph.yaml:6:7: graph "research-agent" has no success criteria: ... [AG701]
 */
export function renderText(results: readonly GraphResult[], opts: TextOptions): string {
  const c = (code: string, s: string) => (opts.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const out: string[] = [];
  for (const g of results) {
    const r = g.report;
    const ready = r.verdict === 'ready';
    out.push(`${c('1', r.graph)} (${g.file}): ${ready ? c('32', 'READY') : c('31', 'NOT READY')}, ${verdictDetail(r)}`);
    if (r.firstFix) out.push(`  first: ${r.firstFix.text} (line ${pos(g, r.firstFix.range).line})`);
    for (const b of r.blockers) out.push(`  ${c('31', 'ERROR')} ${evidenceText(g, b, c)}`);
    for (const cp of r.checkpoints) {
      out.push(`  ${cp.passed ? c('32', 'PASS') : c('31', 'FAIL')} ${cp.id}. ${cp.title}`);
      for (const e of cp.evidence) out.push(`       ${evidenceText(g, e, c)}`);
    }
    out.push('');
  }
  out.push(summaryLine(summarize(results)));
  return out.join('\n');
}

function evidenceText(g: GraphResult, e: Evidence, c: (code: string, s: string) => string): string {
  const p = pos(g, e.range);
  const tag = e.kind === 'accepted' ? `${c('33', `accepted (${e.reason})`)}: ` : e.kind === 'info' ? '' : '';
  const from = e.source === 'traces' ? c('2', ' (traces)') : '';
  return `${at(g, e.range).file}:${p.line}:${p.column}: ${tag}${e.message}${e.code ? ` ${c('2', `[${e.code}]`)}` : ''}${from}`;
}

// --- JSON -----------------------------------------------------------------------------------------------------

export interface JsonEvidence {
  kind: Evidence['kind'];
  message: string;
  /** Set when the place is in the other file of a code-defined graph and its overlay. */
  file?: string;
  code?: string;
  node?: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  source?: 'graph' | 'traces';
  reason?: string;
}

export interface JsonGraph {
  file: string;
  uri: string;
  graph: string;
  verdict: ReadinessReport['verdict'];
  /** The verdict in words, as the lens says it: `not ready (checkpoints 3, 5 fail)`. */
  summary: string;
  passed: number[];
  failed: number[];
  firstFix?: { text: string; line: number; column: number };
  blockers: JsonEvidence[];
  checkpoints: { id: number; title: string; passed: boolean; firstFix?: { text: string; line: number; column: number }; evidence: JsonEvidence[] }[];
  recovery: ReadinessReport['recovery'];
  traces?: ReadinessReport['traces'];
}

/** `{ graphs: [...], summary: { graphs, ready, notReady } }`, places 1-based as in `agentgraph check --format json`. */
export function toJson(results: readonly GraphResult[]): { graphs: JsonGraph[]; summary: Summary } {
  const ev = (g: GraphResult, e: Evidence): JsonEvidence => {
    const here = at(g, e.range);
    const s = here.lines.position(e.range.start);
    const end = here.lines.position(e.range.end);
    return {
      kind: e.kind, message: e.message, ...(here !== g ? { file: here.file } : {}),
      ...(e.code ? { code: e.code } : {}), ...(e.node !== undefined ? { node: e.node } : {}),
      line: s.line + 1, column: s.character + 1, endLine: end.line + 1, endColumn: end.character + 1,
      ...(e.source ? { source: e.source } : {}), ...(e.reason !== undefined ? { reason: e.reason } : {}),
    };
  };
  const fix = (g: GraphResult, f: Fix | undefined) => (f ? { firstFix: { text: f.text, ...pos(g, f.range) } } : {});
  return {
    graphs: results.map((g) => {
      const r = g.report;
      return {
        file: g.file, uri: r.uri, graph: r.graph, verdict: r.verdict, summary: r.summary.line,
        passed: r.checkpoints.filter((c) => c.passed).map((c) => c.id),
        failed: r.checkpoints.filter((c) => !c.passed).map((c) => c.id),
        ...fix(g, r.firstFix),
        blockers: r.blockers.map((e) => ev(g, e)),
        checkpoints: r.checkpoints.map((c) => ({ id: c.id, title: c.title, passed: c.passed, ...fix(g, c.firstFix), evidence: c.evidence.map((e) => ev(g, e)) })),
        recovery: r.recovery,
        ...(r.traces ? { traces: r.traces } : {}),
      };
    }),
    summary: summarize(results),
  };
}

// --- Markdown -------------------------------------------------------------------------------------------------

export interface MarkdownOptions {
  /** A link to a 1-based line of a graph's file; without one (or when it returns undefined) places are plain text. */
  readonly link?: (g: GraphResult, line: number) => string | undefined;
  /** The heading of the report. */
  readonly title?: string;
  /** Evidence lines shown per checkpoint before "and N more" (default 12). */
  readonly maxEvidence?: number;
}

// Words, not ✅/❌: where no emoji font is installed (many Linux desktops, code-server in a container) those
// are empty boxes, and a verdict that cannot be read is no verdict.
const PASS = 'pass';
const FAIL = 'fail';

/**
 * A summary table (graph | verdict | checkpoints 1..5), then one section per graph: each checkpoint with its
 * evidence as bullet points that start with their `file:line` place. Fits a pull request comment.
 */
export function renderMarkdown(results: readonly GraphResult[], opts: MarkdownOptions = {}): string {
  const max = opts.maxEvidence ?? 12;
  const s = summarize(results);
  // What needs work comes first; the order is otherwise the caller's (by file).
  results = [...results.filter((g) => g.report.verdict !== 'ready'), ...results.filter((g) => g.report.verdict === 'ready')];
  const out: string[] = [`## ${md(opts.title ?? 'AgentGraph production readiness')}`, ''];
  if (results.length === 0) {
    out.push('No agent graph file (`*.agentgraph.yaml`, `.yml` or `.json`) was found.');
    return out.join('\n') + '\n';
  }
  out.push(`**${s.ready} of ${plural(s.graphs, 'graph')} ready.** Checkpoints: ${([1, 2, 3, 4, 5] as const).map((i) => `${i} ${CHECKPOINT_SHORT[i]}`).join(' · ')}.`, '');
  out.push('| graph | file | verdict | 1 | 2 | 3 | 4 | 5 |', '| --- | --- | --- | :-: | :-: | :-: | :-: | :-: |');
  for (const g of results) {
    const r = g.report;
    const marks = r.checkpoints.map((c) => (c.passed ? PASS : FAIL)).join(' | ');
    // A `|` ends a table cell even inside a code span: GitHub and VS Code both take `\|` there.
    const file = place(g, 1, opts, g.file).replace(/\|/g, '\\|');
    out.push(`| **${md(r.graph)}** | ${file} | ${r.verdict === 'ready' ? 'ready' : '**not ready**'} | ${marks} |`);
  }
  for (const g of results) {
    const r = g.report;
    const ready = r.verdict === 'ready';
    out.push('', `### ${md(r.graph)}: ${ready ? 'ready' : 'not ready'}, ${verdictDetail(r)}`, '');
    out.push(`File: ${place(g, 1, opts, g.file)}${r.traces ? ` · traces: ${plural(r.traces.runs, 'run')}${r.traces.source ? ` from ${md(r.traces.source)}` : ''}` : ''}`);
    if (r.firstFix) out.push('', `**Do first:** ${md(r.firstFix.text)} (${place(at(g, r.firstFix.range), pos(g, r.firstFix.range).line, opts)})`);
    if (r.blockers.length > 0) {
      out.push('', `**The file has errors, so the checkpoints cannot be trusted**`, '');
      for (const e of r.blockers.slice(0, max)) out.push(bullet(g, e, opts));
      if (r.blockers.length > max) out.push(`- … and ${r.blockers.length - max} more`);
    }
    for (const cp of r.checkpoints) {
      out.push('', `**${cp.id}. ${md(cp.title)}: ${cp.passed ? PASS : FAIL}**`, '');
      const shown = cp.evidence.slice(0, max);
      for (const e of shown) out.push(bullet(g, e, opts));
      if (cp.evidence.length > max) out.push(`- … and ${cp.evidence.length - max} more (run \`agentgraph readiness ${g.file.replace(/`/g, '')}\` for all)`);
    }
  }
  out.push('', `<sub>${summaryLine(s)} · checkpoints as defined in the AgentGraph rule catalog</sub>`);
  return out.join('\n') + '\n';
}

function bullet(g: GraphResult, e: Evidence, opts: MarkdownOptions): string {
  const where = place(at(g, e.range), pos(g, e.range).line, opts);
  const tag = e.kind === 'fail' ? `${FAIL}: ` : e.kind === 'accepted' ? `accepted (${md(e.reason ?? '')}): ` : '';
  const code = e.code ? ` \`${e.code}\`` : '';
  const from = e.source === 'traces' ? ' _(measured in traces)_' : '';
  return `- ${where} ${tag}${md(e.message)}${code}${from}`;
}

/** `[file:line](link)`, or `` `file:line` `` when there is no link. */
function place(g: GraphResult, line: number, opts: MarkdownOptions, label = `${basenameOf(g.file)}:${line}`): string {
  const href = opts.link?.(g, line);
  if (!href) return `\`${label.replace(/`/g, "'")}\``;
  return `[${md(label)}](${href.replace(/[()\s<>]/g, (ch) => encodeURIComponent(ch))})`;
}

function basenameOf(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/** Escapes text so that Markdown shows it as written: no HTML gets through, and `$` starts no formula on GitHub. */
function md(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_[\]<>|#~$]/g, (ch) => (ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : `\\${ch}`));
}
