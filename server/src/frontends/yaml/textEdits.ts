// Edits to the source text of an agent graph that respect its syntax: insert keys into a map, set a key's
// value, append items to a list, each in the style the file already uses (block YAML with its indentation,
// flow maps and lists `{ ... }` / `[ ... ]`, JSON with quoted keys). The quick fixes use it; it only
// produces edits and never applies them. Nothing here throws: a place it cannot edit safely gives undefined.
import { parseDocument, isMap, isScalar, isSeq, type Document, type Node as YamlNode, type Pair } from 'yaml';
import type { Range } from '../../core/ir.ts';
import { keyName, type AnyNode } from './yamlAst.ts';

/** Replace `range` (offsets) of the original text with `newText`; an empty range inserts. */
export interface TextEdit {
  readonly range: Range;
  readonly newText: string;
}

/** A value to write: scalars, lists and maps, rendered inline (flow style) in the file's own syntax. */
export type Value = string | number | boolean | readonly Value[] | { readonly [key: string]: Value };

/** A path of map keys (and list indices) from the document root; `[]` is the root map. */
export type Path = readonly (string | number)[];

/** Where new keys go in a map: after a key, before a key, or (the default and fallback) after the last one. */
export interface Placement {
  readonly after?: string;
  readonly before?: string;
}

interface Parsed {
  readonly doc: Document;
  readonly text: string;
  readonly json: boolean;
  readonly eol: string;
}

/** Parses once for several edits; undefined when the text has syntax errors (no edit is safe then). */
export function parseForEdit(text: string): Parsed | undefined {
  let doc: Document;
  try {
    doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
  } catch {
    return undefined;
  }
  if (doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
  const first = doc.contents.items[0] as Pair<YamlNode, YamlNode> | undefined;
  const json = doc.contents.flow === true && isScalar(first?.key) && first.key.type === 'QUOTE_DOUBLE';
  return { doc, text, json, eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

function nodeAt(p: Parsed, path: Path): AnyNode {
  let node: AnyNode = p.doc.contents as AnyNode;
  for (const step of path) {
    if (isMap(node)) node = (node.items as Pair<YamlNode, YamlNode>[]).find((pair) => keyName(pair) === String(step))?.value;
    else if (isSeq(node) && typeof step === 'number') node = node.items[step] as AnyNode;
    else return undefined;
  }
  return node;
}

const PLAIN = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
const RESERVED = /^(true|false|null|yes|no|on|off|y|n|~)$/i;

/** A value in the file's syntax, on one line. */
export function renderValue(value: Value, json: boolean): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return !json && PLAIN.test(value) && !RESERVED.test(value) ? value : JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => renderValue(v, json)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, Value>).map(([k, v]) => `${renderKey(k, json)}: ${renderValue(v, json)}`);
  return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
}

function renderKey(key: string, json: boolean): string {
  return json || !PLAIN.test(key) || RESERVED.test(key) ? JSON.stringify(key) : key;
}

function lineStart(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

function lineEnd(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

/** The offset of the last non-blank character before `end`. */
function lastContent(text: string, end: number): number {
  let i = Math.min(end, text.length) - 1;
  while (i > 0 && /\s/.test(text[i])) i--;
  return Math.max(0, i);
}

function endOf(node: AnyNode, fallback: number): number {
  return node?.range ? node.range[1] : fallback;
}

/** The end of a pair: its value's end, or its key's when the value is empty. */
function pairEnd(pair: Pair<YamlNode, YamlNode>): number {
  const keyEnd = endOf(pair.key as AnyNode, 0);
  const v = pair.value as AnyNode;
  // An empty value (`key:` and nothing) is a null scalar placed where the value would start.
  if (!v || (isScalar(v) && v.value === null && !v.source)) return keyEnd;
  return Math.max(keyEnd, endOf(v, keyEnd));
}

/** Inserts `entries` into the map at `path`. Keys already present are left alone (use setValue). */
export function insertKeys(text: string, path: Path, entries: readonly (readonly [string, Value])[], where: Placement = {}, parsed = parseForEdit(text)): TextEdit | undefined {
  if (!parsed || entries.length === 0) return undefined;
  const map = nodeAt(parsed, path);
  if (!isMap(map)) return undefined;
  const items = map.items as Pair<YamlNode, YamlNode>[];
  const fresh = entries.filter(([k]) => !items.some((p) => keyName(p) === k));
  if (fresh.length === 0) return undefined;
  const { json, eol } = parsed;
  const kv = fresh.map(([k, v]) => `${renderKey(k, json)}: ${renderValue(v, json)}`);
  const after = where.after !== undefined ? items.find((p) => keyName(p) === where.after) : undefined;
  const before = where.before !== undefined && !after ? items.find((p) => keyName(p) === where.before) : undefined;

  if (map.flow) {
    if (items.length === 0) {
      const open = map.range ? text.indexOf('{', map.range[0]) : -1;
      if (open < 0) return undefined;
      return { range: { start: open + 1, end: open + 1 }, newText: ` ${kv.join(', ')} ` };
    }
    if (before) {
      const at = before.key && (before.key as YamlNode).range ? (before.key as YamlNode).range![0] : -1;
      if (at < 0) return undefined;
      const lead = text.slice(lineStart(text, at), at);
      // One key per line (pretty JSON): the new keys get their own lines.
      if (lead.trim() === '' && lineStart(text, at) > (map.range?.[0] ?? 0)) return { range: { start: at, end: at }, newText: kv.map((e) => `${e},${eol}${lead}`).join('') };
      return { range: { start: at, end: at }, newText: kv.map((e) => `${e}, `).join('') };
    }
    const anchor = after ?? items[items.length - 1];
    const end = pairEnd(anchor);
    const keyStart = (anchor.key as YamlNode)?.range?.[0] ?? end;
    // A flow map laid out one key per line (pretty JSON) gets one new line per key, at the same indentation.
    const multiline = lineStart(text, keyStart) !== lineStart(text, map.range?.[0] ?? keyStart) && text.slice(lineStart(text, keyStart), keyStart).trim() === '';
    if (multiline) {
      const indent = text.slice(lineStart(text, keyStart), keyStart);
      return { range: { start: end, end }, newText: kv.map((e) => `,${eol}${indent}${e}`).join('') };
    }
    return { range: { start: end, end }, newText: kv.map((e) => `, ${e}`).join('') };
  }

  // Block style: one line per key, at the indentation of the map's keys.
  const firstKey = (items[0]?.key as YamlNode | undefined)?.range?.[0];
  if (firstKey === undefined) return undefined;
  const indent = text.slice(lineStart(text, firstKey), firstKey);
  if (!/^[ ]*$/.test(indent)) {
    // The first key shares its line with a list dash (`- id: x`): the other keys sit under it.
    const dash = /^([ ]*)-([ ]+)/.exec(indent);
    if (!dash) return undefined;
    return blockInsert(text, items, after, before, ' '.repeat(indent.length), kv, eol);
  }
  return blockInsert(text, items, after, before, indent, kv, eol);
}

function blockInsert(
  text: string, items: Pair<YamlNode, YamlNode>[], after: Pair<YamlNode, YamlNode> | undefined, before: Pair<YamlNode, YamlNode> | undefined,
  indent: string, kv: string[], eol: string,
): TextEdit | undefined {
  if (before) {
    const keyStart = (before.key as YamlNode).range?.[0];
    if (keyStart === undefined) return undefined;
    const start = lineStart(text, keyStart);
    // Only when the key starts its line: `- before: x` would need the new key after the dash instead.
    if (text.slice(start, keyStart).trim() === '') return { range: { start, end: start }, newText: kv.map((e) => `${indent}${e}${eol}`).join('') };
  }
  const anchor = after ?? items[items.length - 1];
  const at = lineEnd(text, lastContent(text, pairEnd(anchor)));
  return { range: { start: at, end: at }, newText: kv.map((e) => `${eol}${indent}${e}`).join('') };
}

/** Sets `key` in the map at `path` to `value`, replacing what it holds, or inserts it. */
export function setValue(text: string, path: Path, key: string, value: Value, where: Placement = {}, parsed = parseForEdit(text)): TextEdit | undefined {
  if (!parsed) return undefined;
  const map = nodeAt(parsed, path);
  if (!isMap(map)) return undefined;
  const pair = (map.items as Pair<YamlNode, YamlNode>[]).find((p) => keyName(p) === key);
  if (!pair) return insertKeys(text, path, [[key, value]], where, parsed);
  const keyEnd = (pair.key as YamlNode)?.range?.[1];
  if (keyEnd === undefined) return undefined;
  const colon = text.indexOf(':', keyEnd);
  if (colon < 0) return undefined;
  // A block value's range can run into the next line: stop at its last character.
  const end = Math.max(colon + 1, lastContent(text, pairEnd(pair)) + 1);
  return { range: { start: keyEnd, end }, newText: `: ${renderValue(value, parsed.json)}` };
}

/** Appends `items` to the list at `path`. */
export function appendItems(text: string, path: Path, items: readonly Value[], parsed = parseForEdit(text)): TextEdit | undefined {
  if (!parsed || items.length === 0) return undefined;
  const seq = nodeAt(parsed, path);
  if (!isSeq(seq)) return undefined;
  const rendered = items.map((v) => renderValue(v, parsed.json));
  const existing = seq.items as AnyNode[];
  if (seq.flow) {
    if (existing.length === 0) {
      const open = seq.range ? text.indexOf('[', seq.range[0]) : -1;
      if (open < 0) return undefined;
      return { range: { start: open + 1, end: open + 1 }, newText: rendered.join(', ') };
    }
    const end = endOf(existing[existing.length - 1], -1);
    if (end < 0) return undefined;
    return { range: { start: end, end }, newText: rendered.map((r) => `, ${r}`).join('') };
  }
  const first = existing[0]?.range?.[0];
  const last = existing[existing.length - 1];
  if (first === undefined || !last?.range) return undefined;
  const dash = /^([ ]*)-[ ]+$/.exec(text.slice(lineStart(text, first), first));
  if (!dash) return undefined;
  const at = lineEnd(text, lastContent(text, last.range[1]));
  return { range: { start: at, end: at }, newText: rendered.map((r) => `${parsed.eol}${dash[1]}- ${r}`).join('') };
}

/** The string items of the lists at `path`, where `'*'` stands for every item of a list on the way. */
export function stringItemsAt(text: string, path: Path, parsed = parseForEdit(text)): { value: string; range: Range }[] {
  if (!parsed) return [];
  const out: { value: string; range: Range }[] = [];
  const walk = (node: AnyNode, rest: Path): void => {
    if (rest.length === 0) {
      if (!isSeq(node)) return;
      for (const item of node.items as AnyNode[]) {
        if (isScalar(item) && typeof item.value === 'string' && item.range) out.push({ value: item.value, range: { start: item.range[0], end: item.range[1] } });
      }
      return;
    }
    const [step, ...tail] = rest;
    if (step === '*' && isSeq(node)) for (const item of node.items as AnyNode[]) walk(item, tail);
    else if (isMap(node)) walk((node.items as Pair<YamlNode, YamlNode>[]).find((p) => keyName(p) === String(step))?.value, tail);
    else if (isSeq(node) && typeof step === 'number') walk(node.items[step] as AnyNode, tail);
  };
  walk(parsed.doc.contents as AnyNode, path);
  return out;
}

/** A scalar string at `path` with its range (such as `defaults.on_error`). */
export function stringAt(text: string, path: Path, parsed = parseForEdit(text)): { value: string; range: Range } | undefined {
  if (!parsed) return undefined;
  const node = nodeAt(parsed, path);
  return isScalar(node) && typeof node.value === 'string' && node.range ? { value: node.value, range: { start: node.range[0], end: node.range[1] } } : undefined;
}

/** Whether `name` written without quotes stays the string `name` (not a number, boolean or null). */
export function isPlainString(name: string): boolean {
  try {
    const doc = parseDocument(`k: ${name}`);
    const v = (doc.contents as YAMLMapLike | null)?.items?.[0]?.value;
    return doc.errors.length === 0 && isScalar(v) && v.value === name;
  } catch {
    return false;
  }
}

type YAMLMapLike = { items?: { value?: unknown }[] };

/** Applies non-overlapping edits to a text (for checking a fix before offering it, and in tests). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.range.start - a.range.start || b.range.end - a.range.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.range.start) + e.newText + out.slice(e.range.end);
  return out;
}
