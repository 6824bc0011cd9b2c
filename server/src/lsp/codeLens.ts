// The one CodeLens provider of the server. An LSP server answers `textDocument/codeLens` with a single
// handler, so features that want lenses (readiness, "Open graph", worst-case cost...) register a source here
// and this module merges what they return, in registration order.
import { CodeLensRefreshRequest, type CodeLens, type ServerCapabilities } from 'vscode-languageserver/node';
import type { Analysis } from '../analysis/workspace.ts';
import type { Range } from '../core/ir.ts';
import { keepRecent } from '../core/recent.ts';
import type { Feature, ServerContext } from './context.ts';
import { toLspRange } from './convert.ts';
import { analysesOf } from './analyses.ts';

/** One lens as plain data: where it sits (offsets into the file) and the command it shows. */
export interface LensItem {
  /** Offsets; the lens is shown above the line of `range.start`. */
  readonly range: Range;
  /** The text shown; an empty title is not shown at all. */
  readonly title: string;
  /** A command id run on click; without one the lens is a label. */
  readonly command?: string;
  readonly arguments?: unknown[];
  readonly tooltip?: string;
}

/** Gives the lenses of one file from its analysis; called on every lens request, so keep it cheap. */
export type CodeLensSource = (analysis: Analysis) => readonly LensItem[];

const sources: CodeLensSource[] = [];
let requestRefresh: (() => void) | undefined;

/**
 * Adds a source of lenses. Call it from a feature module (at registration); returns a function that removes
 * the source again.
 */
export function registerCodeLensSource(source: CodeLensSource): () => void {
  sources.push(source);
  return () => {
    const i = sources.indexOf(source);
    if (i >= 0) sources.splice(i, 1);
  };
}

/** Asks the editor to request the lenses again (after a setting or an outside input changed). */
export function refreshCodeLenses(): void {
  requestRefresh?.();
}

/** The lenses of one analysis from every source; a source that throws is skipped (and logged by the caller). */
export function collectLenses(analysis: Analysis, onError: (e: unknown) => void = () => {}): LensItem[] {
  const out: LensItem[] = [];
  for (const source of sources) {
    try {
      for (const lens of source(analysis)) if (lens.title) out.push(lens);
    } catch (e) {
      onError(e);
    }
  }
  return out;
}

export const codeLensFeature: Feature = (ctx: ServerContext): ServerCapabilities => {
  // The analysis each file's lenses were last computed from: a newer one (an edit, or a subgraph that changed)
  // means the lenses may be out of date, so the editor is asked to fetch them again.
  const served = new Map<string, Analysis>();
  let timer: NodeJS.Timeout | undefined;
  let refreshUnsupported = false;
  requestRefresh = () => {
    if (refreshUnsupported || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      ctx.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => (refreshUnsupported = true));
    }, 200);
  };

  ctx.onAnalysis((analysis) => {
    const before = served.get(analysis.uri);
    if (before && before !== analysis) requestRefresh?.();
  });
  ctx.documents.onDidClose((e) => served.delete(e.document.uri));

  const analyses = analysesOf(ctx);
  ctx.connection.onCodeLens(async ({ textDocument }): Promise<CodeLens[]> => {
    if (sources.length === 0) return [];
    if (ctx.ignores(textDocument.uri)) return [];
    const analysis = await analyses.settled(textDocument.uri);
    // Only the files on screen ask for lenses: keep the last few, not an analysis per file ever shown.
    keepRecent(served, textDocument.uri, analysis, 32);
    return collectLenses(analysis, (e) => ctx.connection.console.error(`a code lens failed: ${(e as Error)?.stack ?? String(e)}`)).map((l) => ({
      range: toLspRange(analysis.lines, { start: l.range.start, end: l.range.start }),
      command: { title: l.title, command: l.command ?? '', ...(l.arguments ? { arguments: l.arguments } : {}), ...(l.tooltip ? { tooltip: l.tooltip } : {}) },
    }));
  });
  return { codeLensProvider: { resolveProvider: false } };
};
