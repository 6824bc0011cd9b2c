// LangGraph Python (LANGGRAPH.md) as a frontend: a `.py` file that constructs a `StateGraph` holds one graph
// per builder. The source is parsed with lezer's Python grammar, which keeps every call it can through a syntax
// error; it is read, never imported or run.
import { parser } from '@lezer/python';
import type { Frontend, FrontendResult } from '../frontend.ts';
import { MAX_SOURCE_CHARS } from '../frontend.ts';
import type { AgDiagnostic } from '../../core/diagnostic.ts';
import { scanSuppressions } from '../suppressions.ts';
import { extractGraphs } from './extract.ts';

/** The pre-check: a file that never spells `StateGraph` holds no graph and costs nothing more. */
export function mayHoldPythonGraph(text: string): boolean {
  return text.includes('StateGraph');
}

export function parsePythonGraphs(text: string, uri: string): FrontendResult {
  if (text.length > MAX_SOURCE_CHARS) {
    const mb = (text.length / (1024 * 1024)).toFixed(1);
    return { graphs: [], diagnostics: [{ code: 'AG001', severity: 'warning', range: { start: 0, end: 0 }, message: `this module is ${mb} MB, over the ${MAX_SOURCE_CHARS / 1024 / 1024} MB that AgentGraph reads: its graphs are not analysed` }] };
  }
  const body = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text; // a BOM keeps its offset
  const tree = parser.parse(body);
  const diagnostics: AgDiagnostic[] = [];
  let errors = 0;
  tree.iterate({
    enter(n) {
      if (!n.type.isError) return;
      errors++;
      if (diagnostics.length < 5) {
        diagnostics.push({
          code: 'AG001', severity: 'warning', range: { start: n.from, end: Math.max(n.to, n.from + 1) },
          message: 'syntax error: AgentGraph reads the graph around it, but the part of the file after it may be incomplete until it is fixed',
        });
      }
      return false;
    },
  });
  const result = extractGraphs(body, tree, uri);
  const suppressions = scanSuppressions(text);
  const graphs = suppressions.length > 0 ? result.graphs.map((g) => ({ ...g, suppressions })) : result.graphs;
  // Syntax errors are the Python tooling's to report: say it once, as a hint on the first, that the graph may be partial.
  const syntax = diagnostics.slice(0, 1).map((d) => ({ ...d, severity: 'hint' as const }));
  return { graphs, diagnostics: [...syntax, ...result.diagnostics], partial: errors > 0 };
}

export const langgraphPythonFrontend: Frontend = {
  id: 'langgraph-python',
  handles: (path) => /\.py$/i.test(path),
  mayHoldGraph: mayHoldPythonGraph,
  parse: parsePythonGraphs,
};
