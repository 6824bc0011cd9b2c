// Small, lenient helpers over lezer's JavaScript/TypeScript syntax tree. Every function accepts what a broken
// file gives (missing children, error nodes) and answers undefined rather than throwing.
import type { SyntaxNode } from '@lezer/common';

export type Node = SyntaxNode;

export class Src {
  constructor(readonly text: string) {}
  of(n: Node | null | undefined): string {
    return n ? this.text.slice(n.from, n.to) : '';
  }
}

/** The children of a node, comments left out (a comment may sit anywhere in a chain: `x\n  // why\n  .addEdge()`). */
export function children(n: Node | null | undefined): Node[] {
  const out: Node[] = [];
  for (let c = n?.firstChild; c; c = c.nextSibling) if (c.name !== 'LineComment' && c.name !== 'BlockComment') out.push(c);
  return out;
}

const PUNCT = new Set(['(', ')', '[', ']', '{', '}', ',', ':', ';', '.', '?.', 'Equals', '⚠', 'LineComment', 'BlockComment', 'Arrow']);

/** Expression children: punctuation, keywords and comments left out. */
export function exprChildren(n: Node | null | undefined): Node[] {
  return children(n).filter((c) => !PUNCT.has(c.name) && !/^[a-z]+$/.test(c.name));
}

/** Nodes that start a function of their own: what is inside is not the enclosing function's code. */
export const FUNCTION_NODES: ReadonlySet<string> = new Set([
  'FunctionDeclaration', 'FunctionExpression', 'ArrowFunction', 'MethodDeclaration', 'ClassDeclaration', 'ClassExpression',
]);

export function isFunction(n: Node | null | undefined): boolean {
  return !!n && (n.name === 'FunctionDeclaration' || n.name === 'FunctionExpression' || n.name === 'ArrowFunction' || n.name === 'MethodDeclaration');
}

/** Peels what does not change a value: parentheses, `x as T`, `x satisfies T`, `x!`, `<T>x`. */
export function unwrap(n: Node | null | undefined, src: Src, depth = 0): Node | undefined {
  if (!n || depth > 8) return n ?? undefined;
  if (n.name === 'ParenthesizedExpression') {
    const inner = exprChildren(n);
    return inner.length === 1 ? unwrap(inner[0], src, depth + 1) : n;
  }
  if (n.name === 'BinaryExpression') {
    const kids = children(n);
    if (kids[1] && (kids[1].name === 'as' || kids[1].name === 'satisfies')) return unwrap(kids[0], src, depth + 1);
  }
  if (n.name === 'PostfixExpression' && src.of(n.lastChild) === '!') return n.firstChild ? unwrap(n.firstChild, src, depth + 1) : n;
  if (n.name === 'PrefixCast') return n.lastChild ? unwrap(n.lastChild, src, depth + 1) : n;
  return n;
}

export interface Args {
  readonly positional: Node[];
  /** A `...spread` argument: what it passes cannot be known. */
  readonly spread: boolean;
}

/** A call's (or `new`'s) arguments in order. */
export function argsOf(call: Node | null | undefined, src: Src): Args {
  const list = call?.getChild('ArgList');
  const positional: Node[] = [];
  let spread = false;
  const kids = children(list);
  for (let i = 0; i < kids.length; i++) {
    const c = kids[i];
    if (PUNCT.has(c.name)) continue;
    if (c.name === 'Spread') {
      spread = true;
      i++;
      continue;
    }
    positional.push(unwrap(c, src) ?? c);
  }
  return { positional, spread };
}

/** What a call or `new` calls: `f` of `f(x)`, `f<T>(x)`, `new F(x)`. */
export function calleeOf(n: Node | null | undefined): Node | undefined {
  if (!n) return undefined;
  if (n.name === 'CallExpression') {
    const c = n.firstChild;
    if (c?.name === 'InstantiationExpression') return c.firstChild ?? undefined;
    return c ?? undefined;
  }
  if (n.name === 'NewExpression') {
    const c = children(n).find((k) => k.name !== 'new');
    if (c?.name === 'InstantiationExpression') return c.firstChild ?? undefined;
    return c;
  }
  return undefined;
}

export function isCall(n: Node | null | undefined): boolean {
  return !!n && (n.name === 'CallExpression' || n.name === 'NewExpression');
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '`': '`', '\n': '', '0': '\0' };

/** The value of a plain string literal (a template without `${}` included); undefined otherwise. */
export function stringValue(n: Node | null | undefined, src: Src): string | undefined {
  const u = unwrap(n, src);
  if (!u) return undefined;
  if (u.name === 'String') {
    const raw = src.of(u);
    if (raw.length < 2) return undefined;
    return raw.slice(1, -1).replace(/\\(.)/gs, (_, c: string) => ESCAPES[c] ?? c);
  }
  if (u.name === 'TemplateString') {
    if (u.getChild('Interpolation')) return undefined;
    const raw = src.of(u);
    return raw.length < 2 ? undefined : raw.slice(1, -1).replace(/\\(.)/gs, (_, c: string) => ESCAPES[c] ?? c);
  }
  if (u.name === 'BinaryExpression') {
    // "a" + "b"
    const kids = children(u);
    if (kids.length === 3 && src.of(kids[1]) === '+') {
      const a = stringValue(kids[0], src);
      const b = stringValue(kids[2], src);
      return a !== undefined && b !== undefined ? a + b : undefined;
    }
  }
  return undefined;
}

export function numberValue(n: Node | null | undefined, src: Src): number | undefined {
  const u = unwrap(n, src);
  if (!u) return undefined;
  if (u.name === 'Number') {
    const v = Number(src.of(u).replace(/_/g, '').replace(/n$/, ''));
    return Number.isFinite(v) ? v : undefined;
  }
  if (u.name === 'UnaryExpression') {
    const kids = children(u);
    if (src.of(kids[0]) === '-') {
      const v = numberValue(kids[1], src);
      return v === undefined ? undefined : -v;
    }
  }
  if (u.name === 'BinaryExpression') {
    // 30 * 1000, 60_000 / 2: the arithmetic of literal numbers
    const kids = children(u);
    if (kids.length === 3 && kids[1].name === 'ArithOp') {
      const a = numberValue(kids[0], src);
      const b = numberValue(kids[2], src);
      if (a === undefined || b === undefined) return undefined;
      switch (src.of(kids[1])) {
        case '*': return a * b;
        case '+': return a + b;
        case '-': return a - b;
        case '/': return b === 0 ? undefined : a / b;
      }
    }
  }
  return undefined;
}

export function booleanValue(n: Node | null | undefined, src: Src): boolean | undefined {
  const u = unwrap(n, src);
  if (u?.name === 'BooleanLiteral') return src.of(u) === 'true';
  return undefined;
}

/** The dotted name of `a`, `a.b.c` (`a?.b` too); undefined for anything else. */
export function dottedName(n: Node | null | undefined, src: Src): string | undefined {
  const u = unwrap(n, src);
  if (!u) return undefined;
  if (u.name === 'VariableName' || u.name === 'this') return src.of(u);
  if (u.name === 'MemberExpression') {
    const kids = children(u);
    if (kids[1]?.name !== '.' && kids[1]?.name !== '?.') return undefined;
    const base = dottedName(kids[0], src);
    const prop = kids.find((k) => k.name === 'PropertyName' || k.name === 'PrivatePropertyName');
    return base && prop ? `${base}.${src.of(prop)}` : undefined;
  }
  return undefined;
}

/** For `a.b(...)`: the receiver `a` and the method name `b`. */
export function methodCall(call: Node | null | undefined, src: Src): { receiver: Node; method: string } | undefined {
  if (call?.name !== 'CallExpression') return undefined;
  const callee = calleeOf(call);
  if (callee?.name !== 'MemberExpression') return undefined;
  const kids = children(callee);
  if (kids[1]?.name !== '.' && kids[1]?.name !== '?.') return undefined;
  const prop = kids.find((k) => k.name === 'PropertyName');
  return prop ? { receiver: kids[0], method: src.of(prop) } : undefined;
}

/** `x[...]`: the object and the index expression. */
export function subscript(n: Node | null | undefined): { object: Node; index: Node } | undefined {
  if (n?.name !== 'MemberExpression') return undefined;
  const kids = children(n);
  const open = kids.findIndex((k) => k.name === '[');
  if (open !== 1 || !kids[2] || kids[2].name === ']') return undefined;
  return { object: kids[0], index: kids[2] };
}

/** `x.name` / `x?.name`: the object and the property node. */
export function property(n: Node | null | undefined): { object: Node; prop: Node } | undefined {
  if (n?.name !== 'MemberExpression') return undefined;
  const kids = children(n);
  if (kids[1]?.name !== '.' && kids[1]?.name !== '?.') return undefined;
  const prop = kids.find((k) => k.name === 'PropertyName');
  return prop ? { object: kids[0], prop } : undefined;
}

/** The items of an array literal; undefined when it is not one. */
export function arrayItems(n: Node | null | undefined, src: Src): { items: Node[]; spread: boolean } | undefined {
  const u = unwrap(n, src);
  if (u?.name !== 'ArrayExpression') return undefined;
  const items: Node[] = [];
  let spread = false;
  const kids = children(u);
  for (let i = 0; i < kids.length; i++) {
    const c = kids[i];
    if (PUNCT.has(c.name)) continue;
    if (c.name === 'Spread') {
      spread = true;
      i++;
      continue;
    }
    items.push(unwrap(c, src) ?? c);
  }
  return { items, spread };
}

export interface Entry {
  /** The key as written: an identifier, a string, a number; undefined for a computed key. */
  readonly key?: string;
  readonly keyNode: Node;
  /** The value; for a shorthand `{ a }` the key node itself (a name), for a method its declaration. */
  readonly value: Node;
  readonly shorthand: boolean;
  readonly method: boolean;
  /** `[expr]: value`: the expression. */
  readonly computed?: Node;
}

/** The entries of an object literal; undefined when it is not one. `...spread` entries are left out and flagged. */
export function objectEntries(n: Node | null | undefined, src: Src): { entries: Entry[]; spread: boolean } | undefined {
  const u = unwrap(n, src);
  if (u?.name !== 'ObjectExpression') return undefined;
  const entries: Entry[] = [];
  let spread = false;
  for (const p of children(u)) {
    if (p.name !== 'Property') continue;
    const kids = children(p).filter((k) => k.name !== 'LineComment' && k.name !== 'BlockComment');
    if (kids[0]?.name === 'Spread') {
      spread = true;
      continue;
    }
    // Modifiers before a method: async, get, set, *
    let i = 0;
    while (kids[i] && (kids[i].name === 'async' || kids[i].name === 'get' || kids[i].name === 'set' || kids[i].name === 'Star')) i++;
    const k = kids[i];
    if (!k) continue;
    let key: string | undefined;
    let computed: Node | undefined;
    let keyEnd = i;
    if (k.name === '[') {
      computed = kids[i + 1];
      keyEnd = kids.findIndex((x, j) => j > i && x.name === ']');
      if (keyEnd < 0) continue;
    } else if (k.name === 'PropertyDefinition' || k.name === 'PropertyName') key = src.of(k);
    else if (k.name === 'String') key = stringValue(k, src);
    else if (k.name === 'Number') key = String(numberValue(k, src));
    else continue;
    const rest = kids.slice(keyEnd + 1);
    if (rest.length === 0) {
      entries.push({ key, keyNode: k, value: k, shorthand: true, method: false });
      continue;
    }
    if (rest[0].name === ':') {
      const v = rest[1];
      if (v) entries.push({ key, keyNode: computed ?? k, value: unwrap(v, src) ?? v, shorthand: false, method: false, computed });
      continue;
    }
    if (rest.some((x) => x.name === 'ParamList')) entries.push({ key, keyNode: computed ?? k, value: p, shorthand: false, method: true, computed });
  }
  return { entries, spread };
}

/** The entry of an object literal with this key. */
export function entryOf(n: Node | null | undefined, key: string, src: Src): Entry | undefined {
  return objectEntries(n, src)?.entries.find((e) => e.key === key);
}

/** Every descendant of `n` with one of these names, not descending into nested functions or classes. */
export function descendants(n: Node, names: ReadonlySet<string>, out: Node[] = []): Node[] {
  for (let c = n.firstChild; c; c = c.nextSibling) {
    if (names.has(c.name)) out.push(c);
    if (!FUNCTION_NODES.has(c.name)) descendants(c, names, out);
  }
  return out;
}

/** Every descendant, nested functions included. */
export function allDescendants(n: Node, names: ReadonlySet<string>, out: Node[] = []): Node[] {
  for (let c = n.firstChild; c; c = c.nextSibling) {
    if (names.has(c.name)) out.push(c);
    allDescendants(c, names, out);
  }
  return out;
}
