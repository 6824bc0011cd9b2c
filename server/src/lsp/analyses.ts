// What the editing features (completion, hover, navigation, fixes, hints) share about analyses: the latest
// published analysis of each open file, the last one that could read a graph (for completion while the text
// is broken), and per-analysis caches of the symbol index.
import type { Analysis } from '../analysis/workspace.ts';
import { keepRecent } from '../core/recent.ts';
import type { AgentGraph } from '../core/ir.ts';
import { buildIndex, type SymbolIndex } from '../features/symbols.ts';
import { parseForEdit, stringAt, stringItemsAt } from '../frontends/yaml/textEdits.ts';
import type { ServerContext } from './context.ts';

export interface Analyses {
  /** The analysis of the file as it is now (computed on demand when the published one is stale). */
  current(uri: string): Analysis;
  /**
   * The analysis of the file as it is now, waiting for the one under way after an edit rather than computing
   * it a second time (computed on demand after `timeoutMs`, or at once for files that are not open).
   */
  settled(uri: string, timeoutMs?: number): Promise<Analysis>;
  /** The last graph read from this file, possibly from an earlier text; for names while the text is broken. */
  lastGraph(uri: string): AgentGraph | undefined;
  /** The symbol index of a parsed file (IR places only: fast, for hover and definition). */
  index(a: Parsed): SymbolIndex | undefined;
  /** The symbol index with the places the IR does not keep (policy tools, defaults.on_error): for references and rename. */
  fullIndex(a: Parsed): SymbolIndex | undefined;
}

/** A file's text and the graph read from it: an Analysis, or the workspace's parse alone. */
type Parsed = { readonly text: string; readonly graph?: AgentGraph };

const shared = new WeakMap<ServerContext, Analyses>();

/** Analyses hold the IR: keep those of the files in use. */
const KEEP = 16;
const remember = <V>(map: Map<string, V>, uri: string, value: V) => keepRecent(map, uri, value, KEEP);

export function analysesOf(ctx: ServerContext): Analyses {
  const existing = shared.get(ctx);
  if (existing) return existing;
  const lastGraphs = new Map<string, { graph: AgentGraph; text: string }>();
  // Keyed by the graph: the same parse gives the same graph object, whether it came with an analysis or not.
  const indexes = new WeakMap<AgentGraph, SymbolIndex>();
  const fullIndexes = new WeakMap<AgentGraph, SymbolIndex>();
  // The text of each open file's last published analysis, for every open file (the documents hold these
  // strings anyway): whether an analysis is still under way must not depend on the analyses kept.
  const publishedText = new Map<string, string>();
  const waiting: { uri: string; resolve: (a: Analysis) => void }[] = [];
  ctx.onAnalysis((a) => {
    if (a.graph) remember(lastGraphs, a.uri, { graph: a.graph, text: a.text });
    const text = ctx.documents.get(a.uri)?.getText();
    if (text !== a.text) return;
    publishedText.set(a.uri, a.text);
    for (let i = waiting.length - 1; i >= 0; i--) {
      if (waiting[i].uri !== a.uri) continue;
      waiting[i].resolve(a);
      waiting.splice(i, 1);
    }
  });
  ctx.documents.onDidClose((e) => publishedText.delete(e.document.uri));
  ctx.documents.onDidClose((e) => lastGraphs.delete(e.document.uri));
  const api: Analyses = {
    current: (uri) => {
      const a = ctx.analysis(uri);
      if (a.graph && ctx.documents.get(uri)) remember(lastGraphs, uri, { graph: a.graph, text: a.text });
      return a;
    },
    settled(uri, timeoutMs = 3000) {
      // A document the server leaves alone has no analysis under way: its empty one is at hand.
      if (ctx.ignores(uri)) return Promise.resolve(ctx.analysis(uri));
      const doc = ctx.documents.get(uri);
      // Its text is the one last published: no analysis is under way, the current one is at hand (kept, or
      // computed again when it was dropped beyond the files in use).
      if (!doc || publishedText.get(uri) === doc.getText()) return Promise.resolve(api.current(uri));
      return new Promise((resolve) => {
        const entry = { uri, resolve: (a: Analysis) => (clearTimeout(timer), resolve(a)) };
        const timer = setTimeout(() => {
          const i = waiting.indexOf(entry);
          if (i >= 0) waiting.splice(i, 1);
          resolve(api.current(uri));
        }, timeoutMs);
        waiting.push(entry);
      });
    },
    lastGraph(uri) {
      const hit = lastGraphs.get(uri);
      if (hit) return hit.graph;
      // Completion needs the names, not the findings: the parse alone, never a second full analysis.
      return ctx.workspace.graphOf(uri)?.graph;
    },
    index(a) {
      if (!a.graph) return undefined;
      let idx = indexes.get(a.graph);
      if (!idx) indexes.set(a.graph, (idx = buildIndex(a.graph, a.text)));
      return idx;
    },
    fullIndex(a) {
      if (!a.graph) return undefined;
      let idx = fullIndexes.get(a.graph);
      if (!idx && a.graph.runtime) {
        // A graph read from code: the places the IR does not keep are YAML places, there are none to add.
        fullIndexes.set(a.graph, (idx = api.index(a)!));
      } else if (!idx) {
        const parsed = parseForEdit(a.text);
        idx = buildIndex(a.graph, a.text, {
          policyTools: stringItemsAt(a.text, ['policies', '*', 'tools'], parsed),
          defaultsOnError: stringAt(a.text, ['defaults', 'on_error'], parsed),
        });
        fullIndexes.set(a.graph, idx);
      }
      return idx;
    },
  };
  shared.set(ctx, api);
  return api;
}
