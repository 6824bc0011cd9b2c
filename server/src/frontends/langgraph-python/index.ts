// LangGraph Python (LANGGRAPH.md) as a frontend: a `.py` file that constructs a `StateGraph` holds one graph
// per builder. The source is parsed with lezer's Python grammar, which keeps every call it can through a syntax
// error; it is read, never imported or run.
import { parser } from '@lezer/python';
import type { Tree } from '@lezer/common';
import type { Frontend, FrontendResult } from '../frontend.ts';
import { MAX_SOURCE_CHARS } from '../frontend.ts';
import type { AgDiagnostic } from '../../core/diagnostic.ts';
import { scanSuppressions } from '../suppressions.ts';
import { extractGraphs } from './extract.ts';
import { limitNesting, MAX_NESTING } from './nesting.ts';

/** The pre-check: a file that never spells `StateGraph` holds no graph and costs nothing more. */
export function mayHoldPythonGraph(text: string): boolean {
  return text.includes('StateGraph');
}

/**
 * How long lezer may take over one module: 1.5 s, and 1 ms more per KB. Real code parses at about 0.25 ms per
 * KB (a module at the size cap in about a second), so only input several times slower than any real module
 * (thousands of chained conditional expressions, say) is stopped, and read up to where the parse got.
 */
export const PARSE_BUDGET_MS = 1500;

export function parseBudgetMs(chars: number): number {
  return PARSE_BUDGET_MS + chars / 1024;
}

export function parsePythonGraphs(text: string, uri: string, budgetMs = parseBudgetMs(text.length)): FrontendResult {
  if (text.length > MAX_SOURCE_CHARS) {
    const mb = (text.length / (1024 * 1024)).toFixed(1);
    return { graphs: [], diagnostics: [{ code: 'AG001', severity: 'warning', range: { start: 0, end: 0 }, message: `this module is ${mb} MB, over the ${MAX_SOURCE_CHARS / 1024 / 1024} MB that AgentGraph reads: its graphs are not analysed` }] };
  }
  if (looksBinary(text)) {
    return { graphs: [], diagnostics: [{ code: 'AG001', severity: 'warning', range: { start: 0, end: 0 }, message: 'this file is binary, not Python source: AgentGraph does not read it (Python itself refuses source with NUL bytes)' }] };
  }
  try {
    return read(text, uri, budgetMs);
  } catch (e) {
    // Parsing never throws (docs/architecture.md). A stack overflow is input nested deeper than lezer's or our
    // recursion can follow; anything else is a bug of ours. Either way the editor keeps the last full result.
    const deep = e instanceof RangeError && /call stack/i.test(e.message);
    return {
      graphs: [], partial: true,
      diagnostics: [{
        code: 'AG001', severity: deep ? 'hint' : 'warning', range: { start: 0, end: 0 },
        message: deep
          ? 'syntax error: this module nests expressions too deeply to be read; its graphs are not analysed until that is simplified'
          : `internal error reading this module: ${(e as Error)?.message ?? String(e)}; please report this`,
      }],
    };
  }
}

function read(text: string, uri: string, budgetMs: number): FrontendResult {
  // A BOM keeps its offset; brackets nested past what Python accepts are blanked (nesting.ts), offsets kept too.
  const nesting = limitNesting(text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text);
  const body = nesting.text;
  const { tree, stoppedAt } = parseBounded(body, budgetMs);
  let first: AgDiagnostic | undefined;
  let errors = 0;
  tree.iterate({
    enter(n) {
      if (!n.type.isError) return;
      if (errors++ === 0) {
        first = {
          code: 'AG001', severity: 'hint', range: { start: n.from, end: Math.max(n.to, n.from + 1) }, data: { syntaxError: true },
          message: 'syntax error: AgentGraph reads the graph around it, but the part of the file after it may be incomplete until it is fixed',
        };
      }
      return false;
    },
  });
  if (nesting.at !== undefined) {
    first = {
      code: 'AG001', severity: 'hint', range: { start: nesting.at, end: nesting.at + 1 }, data: { syntaxError: true },
      message: `syntax error: brackets nested more than ${MAX_NESTING} deep, which Python refuses ("too many nested parentheses"); AgentGraph reads the graph around them, but it may be incomplete until this is fixed`,
    };
  }
  if (stoppedAt !== undefined) {
    const line = body.slice(0, stoppedAt).split('\n').length;
    first = {
      code: 'AG001', severity: 'hint', range: { start: stoppedAt, end: stoppedAt },
      message: `this module took more than ${(budgetMs / 1000).toFixed(1)} s to parse: AgentGraph read it up to line ${line} only, so its graphs may be incomplete`,
    };
  }
  const result = extractGraphs(body, tree, uri);
  const suppressions = scanSuppressions(text);
  const graphs = suppressions.length > 0 ? result.graphs.map((g) => ({ ...g, suppressions })) : result.graphs;
  // Syntax errors are the Python tooling's to report: say it once, as a hint on the first, that the graph may be partial.
  return { graphs, diagnostics: first ? [first, ...result.diagnostics] : result.diagnostics, partial: first !== undefined };
}

/** lezer's parse, stopped where it got to once it has taken `budgetMs`. */
function parseBounded(text: string, budgetMs: number): { tree: Tree; stoppedAt?: number } {
  const parse = parser.startParse(text);
  const deadline = performance.now() + budgetMs;
  let stoppedAt: number | undefined;
  for (let steps = 0; ; steps++) {
    const tree = parse.advance();
    if (tree) return { tree, stoppedAt };
    if (stoppedAt === undefined && (steps & 255) === 0 && performance.now() > deadline) {
      stoppedAt = parse.parsedPos;
      parse.stopAt(stoppedAt);
    }
  }
}

/**
 * Binary data with a `.py` name: a NUL anywhere (CPython refuses such source), or mostly control characters and
 * undecodable bytes at the start. lezer would spend seconds recovering from errors in it for nothing.
 */
function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  const head = text.slice(0, 8192);
  let odd = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c === 0xfffd || (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12)) odd++;
  }
  return head.length > 0 && odd / head.length > 0.1;
}

export const langgraphPythonFrontend: Frontend = {
  id: 'langgraph-python',
  handles: (path) => /\.py$/i.test(path),
  mayHoldGraph: mayHoldPythonGraph,
  parse: (text, uri) => parsePythonGraphs(text, uri),
};
