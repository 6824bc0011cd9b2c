// What a Python function does, as far as LangGraph cares, read from its body: what it returns (route targets,
// `Command`s, `Send`s, state updates), which state keys it reads, which models it calls, whether it waits for a
// person (`interrupt`), hands off to the parent graph, or catches every failure of its own calls.
import {
  argsOf, children, descendants, dictEntries, exprChildren, methodCall, numberValue, sequenceItems, stringValue, subscript,
  type Node, type Src,
} from './pyTree.ts';
import { isSymbol, qualified, Scope, bindNames, classConstant } from './scope.ts';

import { END_ID, START_ID, type FunctionFacts as SharedFacts, type Guard, type Target } from '../langgraph/assemble.ts';

export { END_ID, START_ID, type Guard, type Target };

/** Python can say more than JS: a `Literal[...]` return annotation, `Command[Literal[...]]`. */
export interface FunctionFacts extends SharedFacts {
  /** `-> Literal["a", "b"]` */
  readonly literalAnnotation?: readonly Target[];
  /** `-> Command[Literal["a", "b"]]` */
  readonly commandAnnotation?: readonly Target[];
}

const INVOKE = new Set(['invoke', 'ainvoke', 'stream', 'astream', 'batch', 'abatch']);
// One walk of a function body collects every kind of syntax the facts need (descendants() keeps source order).
// Nested blocks (an `if` in a `try` in an `if`...) ask for what lies inside them: `within()` finds it in that one
// list, so deep nesting costs no walk of the same code twice.
const BODY_SYNTAX = new Set(['ReturnStatement', 'RaiseStatement', 'MemberExpression', 'CallExpression', 'VariableName', 'TryStatement', 'IfStatement']);
const STATE_ACCESS = new Set(['MemberExpression', 'CallExpression', 'VariableName']);

/** The nodes of `sorted` (in source order, as descendants() returns them) that lie inside `n` and are named `name`. */
function within(sorted: readonly Node[], n: Node, name: string): Node[] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].from < n.from) lo = mid + 1;
    else hi = mid;
  }
  const out: Node[] = [];
  for (let i = lo; i < sorted.length && sorted[i].from < n.to; i++) if (sorted[i].name === name && sorted[i].to <= n.to) out.push(sorted[i]);
  return out;
}

/** The first child named `name` after index `i` of `kids`. */
function nextNamed(kids: readonly Node[], i: number, name: string): Node | undefined {
  for (let j = i; j < kids.length; j++) if (kids[j].name === name) return kids[j];
  return undefined;
}

export class FunctionReader {
  private readonly memo = new Map<number, FunctionFacts>();
  /** Function scopes by the definition's start: every builder call in a function asks for the same one. */
  private readonly scopes = new Map<number, Scope>();
  constructor(private readonly src: Src, private readonly module: Scope) {}

  /** A scope for a function's own names over the module's (built once per function). */
  scopeOf(def: Node): Scope {
    const hit = this.scopes.get(def.from);
    if (hit && hit.node.to === def.to) return hit;
    const s = new Scope(def, this.module);
    const body = def.getChild('Body');
    if (body) bindNames(body, s, this.src);
    this.scopes.set(def.from, s);
    return s;
  }

  /** A string literal, a name bound to one, START/END, or a class constant. */
  targetName(n: Node | null | undefined, scope: Scope, depth = 0): string | undefined {
    if (!n || depth > 6) return undefined;
    const s = stringValue(n, this.src);
    if (s !== undefined) return s;
    if (n.name === 'VariableName' || n.name === 'MemberExpression') {
      const q = qualified(n, scope, this.src);
      if (q && (isSymbol(q, 'END') && (q === 'END' || q.startsWith('langgraph')))) return END_ID;
      if (q && (isSymbol(q, 'START') && (q === 'START' || q.startsWith('langgraph')))) return START_ID;
      if (n.name === 'VariableName') {
        const b = scope.lookup(this.src.of(n));
        if (b?.kind === 'value') return this.targetName(b.node, scope, depth + 1);
        return undefined;
      }
      // Nodes.PLAN, Nodes.PLAN.value
      const kids = children(n);
      const prop = kids.find((k) => k.name === 'PropertyName');
      if (prop && this.src.of(prop) === 'value') return this.targetName(kids[0], scope, depth + 1);
      if (kids[0]?.name === 'VariableName' && prop) {
        const b = scope.lookup(this.src.of(kids[0]));
        if (b?.kind === 'class') return classConstant(b.node, this.src.of(prop), this.src);
      }
    }
    return undefined;
  }

  facts(def: Node): FunctionFacts {
    const hit = this.memo.get(def.from);
    if (hit) return hit;
    const f = this.read(def);
    this.memo.set(def.from, f);
    return f;
  }

  private read(def: Node): FunctionFacts {
    const src = this.src;
    const scope = this.scopeOf(def);
    const name = src.of(def.getChild('VariableName'));
    const body = def.getChild('Body') ?? def;
    const isLambda = def.name === 'LambdaExpression';
    const params = def.getChild('ParamList');
    const stateParam = params ? children(params).find((k) => k.name === 'VariableName') : undefined;
    const stateName = stateParam ? src.of(stateParam) : 'state';

    // Return annotation: `-> Literal[...]` or `-> Command[Literal[...]]`.
    let literalAnnotation: Target[] | undefined;
    let commandAnnotation: Target[] | undefined;
    const ann = children(def).find((k) => k.name === 'TypeDef');
    if (ann) {
      const t = exprChildren(ann)[0];
      const lit = t && this.literalTargets(t, scope);
      if (lit) literalAnnotation = lit;
      // Command[Literal[...]], also inside Union[...] / Optional[...] / `X | Y`.
      for (const m of t ? [t, ...descendants(t, new Set(['MemberExpression']))] : []) {
        const sub = subscript(m, src);
        if (sub && isSymbol(qualified(sub.object, scope, src), 'Command')) {
          const inner = sub.index[0] && this.literalTargets(sub.index[0], scope);
          if (inner) commandAnnotation = [...(commandAnnotation ?? []), ...inner];
        }
      }
    }

    const syntax = isLambda ? descendants(def, STATE_ACCESS) : descendants(body, BODY_SYNTAX);
    const returnNodes = isLambda ? [exprChildren(def).at(-1)!].filter(Boolean) : syntax.filter((r) => r.name === 'ReturnStatement').map((r) => exprChildren(r)[0]).filter((x): x is Node => !!x);
    let returns: Target[] | undefined = [];
    let commandTargets: Target[] | undefined = [];
    let returnsCommand = false;
    let parentHandoff: FunctionFacts['parentHandoff'];
    const writes: { key: string; node: Node }[] = [];
    let unknownWrites = false;
    for (const r of returnNodes) {
      const t = this.returnTargets(r, scope);
      if (t === undefined) returns = undefined;
      else if (returns) returns.push(...t);
      const cmd = this.commandOf(r, scope);
      if (cmd) {
        returnsCommand = true;
        if (cmd.parent) parentHandoff = { node: r, targets: cmd.targets ?? [], passes: cmd.update ?? [] };
        else if (cmd.targets === undefined) commandTargets = undefined;
        else if (commandTargets) commandTargets.push(...cmd.targets);
        if (cmd.update) writes.push(...cmd.update);
        else if (cmd.updateUnknown) unknownWrites = true;
        continue;
      }
      const d = dictEntries(r);
      if (d) {
        for (const e of d.entries) {
          const k = stringValue(e.key, src);
          if (k !== undefined) writes.push({ key: k, node: e.key });
          else unknownWrites = true;
        }
        if (d.spread) unknownWrites = true;
      } else if (r.name !== 'None' && src.of(r) !== 'None' && this.returnTargets(r, scope) === undefined) {
        // A name or a call: what it holds cannot be known here.
        unknownWrites = true;
      }
    }
    if (returnNodes.length === 0) returns = [];

    // Reads of the state parameter.
    const reads: { key: string; node: Node; optional: boolean }[] = [];
    let unknownReads = false;
    const seen = new Set<string>();
    for (const m of syntax) {
      if (m.name === 'MemberExpression') {
        const kids = children(m);
        if (kids[0]?.name !== 'VariableName' || src.of(kids[0]) !== stateName) continue;
        const sub = subscript(m, src);
        if (sub) {
          const k = stringValue(sub.index[0], src);
          if (k !== undefined && !seen.has(k)) reads.push({ key: k, node: sub.index[0], optional: false });
          if (k !== undefined) seen.add(k);
          continue;
        }
        const prop = kids.find((k) => k.name === 'PropertyName');
        const parent = m.parent;
        if (prop && parent?.name === 'CallExpression' && parent.firstChild?.from === m.from && parent.firstChild.to === m.to) {
          if (src.of(prop) === 'get') {
            const k = stringValue(argsOf(parent, src).positional[0], src);
            if (k !== undefined && !seen.has(k)) reads.push({ key: k, node: argsOf(parent, src).positional[0], optional: true });
            if (k !== undefined) seen.add(k);
          }
          continue;
        }
        if (prop && !seen.has(src.of(prop))) {
          seen.add(src.of(prop));
          reads.push({ key: src.of(prop), node: prop, optional: false });
        }
      } else if (m.name === 'VariableName' && src.of(m) === stateName) {
        // The state passed whole somewhere (a helper call, `**state`): its reads cannot be known.
        const p = m.parent;
        if (p && (p.name === 'ArgList' || p.name === 'DictionaryExpression' || p.name === 'ArrayExpression')) unknownReads = true;
      }
    }

    const calls = syntax.filter((c) => c.name === 'CallExpression');
    let interrupts: Node | undefined;
    for (const c of calls) if (isSymbol(qualified(c.firstChild, scope, src), 'interrupt')) interrupts = c;

    return {
      def, name, returns, literalAnnotation, commandAnnotation, commandTargets, returnsCommand, parentHandoff, interrupts, calls,
      reads, writes, unknownReads, unknownWrites,
      catchesAll: isLambda ? undefined : this.catchesAll(syntax),
      guards: isLambda ? [] : this.guards(syntax, scope, stateName),
    };
  }

  /** `Literal["a", "b"]` (also `Literal["a"] | Literal["b"]`, `Optional` aside): the targets. */
  literalTargets(t: Node, scope: Scope): Target[] | undefined {
    if (t.name === 'BinaryExpression') {
      const parts = exprChildren(t).filter((k) => k.name !== 'BitOp');
      const all = parts.map((p) => this.literalTargets(p, scope));
      return all.every((a) => a) ? all.flat() as Target[] : undefined;
    }
    const sub = subscript(t, this.src);
    if (!sub || !isSymbol(qualified(sub.object, scope, this.src), 'Literal')) return undefined;
    const out: Target[] = [];
    for (const i of sub.index) {
      const v = this.targetName(i, scope);
      if (v === undefined) return undefined;
      out.push({ to: v, node: i });
    }
    return out;
  }

  /** The targets a returned expression names: a literal, END, `Send(...)`, a list of those; undefined if unknown. */
  returnTargets(r: Node, scope: Scope): Target[] | undefined {
    const name = this.targetName(r, scope);
    if (name !== undefined) return [{ to: name, node: r }];
    if (r.name === 'CallExpression' && isSymbol(qualified(r.firstChild, scope, this.src), 'Send')) {
      const to = this.targetName(argsOf(r, this.src).positional[0] ?? argsOf(r, this.src).keywords.get('node'), scope);
      return to === undefined ? undefined : [{ to, node: argsOf(r, this.src).positional[0] ?? r, send: true }];
    }
    const items = sequenceItems(r);
    if (items) {
      const all = items.map((i) => this.returnTargets(i, scope));
      return all.every((a) => a) ? (all.flat() as Target[]) : undefined;
    }
    if (r.name === 'ArrayComprehensionExpression' || r.name === 'ComprehensionExpression') {
      const first = exprChildren(r)[0];
      return first ? this.returnTargets(first, scope) : undefined;
    }
    if (r.name === 'ConditionalExpression') {
      const parts = exprChildren(r);
      const a = parts[0] && this.returnTargets(parts[0], scope);
      const b = parts[2] && this.returnTargets(parts[2], scope);
      return a && b ? [...a, ...b] : undefined;
    }
    return undefined;
  }

  /** A returned `Command(...)`: its goto targets (undefined when unknown), its update keys, `graph=Command.PARENT`. */
  commandOf(r: Node, scope: Scope): { targets?: Target[]; update?: { key: string; node: Node }[]; updateUnknown: boolean; parent: boolean } | undefined {
    if (r.name !== 'CallExpression' || !isSymbol(qualified(r.firstChild, scope, this.src), 'Command')) return undefined;
    const a = argsOf(r, this.src);
    const goto = a.keywords.get('goto');
    let targets: Target[] | undefined = [];
    if (goto) targets = this.returnTargets(goto, scope);
    const graph = a.keywords.get('graph');
    const parent = !!graph && /\bPARENT\b/.test(this.src.of(graph));
    const upd = a.keywords.get('update');
    let update: { key: string; node: Node }[] | undefined;
    let updateUnknown = false;
    if (upd) {
      const d = dictEntries(upd);
      if (d) {
        update = [];
        for (const e of d.entries) {
          const k = stringValue(e.key, this.src);
          if (k !== undefined) update.push({ key: k, node: e.key });
        }
        updateUnknown = d.spread;
      } else updateUnknown = true;
    } else update = [];
    return { targets, update, updateUnknown, parent };
  }

  /** A `try` in the body whose handler catches Exception (or everything) and does not re-raise. */
  private catchesAll(syntax: readonly Node[]): Node | undefined {
    for (const t of syntax) {
      if (t.name !== 'TryStatement') continue;
      const kids = children(t);
      for (let i = 0; i < kids.length; i++) {
        if (kids[i].name !== 'except') continue;
        const next = kids[i + 1];
        const broad = next?.name === 'Body' || ['Exception', 'BaseException'].includes(this.src.of(next).split(/\s/)[0]) ||
          (next?.name === 'TupleExpression' && /\b(Base)?Exception\b/.test(this.src.of(next)));
        if (!broad) continue;
        const handler = nextNamed(kids, i + 1, 'Body');
        if (handler && within(syntax, handler, 'RaiseStatement').length === 0) {
          const tryBody = nextNamed(kids, 0, 'Body');
          if (tryBody && within(syntax, tryBody, 'CallExpression').length > 0) return kids[i];
        }
      }
    }
    return undefined;
  }

  /** `if state["n"] >= 3: return END` and the like: the comparison, its number and the targets of its branch. */
  private guards(syntax: readonly Node[], scope: Scope, stateName: string): Guard[] {
    const out: Guard[] = [];
    for (const st of syntax) {
      if (st.name !== 'IfStatement') continue;
      const kids = children(st);
      for (let i = 0; i < kids.length; i++) {
        if (kids[i].name !== 'if' && kids[i].name !== 'elif') continue;
        const test = kids[i + 1];
        const branch = nextNamed(kids, i + 2, 'Body');
        if (!test || !branch) continue;
        const cmp = this.stateComparison(test, scope, stateName);
        if (!cmp) continue;
        const targets: Target[] = [];
        for (const r of within(syntax, branch, 'ReturnStatement')) {
          const e = exprChildren(r)[0];
          if (!e) continue;
          const t = this.returnTargets(e, scope) ?? this.commandOf(e, scope)?.targets;
          if (t) targets.push(...t);
        }
        if (targets.length > 0) out.push({ test: cmp.node, text: this.src.of(cmp.node).replace(/\s+/g, ' '), bound: cmp.bound, targets });
      }
    }
    return out;
  }

  /** A comparison of a state value (or a count of one) with a number or a named constant, or a read of RemainingSteps/IsLastStep. */
  private stateComparison(test: Node, scope: Scope, stateName: string): { node: Node; bound?: number } | undefined {
    const src = this.src;
    const mentionsState = (n: Node) => new RegExp(`\\b(${stateName}|config)\\b`).test(src.of(n));
    if (test.name === 'BinaryExpression') {
      const kids = children(test);
      const op = kids.find((k) => k.name === 'CompareOp');
      if (op) {
        const [l, r] = [kids[0], kids[kids.length - 1]];
        const num = (n: Node): number | undefined => {
          const v = numberValue(n, src);
          if (v !== undefined) return v;
          if (n.name === 'VariableName') {
            const b = scope.lookup(src.of(n));
            if (b?.kind === 'value') return numberValue(b.node, src);
          }
          if (n.name === 'MemberExpression' || n.name === 'CallExpression') return undefined;
          return undefined;
        };
        const constantLike = (n: Node) => num(n) !== undefined || (n.name === 'VariableName' && /^[A-Z][A-Z0-9_]*$/.test(src.of(n)));
        const side = mentionsState(l) && constantLike(r) ? { v: r, op: src.of(op) } : mentionsState(r) && constantLike(l) ? { v: l, op: src.of(op) } : undefined;
        // `state["remaining_steps"] <= 2` exits before the recursion limit trips: the limit is the bound.
        if (side && /remaining_steps|is_last_step/.test(src.of(test))) return { node: test };
        if (side) {
          const n = num(side.v);
          const bound = n === undefined ? undefined : side.op === '>' ? n + 1 : n;
          return { node: test, bound: bound !== undefined && bound > 0 ? bound : undefined };
        }
        // `state["remaining_steps"] < 2`
        if (/remaining_steps|is_last_step/.test(src.of(test)) && mentionsState(test)) return { node: test };
      }
      // a and b / a or b: any side that compares
      for (const k of exprChildren(test)) {
        const inner = k.name === 'BinaryExpression' || k.name === 'ParenthesizedExpression' || k.name === 'UnaryExpression' || k.name === 'MemberExpression' ? this.stateComparison(k, scope, stateName) : undefined;
        if (inner) return inner;
      }
      return undefined;
    }
    if (test.name === 'ParenthesizedExpression') {
      const inner = exprChildren(test)[0];
      return inner ? this.stateComparison(inner, scope, stateName) : undefined;
    }
    if (/remaining_steps|is_last_step/.test(src.of(test)) && mentionsState(test)) return { node: test };
    return undefined;
  }

  /** Calls `x.invoke(...)`-like in a function: the receivers, for model and subgraph lookups. */
  invokedReceivers(f: FunctionFacts): Node[] {
    const out: Node[] = [];
    for (const c of f.calls) {
      const m = methodCall(c, this.src);
      if (m && INVOKE.has(m.method)) out.push(m.receiver);
    }
    return out;
  }
}
