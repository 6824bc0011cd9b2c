// Edits to LangGraph JS/TS source that the quick fixes offer, found on the syntax tree rather than by text
// search: a chained `.addNode("a", fn).addNode("b", fn)` is one long call expression, and only the tree says
// which argument list belongs to which node. Nothing here throws: a place it cannot edit safely gives undefined.
import type { Range } from '../../core/ir.ts';
import { parserFor } from './index.ts';
import { children, methodCall, objectEntries, unwrap, Src, type Node } from './jsTree.ts';

export interface JsEdit {
  readonly range: Range;
  readonly newText: string;
}

const RETRY = 'retryPolicy: { maxAttempts: 3 }';
const SKIP = new Set([',', 'LineComment', 'BlockComment']);

/**
 * The edits that give the node whose name is written at `idRange` the option `retryPolicy: { maxAttempts: 3 }`:
 * a third argument `{ retryPolicy: ... }` for `addNode("a", fn)` (and for a tuple `["a", fn]` of
 * `addNode([...])`/`addSequence([...])`), or the property added to the options object written there. None for
 * the object form `addNode({ a: fn })` (it takes no options), for options that are not an object literal
 * written there (a shared variable: editing it would change other nodes), for options with a `...spread` (it may
 * hold a retry policy already) and for options that already name `retryPolicy`.
 */
export function jsRetryEdits(text: string, uri: string, idRange: Range): JsEdit[] | undefined {
  const body = text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
  const src = new Src(body);
  const tree = parserFor(uri).parse(body);
  // From the name's innermost node up to the argument (or tuple item) that holds it.
  let arg: Node | null = tree.resolveInner(idRange.start, 1);
  while (arg?.parent && arg.parent.name !== 'ArgList' && arg.parent.name !== 'ArrayExpression') arg = arg.parent;
  const list = arg?.parent;
  // The argument is the name itself (through parentheses or `as`), not an expression that holds it.
  const name = unwrap(arg, src);
  if (!arg || !list || name?.from !== idRange.start || name.to !== idRange.end) return undefined;
  if (list.name === 'ArgList') {
    if (methodCall(list.parent, src)?.method !== 'addNode') return undefined;
  } else {
    // A tuple: its array is the one argument of addNode / addSequence.
    const outer = list.parent;
    if (outer?.name !== 'ArrayExpression' || outer.parent?.name !== 'ArgList') return undefined;
    const m = methodCall(outer.parent.parent, src)?.method;
    if (m !== 'addNode' && m !== 'addSequence') return undefined;
  }
  const kids = children(list).filter((c) => !SKIP.has(c.name));
  const items = kids.slice(1, -1); // between the brackets
  const brackets = `${kids[0]?.name}${kids[kids.length - 1]?.name}`;
  if (kids.length < 2 || (brackets !== '()' && brackets !== '[]') || items.some((c) => c.name === 'Spread' || c.type.isError) || items[0]?.from !== arg.from) return undefined;
  if (items.length === 2) {
    // A third argument, on a line of its own when the arguments are.
    const [first, second] = items;
    const between = body.slice(first.to, second.from);
    const newText = between.includes('\n') ? `,\n${indentOf(body, second.from)}{ ${RETRY} }` : `, { ${RETRY} }`;
    return [{ range: { start: second.to, end: second.to }, newText }];
  }
  if (items.length !== 3) return undefined;
  return addProperty(body, src, items[2]);
}

/** `retryPolicy` added to the object literal `opts`, in its style: one line, or one property per line. */
function addProperty(body: string, src: Src, opts: Node): JsEdit[] | undefined {
  const obj = unwrap(opts, src);
  const entries = objectEntries(obj, src);
  if (!obj || !entries || entries.spread || entries.entries.some((e) => e.key === 'retryPolicy' || e.computed)) return undefined;
  const kids = children(obj);
  const open = kids[0];
  const close = kids[kids.length - 1];
  if (open?.name !== '{' || close?.name !== '}') return undefined;
  const props = kids.filter((k) => k.name === 'Property');
  if (props.length === 0) {
    const inner = body.slice(open.to, close.from);
    if (inner.trim() !== '') return undefined; // a comment alone in it: left as written
    return [{ range: { start: open.to, end: close.from }, newText: ` ${RETRY} ` }];
  }
  const last = props[props.length - 1];
  const after = kids.slice(kids.indexOf(last) + 1);
  const comma = after.find((k) => k.name === ',');
  const multiline = body.slice(open.to, props[0].from).includes('\n');
  const closeOnOwnLine = /\n[ \t]*$/.test(body.slice(open.to, close.from));
  if (multiline && closeOnOwnLine) {
    // A line of its own before the closing brace, with a trailing comma when the object has one.
    const lineStart = body.lastIndexOf('\n', close.from - 1) + 1;
    const own: JsEdit = { range: { start: lineStart, end: lineStart }, newText: `${indentOf(body, last.from)}${RETRY}${comma ? ',' : ''}\n` };
    return comma ? [own] : [{ range: { start: last.to, end: last.to }, newText: ',' }, own];
  }
  if (comma) return [{ range: { start: comma.to, end: comma.to }, newText: ` ${RETRY},` }];
  return [{ range: { start: last.to, end: last.to }, newText: multiline ? `,\n${indentOf(body, last.from)}${RETRY}` : `, ${RETRY}` }];
}

/** The whitespace that starts the line holding `at`. */
function indentOf(text: string, at: number): string {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}
