// What the server entry hands each feature module. Its own file, so that feature modules never import the
// entry that imports them.
import type { Connection, FileEvent, ServerCapabilities, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Workspace, Analysis } from '../analysis/workspace.ts';
import type { AgDiagnostic } from '../core/diagnostic.ts';

/** What a feature module gets: the connection, the open documents and the analysis. */
export interface ServerContext {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  readonly workspace: Workspace;
  /** The analysis of a file as it is now (open buffer or disk), computed on demand and cached per text. */
  analysis(uri: string): Analysis;
  /** Called after a file's fresh analysis is published, so that views can refresh. */
  onAnalysis(listener: (analysis: Analysis) => void): void;
  /** Adds findings to those published for a file (trace conformance); called at each publication, must not throw. */
  addDiagnosticSource(source: (analysis: Analysis) => readonly AgDiagnostic[]): void;
  /** Analyses and publishes an open file again (after an added source's findings changed). */
  republish(uri: string): void;
  /**
   * Whether this is an open document the server leaves alone: a code file that holds no graph (a Python module
   * that never mentions `StateGraph`). Requests about it are answered with nothing, without analysing it.
   */
  ignores(uri: string): boolean;
  /**
   * Called with the `agentgraph` settings once they are read after initialization (null when the client cannot
   * be asked), and again after each change.
   */
  onSettings(listener: (settings: unknown) => void): void;
  /** Called after the server has taken in files changed on disk (created, changed, deleted). */
  onWatchedFiles(listener: (changes: readonly FileEvent[]) => void): void;
}

/**
 * Feature modules (completion, hover, the graph view, readiness...): each registers its handlers on the
 * context and returns the capabilities it adds. One line each in FEATURES.
 */
export type Feature = (ctx: ServerContext) => ServerCapabilities | void;
