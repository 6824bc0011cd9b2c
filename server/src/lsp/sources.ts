// Which open documents the server works on. The client sends agent graph files (the YAML/JSON format) and every
// Python, TypeScript and JavaScript file (a LangGraph graph is code): a code file that does not pass its
// frontend's pre-check (it never mentions `StateGraph`), a declaration file (`.d.ts`) and a library's code (under
// `node_modules` or `site-packages`) cost nothing and get nothing published, and beside the language's own
// tooling only AgentGraph's findings are published, never a second report of the file's syntax errors.
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../analysis/workspace.ts';
import type { AgDiagnostic } from '../core/diagnostic.ts';
import { LineIndex } from '../core/lineIndex.ts';
import { frontendFor } from '../frontends/index.ts';
import { isLanggraphJson } from '../frontends/langgraph/langgraphJson.ts';

/** The format AgentGraph owns: its files may be given any name, with the editor's language id saying so. */
const OWN_FORMAT = 'yaml';

/**
 * Whether a file of this name is another tool's file that AgentGraph reads, not an agent graph file: source code
 * read by a code frontend (a LangGraph `.py` or `.ts`/`.js` module), or a `langgraph.json`. The features that read
 * or write the format leave it alone, and its syntax errors are its language's to report.
 */
export function isCodeSource(uri: string): boolean {
  if (isLanggraphJson(uri)) return true;
  const f = frontendFor(uri);
  return f !== undefined && f.id !== OWN_FORMAT;
}

/** A library's code, installed beside the project: opened to read it (go to definition), never the user's to fix. */
const LIBRARY_CODE = /\/(node_modules|site-packages)\//;

/**
 * Whether the server leaves this document alone (a langgraph.json it never does): a code file without a graph (the pre-check fails), a library's
 * code, or a file in a programming language that no frontend reads (a `.pyi` stub, a `.d.ts` declaration file, a
 * Python script without an extension). An agent graph file is never inert, whatever its name (the user chose its
 * language).
 */
export function isInert(doc: Pick<TextDocument, 'uri' | 'languageId' | 'getText'>): boolean {
  // A langgraph.json names the graphs a deployment serves: the server checks that each is there to load.
  if (isLanggraphJson(doc.uri)) return LIBRARY_CODE.test(doc.uri.replace(/[?#].*$/, ''));
  const f = frontendFor(doc.uri);
  if (!f) return !doc.languageId.startsWith('agentgraph-');
  if (f.id === OWN_FORMAT) return !f.mayHoldGraph(doc.getText());
  return LIBRARY_CODE.test(doc.uri.replace(/[?#].*$/, '')) || !f.mayHoldGraph(doc.getText());
}

/** A code frontend's report of a syntax error: the language's own tooling reports those, AgentGraph does not repeat them. */
function isSyntaxReport(d: AgDiagnostic): boolean {
  return d.code === 'AG001' && (d.data?.syntaxError === true || /^syntax error\b/.test(d.message));
}

/** The findings of a file that are published to the editor (all of them are kept in the analysis). */
export function publishedFindings(uri: string, ds: readonly AgDiagnostic[]): readonly AgDiagnostic[] {
  if (!isCodeSource(uri) || !ds.some(isSyntaxReport)) return ds;
  return ds.filter((d) => !isSyntaxReport(d));
}

/** What the features see of a document the server leaves alone: its text, and nothing found in it. */
export function emptyAnalysis(uri: string, text: string): Analysis {
  return { uri, text, lines: new LineIndex(text), graphs: [], diagnostics: [], dependencies: [] };
}
