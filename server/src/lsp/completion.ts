// Completion over LSP: the work is in features/completion.ts; this adapter converts offsets and kinds, and
// lists the agent graph files near the document for `graph:` of a subgraph node.
import { readdirSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import {
  CompletionItemKind, InsertTextFormat, type CompletionItem, type CompletionList, type ServerCapabilities, CompletionTriggerKind, type Range,
} from 'vscode-languageserver/node';
import { z } from 'zod';
import { complete, documentationOf, type CompletionEntry, type CompletionKind } from '../features/completion.ts';
import { isAgentGraphFile } from '../frontends/yaml/frontend.ts';
import { isCodeSource } from './sources.ts';
import { uriToPath } from '../core/uris.ts';
import { analysesOf } from './analyses.ts';
import type { Feature } from './context.ts';

const KIND: Record<CompletionKind, CompletionItemKind> = {
  node: CompletionItemKind.Class,
  end: CompletionItemKind.Keyword,
  model: CompletionItemKind.Interface,
  tool: CompletionItemKind.Function,
  state: CompletionItemKind.Variable,
  data: CompletionItemKind.EnumMember,
  key: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  snippet: CompletionItemKind.Snippet,
  file: CompletionItemKind.File,
};

/** A space only opens the list right after `:`, `,`, `-`, `[` or `{` (not while indenting or in prose). */
function spaceTriggers(text: string, offset: number): boolean {
  return /[:,\-\[{]/.test(text[offset - 2] ?? '');
}

export const completionFeature: Feature = (ctx): ServerCapabilities => {
  const analyses = analysesOf(ctx);
  const filesNear = nearbyGraphFiles();

  ctx.connection.onCompletion((params): CompletionList | CompletionItem[] => {
    const doc = ctx.documents.get(params.textDocument.uri);
    // Completion knows the format's keys and values; in code the language's own tooling completes.
    if (!doc || isCodeSource(doc.uri) || ctx.ignores(doc.uri)) return [];
    const text = doc.getText();
    const offset = doc.offsetAt(params.position);
    if (params.context?.triggerKind === CompletionTriggerKind.TriggerCharacter && params.context.triggerCharacter === ' ' && !spaceTriggers(text, offset)) return [];
    const uri = params.textDocument.uri;
    const entries = complete({
      text,
      offset,
      graph: analyses.lastGraph(uri),
      graphFiles: uri.startsWith('file:') ? filesNear(uri) : [],
      lazyDocs: true,
    });
    // Every item of a list usually replaces the same word: convert each range once.
    const ranges = new Map<string, Range>();
    const toRange = (r: { start: number; end: number }) => {
      const key = `${r.start}:${r.end}`;
      let lsp = ranges.get(key);
      if (!lsp) ranges.set(key, (lsp = { start: doc.positionAt(r.start), end: doc.positionAt(r.end) }));
      return lsp;
    };
    return { isIncomplete: false, items: entries.map((e) => toItem(e, toRange, uri)) };
  });

  // The documentation of a node, model or tool is given when the editor shows the item.
  ctx.connection.onCompletionResolve((item): CompletionItem => {
    const ref = refSchema.safeParse(item.data);
    if (!ref.success || item.documentation) return item;
    const graph = analyses.lastGraph(ref.data.uri);
    const value = graph ? documentationOf(graph, ref.data) : undefined;
    return value ? { ...item, documentation: { kind: 'markdown', value } } : item;
  });

  return { completionProvider: { triggerCharacters: [' ', '[', ',', '{', '"'], resolveProvider: true } };
};

const refSchema = z.object({ uri: z.string(), kind: z.enum(['node', 'model', 'tool']), name: z.string() });

function toItem(e: CompletionEntry, toRange: (r: { start: number; end: number }) => Range, uri: string): CompletionItem {
  return {
    label: e.label,
    kind: KIND[e.kind],
    ...(e.detail ? { detail: e.detail } : {}),
    ...(e.documentation ? { documentation: { kind: 'markdown', value: e.documentation } } : {}),
    ...(e.ref ? { data: { uri, ...e.ref } } : {}),
    textEdit: { range: toRange(e.range), newText: e.insertText },
    ...(e.snippet ? { insertTextFormat: InsertTextFormat.Snippet } : {}),
    ...(e.sortText ? { sortText: e.sortText } : {}),
    ...(e.filterText ? { filterText: e.filterText } : {}),
    ...(e.retrigger ? { command: { title: 'Suggest', command: 'editor.action.triggerSuggest' } } : {}),
  };
}

/** Agent graph files within two folders of a document, relative to it (`./kyc.agentgraph.yaml`), cached briefly. */
function nearbyGraphFiles(): (uri: string) => string[] {
  const cache = new Map<string, { at: number; files: string[] }>();
  return (uri) => {
    const self = uriToPath(uri);
    const dir = dirname(self);
    const hit = cache.get(dir);
    const files = hit && Date.now() - hit.at < 5000 ? hit.files : walk(dir, 2, 200);
    cache.set(dir, { at: Date.now(), files });
    return files.filter((f) => f !== self).map((f) => './' + relative(dir, f).split(sep).join('/'));
  };
}

function walk(root: string, depth: number, max: number): string[] {
  const out: string[] = [];
  const visit = (d: string, level: number) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (out.length >= max) return;
      if (e.isFile() && isAgentGraphFile(e.name)) out.push(join(d, e.name));
      else if (e.isDirectory() && level < depth && !e.name.startsWith('.') && e.name !== 'node_modules') visit(join(d, e.name), level + 1);
    }
  };
  visit(root, 0);
  return out.sort();
}
