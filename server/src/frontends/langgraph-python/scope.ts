// Names in a Python module, read statically: imports, assignments, functions and classes, per scope. Nothing
// is evaluated; a name resolves to the syntax that was bound to it (the last binding in its scope wins).
import { children, dottedName, exprChildren, stringValue, type Node, type Src } from './pyTree.ts';

export type Binding =
  | { readonly kind: 'value'; readonly node: Node; readonly target: Node }
  | { readonly kind: 'def'; readonly node: Node }
  | { readonly kind: 'class'; readonly node: Node }
  | { readonly kind: 'import'; readonly module: string; readonly name?: string; readonly level: number };

export class Scope {
  readonly names = new Map<string, Binding>();
  /** Loop variables bound while a `for` over a literal list is expanded. */
  constructor(readonly node: Node, readonly parent?: Scope) {}

  lookup(name: string): Binding | undefined {
    return this.names.get(name) ?? this.parent?.lookup(name);
  }
}

/** The statements of a body or the module, descending into if/try/with/for/while blocks (not into defs). */
export function statementsOf(n: Node): Node[] {
  const out: Node[] = [];
  const walk = (b: Node) => {
    for (let c = b.firstChild; c; c = c.nextSibling) {
      if (c.name === 'Body') walk(c);
      else if (['IfStatement', 'TryStatement', 'WithStatement', 'ForStatement', 'WhileStatement', 'MatchStatement'].includes(c.name)) {
        out.push(c);
        walk(c);
      } else if (c.name.endsWith('Statement') || c.name === 'FunctionDefinition' || c.name === 'ClassDefinition') out.push(c);
    }
  };
  walk(n);
  return out;
}

/** Binds the names a block defines into `scope`. */
export function bindNames(block: Node, scope: Scope, src: Src): void {
  for (const st of statementsOf(block)) {
    switch (st.name) {
      case 'FunctionDefinition':
      case 'ClassDefinition': {
        const name = st.getChild('VariableName');
        if (name) scope.names.set(src.of(name), { kind: st.name === 'FunctionDefinition' ? 'def' : 'class', node: st });
        break;
      }
      case 'DecoratedStatement': {
        const def = st.getChild('FunctionDefinition') ?? st.getChild('ClassDefinition');
        const name = def?.getChild('VariableName');
        if (def && name) scope.names.set(src.of(name), { kind: def.name === 'FunctionDefinition' ? 'def' : 'class', node: def });
        break;
      }
      case 'AssignStatement': {
        const kids = children(st);
        const ops = kids.map((k, i) => (k.name === 'AssignOp' && src.of(k) === '=' ? i : -1)).filter((i) => i >= 0);
        if (ops.length === 0) break;
        const value = kids[kids.length - 1];
        // `a = b = value` binds every target; `x: T = value` binds x.
        let start = 0;
        for (const op of ops) {
          const target = kids.slice(start, op).find((k) => k.name === 'VariableName');
          if (target && kids.slice(start, op).length <= 2) scope.names.set(src.of(target), { kind: 'value', node: value, target });
          start = op + 1;
        }
        break;
      }
      case 'ImportStatement':
        bindImport(st, scope, src);
        break;
    }
  }
}

function bindImport(st: Node, scope: Scope, src: Src): void {
  const kids = children(st);
  if (kids[0]?.name === 'from') {
    const importAt = kids.findIndex((k) => k.name === 'import');
    if (importAt < 0) return;
    let level = 0;
    const mod: string[] = [];
    for (const k of kids.slice(1, importAt)) {
      if (k.name === '.') level += mod.length === 0 ? 1 : 0;
      else if (k.name === 'Ellipsis') level += 3;
      else if (k.name === 'VariableName') mod.push(src.of(k));
    }
    const module = mod.join('.');
    const rest = kids.slice(importAt + 1).filter((k) => k.name !== '(' && k.name !== ')' && k.name !== ',');
    for (let i = 0; i < rest.length; i++) {
      const k = rest[i];
      if (k.name === '*') {
        scope.names.set(`*${module}`, { kind: 'import', module, level });
        continue;
      }
      if (k.name !== 'VariableName') continue;
      const name = src.of(k);
      if (rest[i + 1]?.name === 'as' && rest[i + 2]) {
        scope.names.set(src.of(rest[i + 2]), { kind: 'import', module, name, level });
        i += 2;
      } else scope.names.set(name, { kind: 'import', module, name, level });
    }
    return;
  }
  // import a.b.c [as x]
  const rest = kids.slice(1);
  let dotted: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const k = rest[i];
    if (k.name === 'VariableName') dotted.push(src.of(k));
    if (k.name === 'as' && rest[i + 1]) {
      scope.names.set(src.of(rest[i + 1]), { kind: 'import', module: dotted.join('.'), level: 0 });
      dotted = [];
      i++;
    } else if (k.name === ',' || i === rest.length - 1) {
      if (dotted.length > 0) scope.names.set(dotted[0], { kind: 'import', module: dotted[0], level: 0 });
      dotted = [];
    }
  }
}

/**
 * The qualified name a callee or value spells, through imports: `SG` imported as `from langgraph.graph import
 * StateGraph as SG` is `langgraph.graph.StateGraph`; a local definition is its bare name.
 */
export function qualified(n: Node | null | undefined, scope: Scope, src: Src): string | undefined {
  const dotted = dottedName(n, src);
  if (!dotted) return undefined;
  const [head, ...rest] = dotted.split('.');
  const b = scope.lookup(head);
  if (b?.kind === 'import') {
    const base = b.name ? `${b.module}.${b.name}` : b.module;
    return [base, ...rest].join('.');
  }
  return dotted;
}

/** Whether a qualified name is `name` from one of LangGraph's or LangChain's packages (or a bare name). */
export function isSymbol(q: string | undefined, name: string): boolean {
  if (!q) return false;
  return q === name || q.endsWith(`.${name}`);
}

/** A class attribute's string value: `Nodes.PLAN` where `class Nodes: PLAN = "plan"` (enums included). */
export function classConstant(cls: Node, attr: string, src: Src): string | undefined {
  for (const st of statementsOf(cls.getChild('Body') ?? cls)) {
    if (st.name !== 'AssignStatement') continue;
    const kids = exprChildren(st);
    if (kids.length >= 2 && kids[0].name === 'VariableName' && src.of(kids[0]) === attr) return stringValue(kids[kids.length - 1], src);
  }
  return undefined;
}
