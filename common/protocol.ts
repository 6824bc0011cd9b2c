// Every custom message between the extension (client), the language server and the webviews, declared once
// and imported by both sides (the vscode-eslint pattern). Each entry says which way it travels.
// Only plain data crosses: shapes here are JSON, positions are LSP line/character (0-based).

/** A place in a file, as LSP gives it. */
export interface Location {
  uri: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

// Custom LSP requests are added below, one namespace each:
//   export namespace SomeRequest { export const method = 'agentgraph/some'; export interface Params {...}; export interface Result {...} }
