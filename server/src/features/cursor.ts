// Where the cursor is in an agent graph document, read from the text alone, so that completion works while the
// document is incomplete (the YAML may be invalid right at the cursor). The lines before the cursor are read
// by their indentation (block maps and lists) and their brackets (flow maps and lists, and JSON, which is all
// flow); the result is the path of keys to the map the cursor is in, and whether it is at a key or a value.
import type { Range } from '../core/ir.ts';

interface Frame {
  /** Block frames: the column of the key (or dash) that opened it; -1 for the document root and flow frames. */
  readonly indent: number;
  /** The key whose value this map or list is (`-` for a list item); undefined for the root. */
  readonly owner: string | undefined;
  type: 'map' | 'seq';
  /** Keys seen in this map so far, with their scalar value when it was written inline. */
  readonly keys: Map<string, string | undefined>;
  /** Flow maps: the key whose value is being read once its `:` was passed, and the last token read. */
  key?: string;
  afterColon?: boolean;
  token?: string;
}

type Where =
  | { readonly where: 'key' }
  | { readonly where: 'value'; readonly key: string; readonly inList: boolean }
  /** A block list item (`- |`): a value of the list's key, or the first key of a map item; the schema decides. */
  | { readonly where: 'item'; readonly key: string };

export type CursorContext = Where & {
  /** Keys from the root to the map the cursor is in (for a value in a list: to the map that holds the list's key); `-` for list items. */
  readonly path: readonly string[];
  /** What was typed of the key or value so far, and the range a completion replaces. */
  readonly prefix: string;
  readonly range: Range;
  /** The cursor is inside a quoted string (the range is inside the quotes). */
  readonly inQuotes: boolean;
  /** The document is JSON (flow maps with quoted keys): new keys and values need quotes. */
  readonly json: boolean;
  /** Keys already present (before the cursor) in the map at `path`, with their inline scalar values. */
  readonly siblings: ReadonlyMap<string, string | undefined>;
};

const WORD = /[A-Za-z0-9_.\/?-]/;
const KEY_LINE = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#:{}\[\],"'-][^#:]*?|-[^\s#:{}\[\],][^#:]*?)\s*:(?=\s|$)/;

/** Reads the context at `offset`; undefined inside a comment, a block scalar, or where nothing can be completed. */
export function cursorContext(text: string, offset: number): CursorContext | undefined {
  const json = /^\s*\{\s*"/.test(text.slice(0, 200));
  const block: Frame[] = [{ indent: -1, owner: undefined, type: 'map', keys: new Map() }];
  const flow: Frame[] = [];
  let scalarIndent = -1; // inside a block scalar (`|`, `>`): lines indented deeper than this are text
  const pathOf = (frames: readonly Frame[]) => frames.map((f) => f.owner).filter((o): o is string => o !== undefined);

  let restarted = false;
  const make = (where: Where, path: readonly string[], siblings: ReadonlyMap<string, string | undefined>, inQuotes: boolean): CursorContext => {
    const { prefix, range } = wordAt(text, offset, inQuotes);
    // Reading started below the top: the top-level keys above are found by their lines at column 0.
    if (restarted && where.where === 'key' && path.length === 0) siblings = new Map([...rootKeys(text, offset)].map((k) => [k, undefined]));
    return { ...where, path, siblings, prefix, range, inQuotes, json };
  };

  const flowContext = (inQuotes: boolean): CursorContext => {
    const top = flow[flow.length - 1];
    const all = [...block, ...flow];
    if (top.type === 'seq') return make({ where: 'value', key: top.owner ?? '', inList: true }, pathOf(all.slice(0, -1)), new Map(), inQuotes);
    if (top.afterColon) return make({ where: 'value', key: top.key ?? '', inList: false }, pathOf(all), top.keys, inQuotes);
    return make({ where: 'key' }, pathOf(all), top.keys, inQuotes);
  };

  /**
   * Reads flow text from `from` to `to` (absolute offsets) with the open flow frames; `owner` names the key whose
   * value the first collection opened here is. Returns the context once the cursor is reached, 'comment' when
   * the cursor is in a comment, undefined otherwise.
   */
  const scanFlow = (from: number, to: number, owner: string | undefined): CursorContext | 'comment' | undefined => {
    for (let i = from; i <= to; i++) {
      if (i === offset && flow.length > 0) return flowContext(false);
      if (i === to) break;
      const c = text[i];
      const top = flow[flow.length - 1];
      if (c === '"' || c === "'") {
        let j = i + 1;
        while (j < to && text[j] !== c && text[j] !== '\n') j += c === '"' && text[j] === '\\' ? 2 : 1;
        if (offset > i && offset <= j && j <= to) return top ? flowContext(true) : undefined;
        if (top) top.token = unquote(text.slice(i, j + 1));
        i = j;
        continue;
      }
      if (c === '#' && (i === from || /\s/.test(text[i - 1]))) {
        let nl = text.indexOf('\n', i);
        if (nl < 0 || nl > to) nl = to;
        if (offset > i && offset <= nl) return 'comment';
        i = nl - 1;
        continue;
      }
      if (c === '{' || c === '[') {
        const parent = flow[flow.length - 1];
        flow.push({ indent: -1, owner: parent ? (parent.type === 'map' ? parent.key : '-') : owner, type: c === '{' ? 'map' : 'seq', keys: new Map() });
        continue;
      }
      if (c === '}' || c === ']') {
        flow.pop();
        const parent = flow[flow.length - 1];
        if (parent) parent.token = undefined;
        continue;
      }
      if (!top) continue;
      if (c === ',') {
        if (top.type === 'map') {
          if (top.key !== undefined && top.afterColon) top.keys.set(top.key, top.token);
          else if (top.token !== undefined) top.keys.set(top.token, undefined);
          top.key = undefined;
          top.afterColon = false;
        }
        top.token = undefined;
        continue;
      }
      if (c === ':' && top.type === 'map' && !top.afterColon && (json || i + 1 >= to || /[\s,}\]]/.test(text[i + 1]))) {
        top.key = top.token ?? '';
        top.afterColon = true;
        top.token = undefined;
        continue;
      }
      if (/\s/.test(c)) continue;
      // A plain token: read it whole.
      let j = i;
      while (j + 1 < to && !/[,{}\[\]\n]/.test(text[j + 1]) && !(text[j + 1] === ':' && (j + 2 >= to || /[\s,}\]]/.test(text[j + 2]))) && !(text[j + 1] === '#' && /\s/.test(text[j]))) j++;
      if (offset > i && offset <= j + 1) return flowContext(false);
      top.token = text.slice(i, j + 1).trim();
      i = j;
    }
    return undefined;
  };

  let pos = 0;
  if (!json) {
    // Start at the nearest node or section above the cursor rather than at the top of a long file.
    const restart = restartPoint(text, offset);
    if (restart) {
      restarted = true;
      pos = restart.pos;
      if (restart.parent !== undefined) block.push({ indent: 0, owner: restart.parent, type: 'map', keys: new Map() });
    }
  }
  while (pos <= offset) {
    let eol = text.indexOf('\n', pos);
    if (eol < 0) eol = text.length;
    const atCursor = offset <= eol;
    const end = atCursor ? offset : eol;

    if (flow.length > 0) {
      // Inside a flow collection that spans lines.
      const r = scanFlow(pos, end, undefined);
      if (r === 'comment') return undefined;
      if (r || atCursor) return r;
      pos = eol + 1;
      continue;
    }

    let line = text.slice(pos, end);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const indent = line.length - line.trimStart().length;
    const content = line.trimStart();
    if (scalarIndent >= 0 && (content === '' || indent > scalarIndent)) {
      if (atCursor) return undefined;
      pos = eol + 1;
      continue;
    }
    scalarIndent = -1;
    if (content.startsWith('#')) {
      if (atCursor) return undefined;
      pos = eol + 1;
      continue;
    }
    if (!atCursor && (content === '' || content.startsWith('---') || content.startsWith('...'))) {
      pos = eol + 1;
      continue;
    }
    const isDash = /^-(\s|$)/.test(content);
    // Close the blocks this line is not inside. A list may sit at its key's own column (`key:\n- a`).
    while (block.length > 1) {
      const top = block[block.length - 1];
      if (top.indent < indent) break;
      if (top.indent === indent && isDash && top.owner !== '-' && top.keys.size === 0) break;
      block.pop();
    }
    let col = indent;
    let rest = content;
    let itemOf: Frame | undefined; // the list frame when this line starts a new item
    while (/^-(\s|$)/.test(rest)) {
      if (rest === '-' && atCursor) return undefined;
      const list = block[block.length - 1];
      list.type = 'seq';
      itemOf = list;
      const skip = 1 + rest.slice(1).match(/^\s*/)![0].length;
      col += skip;
      rest = rest.slice(skip);
      if (atCursor && rest === '') return make({ where: 'item', key: list.owner ?? '' }, pathOf(block.slice(0, -1)), new Map(), false);
      block.push({ indent: col - skip, owner: '-', type: 'map', keys: new Map() });
    }
    const parent = block[block.length - 1];
    const lineStart = pos + (line.length - content.length);
    const restStart = lineStart + (col - indent);

    if (rest.startsWith('{') || rest.startsWith('[')) {
      // A flow collection as the whole content: the JSON root, or a list item `- [a, b]`.
      let owner: string | undefined;
      if (itemOf) {
        block.pop();
        owner = '-';
      }
      const r = scanFlow(restStart, end, owner);
      if (r === 'comment') return undefined;
      if (r || atCursor) return r;
      pos = eol + 1;
      continue;
    }

    const keyMatch = KEY_LINE.exec(rest);
    if (!keyMatch) {
      if (!atCursor) {
        pos = eol + 1;
        continue;
      }
      // No colon yet: a key being typed, or the scalar of a list item.
      if (!/^["']?[A-Za-z0-9_.\/?-]*$/.test(rest)) return undefined;
      const inQuotes = /^["']/.test(rest);
      if (itemOf && parent.keys.size === 0) return make({ where: 'item', key: itemOf.owner ?? '' }, pathOf(block.slice(0, -2)), new Map(), inQuotes);
      return make({ where: 'key' }, pathOf(block), parent.keys, inQuotes);
    }
    const key = unquote(keyMatch[1].trim());
    const valueStart = restStart + keyMatch[0].length;
    const valueText = text.slice(valueStart, end).replace(/\r$/, '');
    const scalar = valueText.replace(/(^|\s)#.*$/, '').trim();
    parent.keys.set(key, scalar === '' || /^[{\[|>&*!]/.test(scalar) ? undefined : unquote(scalar));
    if (/^[|>]/.test(scalar)) scalarIndent = col;

    const flowAt = valueText.search(/\S/);
    if (flowAt >= 0 && (valueText[flowAt] === '{' || valueText[flowAt] === '[')) {
      const r = scanFlow(valueStart + flowAt, end, key);
      if (r === 'comment') return undefined;
      if (r || atCursor) return r;
      pos = eol + 1;
      continue;
    }
    if (atCursor) {
      if (/(^|\s)#/.test(valueText.replace(/"[^"]*"|'[^']*'/g, '""'))) return undefined;
      return make({ where: 'value', key, inList: false }, pathOf(block), parent.keys, /^\s*["']/.test(valueText));
    }
    if (scalar === '') block.push({ indent: col, owner: key, type: 'map', keys: new Map() });
    pos = eol + 1;
  }
  return undefined;
}

const ANCHOR = /^( {2})?([A-Za-z0-9_][A-Za-z0-9_-]*):[ \t]*(#.*)?\r?$/;
const SECTION = /^([A-Za-z0-9_][A-Za-z0-9_-]*):[ \t]*(#.*)?\r?$/;

/**
 * A line above the cursor where reading can start with a known path: a top-level key that opens a block
 * (`nodes:`), or a key of such a block at two spaces (`  review:`), with that block's key. Undefined when no
 * such line is found (reading starts at the top).
 */
function restartPoint(text: string, offset: number): { pos: number; parent?: string } | undefined {
  let end = text.lastIndexOf('\n', offset - 1); // the end of the line above the cursor's
  while (end > 0) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const m = ANCHOR.exec(text.slice(start, end));
    if (m) {
      if (!m[1]) return { pos: start };
      // A key at two spaces: its parent is the nearest line above at column 0, which must open a block.
      let e = start - 1;
      while (e > 0) {
        const s = text.lastIndexOf('\n', e - 1) + 1;
        const line = text.slice(s, e);
        if (line.trim() !== '' && !/^[ \t]/.test(line) && !line.startsWith('#')) {
          const parent = SECTION.exec(line);
          return parent ? { pos: start, parent: parent[1] } : undefined;
        }
        e = s - 1;
      }
      return undefined;
    }
    end = start - 1;
  }
  return undefined;
}

function rootKeys(text: string, offset: number): Set<string> {
  const keys = new Set<string>();
  for (const m of text.slice(0, offset).matchAll(/^([A-Za-z0-9_][A-Za-z0-9_-]*)[ \t]*:(?=\s|$)/gm)) keys.add(m[1]);
  return keys;
}

function unquote(s: string): string {
  if (s.length >= 2 && s.startsWith('"') && s.endsWith('"')) {
    try {
      return JSON.parse(s) as string;
    } catch {
      return s.slice(1, -1);
    }
  }
  if (s.length >= 2 && s.startsWith("'") && s.endsWith("'")) return s.slice(1, -1).replace(/''/g, "'");
  return s;
}

/** The word around the cursor: what was typed of it, and the range a completion replaces. */
function wordAt(text: string, offset: number, inQuotes: boolean): { prefix: string; range: Range } {
  const inside = inQuotes ? (c: string) => c !== '"' && c !== "'" && c !== '\n' : (c: string) => WORD.test(c);
  let s = offset;
  while (s > 0 && inside(text[s - 1])) s--;
  let e = offset;
  while (e < text.length && inside(text[e])) e++;
  return { prefix: text.slice(s, offset), range: { start: s, end: e } };
}
