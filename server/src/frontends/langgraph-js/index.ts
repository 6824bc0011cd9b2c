// LangGraph JS/TS (`@langchain/langgraph`, LANGGRAPH.md) as a frontend: a `.ts`, `.tsx`, `.js`, `.mjs`, `.cjs`,
// `.mts` or `.cts` file that constructs a `StateGraph` holds one graph per builder. The source is parsed with
// lezer's JavaScript grammar in its TypeScript dialect (JSX too for `.tsx`/`.jsx`), which keeps every call it
// can through a syntax error; it is read, never imported or run.
import { parser } from '@lezer/javascript';
import type { Frontend, FrontendResult } from '../frontend.ts';
import { MAX_SOURCE_CHARS } from '../frontend.ts';
import type { AgDiagnostic } from '../../core/diagnostic.ts';
import { scanSuppressions } from '../suppressions.ts';
import { extractGraphs } from './extract.ts';

const ts = parser.configure({ dialect: 'ts' });
const tsx = parser.configure({ dialect: 'ts jsx' });
const jsx = parser.configure({ dialect: 'jsx' });

/** The file names this frontend reads. */
export const JS_SOURCE = /\.(ts|tsx|js|jsx|mjs|cjs|mts|cts)$/i;

/** The pre-check: a file that never spells `StateGraph` holds no graph and costs nothing more. */
export function mayHoldJsGraph(text: string): boolean {
  return text.includes('StateGraph');
}

/** The lezer parser for a file name: TypeScript, with JSX for `.tsx`/`.jsx`. */
export function parserFor(uri: string) {
  const path = uri.replace(/[?#].*$/, '').toLowerCase();
  if (path.endsWith('.tsx')) return tsx;
  if (path.endsWith('.jsx')) return jsx;
  // TypeScript's grammar reads plain JavaScript too (type annotations are only what JS lacks), so `.js`
  // files with JSDoc or Flow-free code parse alike; `<T>x` casts are not a JS construct either way.
  return ts;
}

export function parseJsGraphs(text: string, uri: string): FrontendResult {
  if (text.length > MAX_SOURCE_CHARS) {
    const mb = (text.length / (1024 * 1024)).toFixed(1);
    return { graphs: [], diagnostics: [{ code: 'AG001', severity: 'warning', range: { start: 0, end: 0 }, message: `this module is ${mb} MB, over the ${MAX_SOURCE_CHARS / 1024 / 1024} MB that AgentGraph reads: its graphs are not analysed` }] };
  }
  const body = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text; // a BOM keeps its offset
  const tree = parserFor(uri).parse(body);
  let first: AgDiagnostic | undefined;
  let errors = 0;
  tree.iterate({
    enter(n) {
      if (!n.type.isError) return;
      errors++;
      first ??= {
        code: 'AG001', severity: 'hint', range: { start: n.from, end: Math.max(n.to, n.from + 1) },
        message: 'syntax error: AgentGraph reads the graph around it, but the part of the file after it may be incomplete until it is fixed',
      };
      return false;
    },
  });
  const result = extractGraphs(body, tree, uri);
  const suppressions = scanSuppressions(text, '//');
  const graphs = suppressions.length > 0 ? result.graphs.map((g) => ({ ...g, suppressions })) : result.graphs;
  // Syntax errors are the TypeScript tooling's to report: say it once, as a hint on the first, that the graph may be partial.
  return { graphs, diagnostics: [...(first ? [first] : []), ...result.diagnostics], partial: errors > 0 };
}

export const langgraphJsFrontend: Frontend = {
  id: 'langgraph-js',
  handles: (path) => JS_SOURCE.test(path) && !/\.d\.[mc]?ts$/i.test(path),
  mayHoldGraph: mayHoldJsGraph,
  parse: parseJsGraphs,
};
