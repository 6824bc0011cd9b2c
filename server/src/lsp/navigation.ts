// Navigation over LSP: go to definition, find references, highlights, rename (with prepare), the outline
// (document symbols) and workspace symbols. The work is in features/symbols.ts; the scope decision (a file is
// its own namespace, state keys are shared across subgraph boundaries) is documented there.
import {
  DocumentHighlightKind, ErrorCodes, ResponseError, SymbolKind,
  type DocumentSymbol, type Location, type ServerCapabilities, type TextEdit as LspTextEdit, type WorkspaceEdit, type WorkspaceSymbol,
} from 'vscode-languageserver/node';
import type { Analysis } from '../analysis/workspace.ts';
import { LineIndex } from '../core/lineIndex.ts';
import { isPlainString } from '../frontends/yaml/textEdits.ts';
import { findGraphFiles } from '../readiness/findGraphs.ts';
import type { AgentGraph } from '../core/ir.ts';
import {
  definition, outline, prepareRename, references, renameEdits, workspaceSymbols,
  type GraphSource, type OutlineSymbol, type Place, type SymbolIndex,
} from '../features/symbols.ts';
import { toLspRange } from './convert.ts';
import { analysesOf } from './analyses.ts';
import type { Feature, ServerContext } from './context.ts';
import { isCodeSource } from './sources.ts';

const OUTLINE_KIND: Record<OutlineSymbol['kind'], SymbolKind> = {
  section: SymbolKind.Namespace,
  node: SymbolKind.Class,
  model: SymbolKind.Interface,
  tool: SymbolKind.Function,
  state: SymbolKind.Field,
  criterion: SymbolKind.Event,
  policy: SymbolKind.Key,
};

/** Workspace symbol files beyond the open ones: at most this many, to keep the request quick. */
const MAX_WORKSPACE_FILES = 2000;

export const navigationFeature: Feature = (ctx): ServerCapabilities => {
  const analyses = analysesOf(ctx);
  const { connection } = ctx;

  const source: GraphSource = {
    // Other files only need their graph and index: the workspace's parse, not a full analysis with every rule.
    get(uri) {
      const parsed = ctx.workspace.graphOf(uri);
      if (!parsed) return undefined;
      return { text: parsed.text, graph: parsed.graph, get index() { return analyses.fullIndex(parsed); } };
    },
    parents: (uri) => ctx.workspace.dependentsOf(uri),
  };
  const linesOf = (uri: string, here: Analysis) => (uri === here.uri ? here.lines : analyses.current(uri).lines);
  const toLocation = (p: Place, here: Analysis): Location => ({ uri: p.uri, range: toLspRange(linesOf(p.uri, here), p.range) });
  const at = async (uri: string, position: { line: number; character: number }, full = false): Promise<{ a: Analysis; index: SymbolIndex; offset: number } | undefined> => {
    const a = await analyses.settled(uri);
    const index = full ? analyses.fullIndex(a) : analyses.index(a);
    return index ? { a, index, offset: a.lines.offset(position) } : undefined;
  };

  connection.onDefinition(async ({ textDocument, position }) => {
    const h = await at(textDocument.uri, position);
    return h ? definition(source, textDocument.uri, h.index, h.offset).map((p) => toLocation(p, h.a)) : null;
  });

  connection.onReferences(async ({ textDocument, position, context }) => {
    const h = await at(textDocument.uri, position, true);
    return h ? references(source, textDocument.uri, h.index, h.offset, context.includeDeclaration).map((p) => toLocation(p, h.a)) : null;
  });

  connection.onDocumentHighlight(async ({ textDocument, position }) => {
    const h = await at(textDocument.uri, position, true);
    const o = h?.index.at(h.offset);
    if (!h || !o || o.kind === 'file') return null;
    return h.index.of(o.kind, o.name).map((r) => ({ range: toLspRange(h.a.lines, r.range), kind: r.definition ? DocumentHighlightKind.Write : DocumentHighlightKind.Read }));
  });

  connection.onPrepareRename(async ({ textDocument, position }) => {
    // In code a node id is also spelled where the IR does not look (a router's return values): renaming only
    // the places it knows would break the module, so the language's own rename is left to do it.
    if (isCodeSource(textDocument.uri)) return null;
    const h = await at(textDocument.uri, position, true);
    if (!h) throw new ResponseError(ErrorCodes.InvalidRequest, 'this file cannot be read as an agent graph yet: fix its syntax errors, then rename');
    const r = prepareRename(h.index, h.offset);
    if ('error' in r) throw new ResponseError(ErrorCodes.InvalidRequest, r.error);
    return { range: toLspRange(h.a.lines, r.range), placeholder: r.placeholder };
  });

  connection.onRenameRequest(async ({ textDocument, position, newName }): Promise<WorkspaceEdit | null> => {
    if (isCodeSource(textDocument.uri)) return null;
    const h = await at(textDocument.uri, position, true);
    if (!h) throw new ResponseError(ErrorCodes.InvalidRequest, 'this file cannot be read as an agent graph yet: fix its syntax errors, then rename');
    if (typeof newName !== 'string') throw new ResponseError(ErrorCodes.InvalidParams, 'the new name must be a string');
    const r = renameEdits(source, textDocument.uri, h.index, h.offset, newName.trim(), isPlainString);
    if ('error' in r) throw new ResponseError(ErrorCodes.InvalidRequest, r.error);
    const changes: Record<string, LspTextEdit[]> = {};
    for (const [uri, edits] of r.edits) {
      const lines = linesOf(uri, h.a);
      changes[uri] = edits.map((e) => ({ range: toLspRange(lines, e.range), newText: e.newText }));
    }
    return { changes };
  });

  connection.onDocumentSymbol(async ({ textDocument }): Promise<DocumentSymbol[]> => {
    // The outline of code is the language's own; a graph's nodes are in the graph panel.
    if (isCodeSource(textDocument.uri)) return [];
    const a = await analyses.settled(textDocument.uri);
    if (!a.graph) return [];
    const convert = (s: OutlineSymbol): DocumentSymbol => ({
      name: s.name,
      ...(s.detail ? { detail: s.detail } : {}),
      kind: OUTLINE_KIND[s.kind],
      range: toLspRange(a.lines, s.range),
      selectionRange: toLspRange(a.lines, s.selectionRange),
      ...(s.children ? { children: s.children.map(convert) } : {}),
    });
    return outline(a.graph, a.text).map(convert);
  });

  const graphs = graphsOf(ctx);
  connection.onWorkspaceSymbol(async ({ query }): Promise<WorkspaceSymbol[]> => {
    const uris = new Set(ctx.documents.all().map((d) => d.uri));
    for (const uri of await workspaceFiles(ctx)) uris.add(uri);
    const out: WorkspaceSymbol[] = [];
    for (const uri of uris) {
      const file = graphs(uri);
      if (!file?.graph) continue;
      for (const s of workspaceSymbols(file.graph, typeof query === 'string' ? query : '')) {
        out.push({ name: s.name, kind: s.kind === 'node' ? SymbolKind.Class : s.kind === 'model' ? SymbolKind.Interface : SymbolKind.Function, containerName: s.container, location: { uri, range: toLspRange(file.lines, s.range) } });
        if (out.length >= 1000) return out;
      }
    }
    return out;
  });

  return {
    definitionProvider: true,
    referencesProvider: true,
    documentHighlightProvider: true,
    renameProvider: { prepareProvider: true },
    documentSymbolProvider: true,
    workspaceSymbolProvider: true,
  };
};

/** Agent graph files of the workspace folders (none when the client does not say which folders it has). */
async function workspaceFiles(ctx: ServerContext): Promise<string[]> {
  let folders: { uri: string }[] | null = null;
  try {
    folders = await ctx.connection.workspace.getWorkspaceFolders();
  } catch {
    return [];
  }
  // The same asynchronous search as the readiness check and the workspace's Problems (Python and JS modules
  // through their pre-check), so that a symbol search never blocks the server walking a large repository.
  const found = await findGraphFiles((folders ?? []).map((f) => f.uri).filter((u) => u.startsWith('file:')), { cancelled: false });
  return found.uris.slice(0, MAX_WORKSPACE_FILES);
}

/** Graphs of files, open or not: the workspace's own parse (file watching keeps it current), with line numbers. */
function graphsOf(ctx: ServerContext): (uri: string) => { graph?: AgentGraph; lines: LineIndex } | undefined {
  return (uri) => {
    const source = ctx.workspace.graphOf(uri);
    return source && { graph: source.graph, lines: new LineIndex(source.text) };
  };
}
