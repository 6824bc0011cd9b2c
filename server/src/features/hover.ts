// What a hover shows at a place: the symbol under the cursor (node, model, tool, state key) described from the
// analysis, else the documentation of the format's key or value there (from the schema).
import type { AgentGraph, Range } from '../core/ir.ts';
import type { GraphQueries } from '../core/queries.ts';
import type { WorstCase } from '../core/cost.ts';
import { LineIndex } from '../core/lineIndex.ts';
import { cursorContext } from './cursor.ts';
import { describeModel, describeNode, describeStateKey, describeTool, type Facts } from './describe.ts';
import { formOf, keyDoc, valuesAt } from './schemaDocs.ts';
import type { SymbolIndex } from './symbols.ts';

export interface HoverInput {
  readonly text: string;
  readonly graph?: AgentGraph;
  readonly queries?: GraphQueries;
  readonly worstCase?: WorstCase;
  readonly index?: SymbolIndex;
  /** Whether a place that is no symbol gets the format's documentation (false in code: it documents YAML keys). */
  readonly formatDocs?: boolean;
}

export function hoverAt(input: HoverInput, offset: number): { markdown: string; range: Range } | undefined {
  const { graph, index } = input;
  const o = graph ? index?.at(offset) : undefined;
  if (graph && o && o.kind !== 'file') {
    const lines = new LineIndex(input.text);
    const lineOf = (offset: number) => lines.position(offset).line + 1;
    const facts: Facts = { graph, queries: input.queries, worstCase: input.worstCase, lineOf };
    const markdown =
      o.kind === 'node' ? describeNode(facts, o.name) : o.kind === 'model' ? describeModel(facts, o.name) : o.kind === 'tool' ? describeTool(facts, o.name) : describeStateKey(facts, o.name);
    return { markdown, range: o.range };
  }
  return input.formatDocs === false ? undefined : formatDoc(input.text, offset, graph);
}

/** The schema's documentation of the key (or closed-set value) under the cursor, in the form the document is in. */
function formatDoc(text: string, offset: number, graph: AgentGraph | undefined): { markdown: string; range: Range } | undefined {
  // Read the context as if the cursor stood at the end of the word, so that the whole word is known.
  let end = offset;
  while (end < text.length && /[A-Za-z0-9_-]/.test(text[end])) end++;
  if (end === offset && !/[A-Za-z0-9_-]/.test(text[offset - 1] ?? '')) return undefined;
  const ctx = cursorContext(text, end);
  if (!ctx || ctx.prefix === '') return undefined;
  const word = text.slice(ctx.range.start, ctx.range.end);
  const form = formOf(text, graph);
  const kind = form === 'graph' && ctx.path.length === 2 && ctx.path[0] === 'nodes' ? ctx.siblings.get('kind') : undefined;
  if (ctx.where === 'key') {
    const k = keyDoc(ctx.path, word, kind, form);
    if (!k) return undefined;
    const kinds = k.kinds ? `\n\nFor ${k.kinds.map((x) => `\`${x}\``).join(', ')} nodes.` : '';
    return { markdown: `**${k.key}**: ${k.type}${k.required ? ' (required)' : ''}${k.doc ? `\n\n${k.doc}` : ''}${kinds}`, range: ctx.range };
  }
  if (ctx.where === 'value') {
    const v = valuesAt(ctx.path, ctx.key, kind, form).find((x) => x.value === word);
    if (!v) return undefined;
    return { markdown: `**${ctx.key}: ${v.value}**${v.doc ? `\n\n${v.doc}` : ''}`, range: ctx.range };
  }
  return undefined;
}

