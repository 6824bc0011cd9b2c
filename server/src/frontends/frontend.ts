// The one interface every frontend implements: source text and URI in, the graphs the source holds (each an IR
// with source ranges) plus the frontend's own findings out. Nothing past a frontend knows which language a
// graph came from.
import type { AgDiagnostic } from '../core/diagnostic.ts';
import type { AgentGraph } from '../core/ir.ts';

export interface FrontendResult {
  /**
   * The graphs found, the file's main graph first (the one the views open and the readiness check rates); the
   * others are its subgraphs or siblings, addressed as `file#name`. Empty when the text holds no readable graph.
   */
  readonly graphs: readonly AgentGraph[];
  /** Findings about the source itself: syntax errors, what could not be read, AG001 for the YAML format. */
  readonly diagnostics: AgDiagnostic[];
  /** The source had syntax errors and what was read may be incomplete (the editor keeps the last full result). */
  readonly partial?: boolean;
}

export interface Frontend {
  /** A short stable id, `yaml` or `langgraph-python`. */
  readonly id: string;
  /** Whether a file of this name is this frontend's to read (by its name alone). */
  handles(path: string): boolean;
  /**
   * A cheap test of the text, run before parsing: false means the file holds no graph and costs nothing more
   * (a Python file that never mentions `StateGraph`). Files of a graph-only format always pass.
   */
  mayHoldGraph(text: string): boolean;
  parse(text: string, uri: string): FrontendResult;
}

/** Files larger than this are not analysed: no hand-written agent graph comes near it. */
export const MAX_SOURCE_CHARS = 4 * 1024 * 1024;
