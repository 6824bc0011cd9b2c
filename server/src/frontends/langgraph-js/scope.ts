// Names in a JavaScript/TypeScript module, read statically: imports (ES and `require`), `const`/`let`/`var`,
// functions, classes and enums, per function. Nothing is evaluated; a name resolves to the syntax that was
// bound to it (the last binding in its scope wins). Block scopes are folded into their function: close enough
// for the names a graph is built from.
import { children, FUNCTION_NODES, stringValue, dottedName, unwrap, calleeOf, argsOf, type Node, type Src } from './jsTree.ts';

export type Binding =
  | { readonly kind: 'value'; readonly node: Node; readonly target: Node }
  | { readonly kind: 'def'; readonly node: Node }
  | { readonly kind: 'class'; readonly node: Node }
  | { readonly kind: 'enum'; readonly node: Node }
  | { readonly kind: 'param'; readonly node: Node }
  /** `name` is the exported name (`default`, or `*` for a namespace import). */
  | { readonly kind: 'import'; readonly module: string; readonly name: string };

export class Scope {
  readonly names = new Map<string, Binding>();
  constructor(readonly node: Node, readonly parent?: Scope) {}

  lookup(name: string): Binding | undefined {
    return this.names.get(name) ?? this.parent?.lookup(name);
  }
}

const DECLS = new Set(['VariableDeclaration', 'FunctionDeclaration', 'ClassDeclaration', 'EnumDeclaration', 'ImportDeclaration']);

/** Binds the names a block (a module or a function body) declares into `scope`, not descending into nested functions. */
export function bindNames(block: Node, scope: Scope, src: Src): void {
  const walk = (n: Node) => {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (DECLS.has(c.name)) bindDeclaration(c, scope, src);
      if (c.name === 'FunctionDeclaration' || c.name === 'ClassDeclaration') continue;
      if (!FUNCTION_NODES.has(c.name)) walk(c);
    }
  };
  walk(block);
}

/** Binds a function's parameters (they shadow the module's names). */
export function bindParams(fn: Node, scope: Scope, src: Src): void {
  const params = fn.getChild('ParamList');
  const walk = (n: Node) => {
    for (let c = n.firstChild; c; c = c.nextSibling) {
      if (c.name === 'VariableDefinition') scope.names.set(src.of(c), { kind: 'param', node: c });
      else if (c.name !== 'TypeAnnotation' && !FUNCTION_NODES.has(c.name)) walk(c);
    }
  };
  if (params) walk(params);
  // `x => ...`: a single bare parameter
  if (!params && fn.name === 'ArrowFunction' && fn.firstChild?.name === 'VariableDefinition') scope.names.set(src.of(fn.firstChild), { kind: 'param', node: fn.firstChild });
}

function bindDeclaration(d: Node, scope: Scope, src: Src): void {
  switch (d.name) {
    case 'FunctionDeclaration':
    case 'ClassDeclaration':
    case 'EnumDeclaration': {
      const name = d.getChild('VariableDefinition') ?? d.getChild('TypeDefinition');
      if (name) scope.names.set(src.of(name), { kind: d.name === 'FunctionDeclaration' ? 'def' : d.name === 'ClassDeclaration' ? 'class' : 'enum', node: d });
      return;
    }
    case 'ImportDeclaration':
      bindImport(d, scope, src);
      return;
    case 'VariableDeclaration': {
      const kids = children(d);
      for (let i = 0; i < kids.length; i++) {
        const k = kids[i];
        if (k.name !== 'VariableDefinition' && k.name !== 'ObjectPattern') continue;
        // the value follows `=` (a type annotation may sit between)
        let j = i + 1;
        while (kids[j] && kids[j].name === 'TypeAnnotation') j++;
        const value = kids[j]?.name === 'Equals' ? kids[j + 1] : undefined;
        if (k.name === 'VariableDefinition') {
          if (value) scope.names.set(src.of(k), { kind: 'value', node: unwrap(value, src) ?? value, target: k });
        } else if (value) bindPattern(k, value, scope, src);
        i = value ? j + 1 : i;
      }
      return;
    }
  }
}

/** `const { StateGraph, END: E } = require("@langchain/langgraph")`, `const { a } = obj`. */
function bindPattern(pattern: Node, value: Node, scope: Scope, src: Src): void {
  const v = unwrap(value, src) ?? value;
  const req = requireOf(v, src);
  for (const p of children(pattern)) {
    if (p.name !== 'PatternProperty') continue;
    const kids = children(p);
    const local = kids.filter((k) => k.name === 'VariableDefinition').pop();
    const prop = kids.find((k) => k.name === 'PropertyName') ?? kids.find((k) => k.name === 'VariableDefinition');
    if (!local || !prop) continue;
    if (req !== undefined) scope.names.set(src.of(local), { kind: 'import', module: req, name: src.of(prop) });
  }
}

/** `require("x")`: the module. */
export function requireOf(n: Node | undefined, src: Src): string | undefined {
  if (n?.name !== 'CallExpression' || src.of(calleeOf(n)) !== 'require') return undefined;
  return stringValue(argsOf(n, src).positional[0], src);
}

function bindImport(d: Node, scope: Scope, src: Src): void {
  const kids = children(d);
  const module = stringValue(kids.find((k) => k.name === 'String'), src);
  if (module === undefined) return;
  if (kids.some((k) => k.name === 'type') && !kids.some((k) => k.name === 'ImportGroup')) return; // import type X
  for (let i = 0; i < kids.length; i++) {
    const k = kids[i];
    if (k.name === 'VariableDefinition') {
      // default import, or `* as ns`
      const star = kids[i - 2]?.name === 'Star' && kids[i - 1]?.name === 'as';
      scope.names.set(src.of(k), { kind: 'import', module, name: star ? '*' : 'default' });
    } else if (k.name === 'ImportGroup') {
      const g = children(k);
      for (let j = 0; j < g.length; j++) {
        const c = g[j];
        if (c.name === 'type') continue;
        if ((c.name === 'VariableName' || c.name === 'VariableDefinition' || c.name === 'String') && g[j + 1]?.name === 'as' && g[j + 2]) {
          const exported = c.name === 'String' ? stringValue(c, src) ?? src.of(c) : src.of(c);
          scope.names.set(src.of(g[j + 2]), { kind: 'import', module, name: exported });
          j += 2;
        } else if (c.name === 'VariableDefinition') scope.names.set(src.of(c), { kind: 'import', module, name: src.of(c) });
      }
    }
  }
}

/**
 * The qualified name a callee or value spells, through imports: `SG` from `import { StateGraph as SG } from
 * "@langchain/langgraph"` is `@langchain/langgraph:StateGraph`; `lg.StateGraph` with `import * as lg` the same;
 * a local name is its bare dotted name.
 */
export function qualified(n: Node | null | undefined, scope: Scope, src: Src): string | undefined {
  const dotted = dottedName(n, src);
  if (!dotted) return undefined;
  const [head, ...rest] = dotted.split('.');
  const b = scope.lookup(head);
  if (b?.kind === 'import') {
    if (b.name === '*' || b.name === 'default' && rest.length > 0 && !/^[A-Z]/.test(head)) return rest.length > 0 ? `${b.module}:${rest.join('.')}` : `${b.module}:*`;
    return [`${b.module}:${b.name}`, ...rest].join('.');
  }
  // `const lg = require("@langchain/langgraph")`
  if (b?.kind === 'value') {
    const req = requireOf(b.node, src);
    if (req !== undefined) return rest.length > 0 ? `${req}:${rest.join('.')}` : `${req}:*`;
  }
  return dotted;
}

/** Whether a qualified name is `name` (bare, or from some module). */
export function isSymbol(q: string | undefined, name: string): boolean {
  if (!q) return false;
  return q === name || q.endsWith(`:${name}`) || q.endsWith(`.${name}`);
}

/** The module part of a qualified name, if it came through an import. */
export function moduleOf(q: string | undefined): string | undefined {
  if (!q) return undefined;
  const i = q.indexOf(':');
  return i < 0 ? undefined : q.slice(0, i);
}

/** An enum member's or a frozen object's string value: `Nodes.PLAN` where `enum Nodes { PLAN = "plan" }`. */
export function memberConstant(decl: Node, member: string, src: Src): string | undefined {
  if (decl.name === 'EnumDeclaration') {
    const body = children(decl.getChild('EnumBody'));
    for (let i = 0; i < body.length; i++) {
      if (body[i].name === 'PropertyName' && src.of(body[i]) === member && body[i + 1]?.name === 'Equals') return stringValue(body[i + 2], src);
    }
  }
  return undefined;
}
