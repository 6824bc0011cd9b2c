// Quick fixes in a graph's source code, where one edit fixes the finding: a retry policy on an `add_node`
// (AG102, with its import) or in the options of an `addNode` (AG102 in JS/TS), and the overlay beside the code file for what code cannot say (AG301 no budget,
// AG601 no tracing, AG701 no success criteria). Each edit is checked before it is offered: the code fix must
// leave the module parsing as before and the finding gone.
import type { AgDiagnostic } from '../core/diagnostic.ts';
import type { AgentGraph } from '../core/ir.ts';
import type { WorstCase } from '../core/cost.ts';
import { basename } from '../core/uris.ts';
import { parsePythonGraphs } from '../frontends/langgraph-python/index.ts';
import { parseJsGraphs } from '../frontends/langgraph-js/index.ts';
import { jsRetryEdits } from '../frontends/langgraph-js/edits.ts';
import { applyEdits, type TextEdit } from '../frontends/yaml/textEdits.ts';

export interface CodeFix {
  readonly title: string;
  readonly diagnostic: AgDiagnostic;
  /** Edits in the file itself. */
  readonly edits: readonly TextEdit[];
  /** A file to create beside it (the overlay), with its whole text. */
  readonly create?: { readonly uri: string; readonly text: string };
  readonly preferred?: boolean;
}

export interface CodeFixInput {
  readonly uri: string;
  readonly text: string;
  /** Every graph of the file: a finding may be about a subgraph's node. */
  readonly graphs: readonly AgentGraph[];
  readonly worstCase?: WorstCase;
  /** Whether a file exists (an overlay is never created over one). */
  readonly exists: (uri: string) => boolean;
}

const OVERLAY_CODES = new Set(['AG301', 'AG601', 'AG701']);

export function codeFixes(input: CodeFixInput, diagnostics: readonly AgDiagnostic[]): CodeFix[] {
  const out: CodeFix[] = [];
  let overlayOffered = false;
  for (const d of diagnostics) {
    const graph = graphOf(input.graphs, d);
    if (!graph?.runtime) continue;
    if (d.code === 'AG102') {
      const f = graph.runtime.language === 'python' ? retryFix(input, graph, d) : jsRetryFix(input, graph, d);
      if (f) out.push(f);
    } else if (OVERLAY_CODES.has(d.code) && !graph.source && !overlayOffered) {
      // One overlay answers all three findings: offered once, on the first of them.
      const f = overlayFix(input, graph, d);
      if (f) out.push(f);
      overlayOffered = f !== undefined;
    }
  }
  return out;
}

/** The graph a finding is about: the one holding its node, else the one whose StateGraph call it sits on. */
function graphOf(graphs: readonly AgentGraph[], d: AgDiagnostic): AgentGraph | undefined {
  const id = typeof d.data?.node === 'string' ? d.data.node : undefined;
  const at = d.range.start;
  return (id ? graphs.find((g) => { const n = g.nodes.get(id); return n && n.range.start <= at && at <= n.range.end; }) ?? graphs.find((g) => g.nodes.has(id)) : undefined)
    ?? graphs.find((g) => g.root.start <= at && at <= g.root.end) ?? graphs.find((g) => g.name && g.name.range.start <= at && at <= g.name.range.end) ?? graphs[0];
}

function retryFix(input: CodeFixInput, graph: AgentGraph, d: AgDiagnostic): CodeFix | undefined {
  const id = typeof d.data?.node === 'string' ? d.data.node : undefined;
  const node = id ? graph.nodes.get(id) : undefined;
  if (!node || node.retry) return undefined;
  const { text } = input;
  const call = text.slice(node.bodyRange.start, node.bodyRange.end);
  // Only an add_node call written out, closing with its own parenthesis.
  if (!/^[\w.]*add_node\s*\(/.test(call)) return undefined;
  if (!call.endsWith(')')) return undefined;
  const close = node.bodyRange.end - 1;
  const before = text.slice(node.bodyRange.start, close).trimEnd();
  const arg = before.endsWith(',') ? ' retry_policy=RetryPolicy(max_attempts=3)' : ', retry_policy=RetryPolicy(max_attempts=3)';
  const at = node.bodyRange.start + before.length;
  const edits: TextEdit[] = [{ range: { start: at, end: at }, newText: arg }];
  const imp = importEdit(text);
  if (imp) edits.push(imp);
  // Checked: the module still parses as before, and the node now retries.
  const after = applyEdits(text, edits);
  const r = parsePythonGraphs(after, input.uri);
  const before2 = parsePythonGraphs(text, input.uri);
  if ((r.partial ?? false) !== (before2.partial ?? false)) return undefined;
  const fixed = r.graphs.find((g) => g.name?.value === graph.name?.value)?.nodes.get(node.id);
  if (!fixed?.retry || fixed.retry.attempts !== 3) return undefined;
  return { title: `Retry "${node.id}" up to 3 times (retry_policy=RetryPolicy(max_attempts=3))`, diagnostic: d, edits: edits.sort((a, b) => a.range.start - b.range.start), preferred: true };
}

/**
 * `retryPolicy: { maxAttempts: 3 }` in the options of the node's `addNode` (or its tuple of `addNode([...])`,
 * `addSequence([...])`), checked like the Python fix: the module reads as before, and the node now retries.
 */
function jsRetryFix(input: CodeFixInput, graph: AgentGraph, d: AgDiagnostic): CodeFix | undefined {
  const id = typeof d.data?.node === 'string' ? d.data.node : undefined;
  const node = id ? graph.nodes.get(id) : undefined;
  if (!node || node.retry) return undefined;
  const edits = jsRetryEdits(input.text, input.uri, node.range);
  if (!edits) return undefined;
  const after = applyEdits(input.text, edits);
  const before = parseJsGraphs(input.text, input.uri);
  const r = parseJsGraphs(after, input.uri);
  if ((r.partial ?? false) !== (before.partial ?? false) || r.graphs.length !== before.graphs.length) return undefined;
  const fixed = r.graphs.find((g) => g.name?.value === graph.name?.value)?.nodes.get(node.id);
  if (!fixed?.retry || fixed.retry.none || fixed.retry.attempts !== 3) return undefined;
  return { title: `Retry "${node.id}" up to 3 times (retryPolicy: { maxAttempts: 3 })`, diagnostic: d, edits: [...edits].sort((a, b) => a.range.start - b.range.start), preferred: true };
}

/** `from langgraph.types import RetryPolicy`, unless the module already has RetryPolicy. */
function importEdit(text: string): TextEdit | undefined {
  if (/^\s*(from\s+\S+\s+)?import\s[^\n]*\bRetryPolicy\b/m.test(text) || /import\s*\([^)]*\bRetryPolicy\b[^)]*\)/.test(text)) return undefined;
  const types = /^from langgraph\.types import ([^\n()\\]+)$/m.exec(text);
  if (types) {
    const end = types.index + types[0].length;
    return { range: { start: end, end }, newText: ', RetryPolicy' };
  }
  // After the last import at the top of the module (single-line imports; a parenthesised one is skipped past).
  const lines = text.split('\n');
  let offset = 0;
  let insertAt = -1;
  let inParens = false;
  for (const line of lines) {
    const next = offset + line.length + 1;
    if (inParens) {
      if (line.includes(')')) {
        inParens = false;
        insertAt = next;
      }
    } else if (/^(from\s+\S+\s+import|import)\s/.test(line)) {
      if (line.includes('(') && !line.includes(')')) inParens = true;
      else insertAt = next;
    } else if (insertAt >= 0 && line.trim() !== '' && !line.startsWith('#')) break;
    offset = next;
  }
  const at = insertAt >= 0 ? Math.min(insertAt, text.length) : 0;
  const newline = at > 0 && text[at - 1] !== '\n' ? '\n' : '';
  return { range: { start: at, end: at }, newText: `${newline}from langgraph.types import RetryPolicy\n` };
}

/** The overlay beside the code: a budget from the worst case, tracing, a success criterion to fill in. */
function overlayFix(input: CodeFixInput, g: AgentGraph, d: AgDiagnostic): CodeFix | undefined {
  const file = basename(input.uri);
  const stem = file.replace(/\.(py|[cm]?[jt]sx?)$/, '');
  const uri = input.uri.replace(/[^/]*$/, `${stem}.agentgraph.yaml`);
  if (input.exists(uri)) return undefined;
  const graph = g.name?.value ?? stem;
  const slug = (graph === 'LangGraph' ? stem : graph).toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^[^a-z0-9]+/, '') || 'graph';
  const wc = input.worstCase;
  const usd = wc && Number.isFinite(wc.usd) && wc.usd > 0 ? Math.max(0.01, Math.ceil(wc.usd * 2 * 100) / 100) : 0.5;
  const tokens = wc && Number.isFinite(wc.tokens) && wc.tokens > 0 ? Math.ceil((wc.tokens * 2) / 1000) * 1000 : 50000;
  const text = [
    `# Production policies for the graph "${graph}" of ${file}: what its code cannot say (docs/langgraph.md).`,
    'agentgraph: 1',
    `name: ${slug}`,
    `source: { file: ./${file}, graph: ${g.codeName ?? graph} }`,
    `budget: { usd: ${usd}, tokens: ${tokens} }   # per run; twice the worst case read from the code`,
    'tracing: { exporter: otlp, node_attribute: langgraph_node }',
    'success:',
    `  - { metric: task_success_rate, target: ">= 0.80", eval: evals/${slug}.jsonl }`,
    '',
  ].join('\n');
  return { title: `Create ${stem}.agentgraph.yaml beside ${file}: budget, tracing and success criteria for "${graph}"`, diagnostic: d, edits: [], create: { uri, text } };
}
