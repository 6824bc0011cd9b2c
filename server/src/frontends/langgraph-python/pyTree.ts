// Small, lenient helpers over lezer's Python syntax tree. Every function accepts what a broken file gives
// (missing children, error nodes) and answers undefined rather than throwing.
import type { SyntaxNode } from '@lezer/common';

export type Node = SyntaxNode;

export class Src {
  constructor(readonly text: string) {}
  of(n: Node | null | undefined): string {
    return n ? this.text.slice(n.from, n.to) : '';
  }
}

/** The named children of a node (punctuation and keywords included; callers filter by name). */
export function children(n: Node | null | undefined): Node[] {
  const out: Node[] = [];
  for (let c = n?.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

const PUNCT = new Set(['(', ')', '[', ']', '{', '}', ',', ':', '.', '=', 'AssignOp', '⚠', 'Comment']);

/** Expression children: punctuation, keywords and comments left out. */
export function exprChildren(n: Node | null | undefined): Node[] {
  return children(n).filter((c) => !PUNCT.has(c.name) && !/^[a-z]+$/.test(c.name));
}

export interface Args {
  readonly positional: Node[];
  readonly keywords: Map<string, Node>;
  /** A `*args` or `**kwargs` spread: what it passes cannot be known. */
  readonly spread: boolean;
}

/** A call's arguments: positional ones in order, keyword ones by name. */
export function argsOf(call: Node, src: Src): Args {
  const list = call.getChild('ArgList');
  const positional: Node[] = [];
  const keywords = new Map<string, Node>();
  let spread = false;
  const kids = children(list);
  for (let i = 0; i < kids.length; i++) {
    const c = kids[i];
    if (c.name === '(' || c.name === ')' || c.name === ',' || c.name === '⚠' || c.name === 'Comment') continue;
    if (c.name === '*' || c.name === '**') {
      spread = true;
      i++;
      continue;
    }
    if (c.name === 'VariableName' && kids[i + 1]?.name === 'AssignOp') {
      const value = kids[i + 2];
      if (value) keywords.set(src.of(c), value);
      i += 2;
      continue;
    }
    positional.push(c);
  }
  return { positional, keywords, spread };
}

/** The value of a plain string literal (no f-string, no concatenation of non-literals); undefined otherwise. */
export function stringValue(n: Node | null | undefined, src: Src): string | undefined {
  if (!n) return undefined;
  if (n.name === 'ParenthesizedExpression') return stringValue(exprChildren(n)[0], src);
  if (n.name === 'ContinuedString') {
    const parts = exprChildren(n).map((c) => stringValue(c, src));
    return parts.every((p) => p !== undefined) ? parts.join('') : undefined;
  }
  if (n.name !== 'String') return undefined;
  const raw = src.of(n);
  const m = /^([rRuUbB]{0,2})('''|"""|'|")([\s\S]*)\2$/.exec(raw);
  if (!m) return undefined;
  const body = m[3];
  if (/[rR]/.test(m[1])) return body;
  return body.replace(/\\(n|t|r|\\|'|"|\n)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '\n': '' })[c] ?? c);
}

export function numberValue(n: Node | null | undefined, src: Src): number | undefined {
  if (!n) return undefined;
  if (n.name === 'Number') {
    const v = Number(src.of(n).replace(/_/g, ''));
    return Number.isFinite(v) ? v : undefined;
  }
  if (n.name === 'UnaryExpression') {
    const kids = children(n);
    if (src.of(kids[0]) === '-') {
      const v = numberValue(kids[1], src);
      return v === undefined ? undefined : -v;
    }
  }
  return undefined;
}

/** The dotted name of `a`, `a.b.c`; undefined for anything else. */
export function dottedName(n: Node | null | undefined, src: Src): string | undefined {
  if (!n) return undefined;
  if (n.name === 'VariableName') return src.of(n);
  if (n.name === 'MemberExpression') {
    const kids = children(n);
    if (kids[1]?.name !== '.') return undefined;
    const base = dottedName(kids[0], src);
    const prop = kids.find((k) => k.name === 'PropertyName');
    return base && prop ? `${base}.${src.of(prop)}` : undefined;
  }
  return undefined;
}

/** For `a.b(...)`: the receiver `a` and the method name `b`. */
export function methodCall(call: Node, src: Src): { receiver: Node; method: string } | undefined {
  const callee = call.firstChild;
  if (callee?.name !== 'MemberExpression') return undefined;
  const kids = children(callee);
  if (kids[1]?.name !== '.') return undefined;
  const prop = kids.find((k) => k.name === 'PropertyName');
  return prop ? { receiver: kids[0], method: src.of(prop) } : undefined;
}

/** `x[...]` subscripts: the object and the index expressions. */
export function subscript(n: Node, _src: Src): { object: Node; index: Node[] } | undefined {
  if (n.name !== 'MemberExpression') return undefined;
  const kids = children(n);
  if (kids[1]?.name !== '[') return undefined;
  return { object: kids[0], index: kids.slice(2).filter((k) => k.name !== ']' && k.name !== ',') };
}

/** The items of a list, tuple or set literal. */
export function sequenceItems(n: Node | null | undefined): Node[] | undefined {
  if (!n) return undefined;
  if (n.name === 'ArrayExpression' || n.name === 'TupleExpression' || n.name === 'SetExpression') return exprChildren(n);
  if (n.name === 'ParenthesizedExpression') {
    const inner = exprChildren(n);
    return inner.length === 1 ? sequenceItems(inner[0]) : undefined;
  }
  return undefined;
}

/** The entries of a dict literal; undefined when it is not one. `**spread` entries are left out and flagged. */
export function dictEntries(n: Node | null | undefined): { entries: { key: Node; value: Node }[]; spread: boolean } | undefined {
  if (n?.name !== 'DictionaryExpression') return undefined;
  const kids = children(n).filter((c) => c.name !== '{' && c.name !== '}' && c.name !== ',' && c.name !== 'Comment');
  const entries: { key: Node; value: Node }[] = [];
  let spread = false;
  for (let i = 0; i < kids.length; i++) {
    if (kids[i].name === '**') {
      spread = true;
      i++;
      continue;
    }
    if (kids[i + 1]?.name === ':' && kids[i + 2]) {
      entries.push({ key: kids[i], value: kids[i + 2] });
      i += 2;
    }
  }
  return { entries, spread };
}

const DEFINITIONS = new Set(['FunctionDefinition', 'ClassDefinition', 'LambdaExpression', 'DecoratedStatement']);
const NONE: ReadonlySet<string> = new Set();

/**
 * Every descendant of `n` with one of these names, in source order, not descending into nested function, class
 * or lambda definitions (`intoDefinitions` descends into all). Walks with a tree cursor, iteratively: only the
 * nodes returned are materialised (the walk is the frontend's hottest loop), and no depth of nesting can
 * overflow the stack.
 */
export function descendants(n: Node, names: ReadonlySet<string>, out: Node[] = [], intoDefinitions = false): Node[] {
  const c = n.cursor();
  if (!c.firstChild()) return out;
  const skip = intoDefinitions ? NONE : DEFINITIONS;
  let depth = 1;
  for (;;) {
    const name = c.name;
    if (names.has(name)) out.push(c.node);
    if (!skip.has(name) && c.firstChild()) {
      depth++;
      continue;
    }
    while (!c.nextSibling()) {
      if (--depth === 0 || !c.parent()) return out;
    }
  }
}
