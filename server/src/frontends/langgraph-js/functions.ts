// What a JS/TS function does, as far as LangGraph cares, read from its body: what it returns (route targets,
// `new Command(...)`s, `new Send(...)`s, state updates), which state keys it reads, which models it calls,
// whether it waits for a person (`interrupt`), hands off to the parent graph, or catches every failure of its
// own calls.
import {
  allDescendants, argsOf, arrayItems, calleeOf, children, descendants, entryOf, exprChildren, methodCall, numberValue,
  objectEntries, property, stringValue, subscript, unwrap, type Node, type Src,
} from './jsTree.ts';
import { bindNames, bindParams, isSymbol, memberConstant, moduleOf, qualified, Scope } from './scope.ts';

import { END_ID, START_ID, type FunctionFacts as SharedFacts, type Guard, type Target } from '../langgraph/assemble.ts';

export { END_ID, START_ID, type Guard, type Target };

/** JS has no return types: what it adds is the node that names the function, for ranges. */
export interface FunctionFacts extends SharedFacts {
  readonly nameNode?: Node;
}

const INVOKE = new Set(['invoke', 'stream', 'batch', 'streamEvents', 'streamLog', 'call']);

/** Whether a qualified name comes from LangGraph (or is bare, not bound to anything of the module's own). */
export function fromLangGraph(q: string | undefined): boolean {
  const m = moduleOf(q);
  return m === undefined || m.startsWith('@langchain/langgraph');
}

/** The body of a function: a Block, or the expression of `(s) => expr`. */
export function bodyOf(def: Node): Node | undefined {
  if (def.name === 'Property') return def.getChild('Block') ?? undefined;
  const block = def.getChild('Block');
  if (block) return block;
  if (def.name === 'ArrowFunction') {
    const kids = children(def);
    const arrow = kids.findIndex((k) => k.name === 'Arrow');
    return arrow >= 0 ? kids[arrow + 1] : undefined;
  }
  return undefined;
}

export class FunctionReader {
  private readonly memo = new Map<number, FunctionFacts>();
  constructor(private readonly src: Src, private readonly module: Scope) {}

  /** A scope for a function's own names (parameters and declarations) over the enclosing one. */
  scopeOf(def: Node, parent: Scope = this.module): Scope {
    const s = new Scope(def, parent);
    bindParams(def, s, this.src);
    const body = bodyOf(def);
    if (body?.name === 'Block') bindNames(body, s, this.src);
    return s;
  }

  /** A string literal, a name bound to one, START/END, an enum member or a constant object's property. */
  targetName(n: Node | null | undefined, scope: Scope, depth = 0): string | undefined {
    const u = unwrap(n, this.src);
    if (!u || depth > 6) return undefined;
    const s = stringValue(u, this.src);
    if (s !== undefined) return s;
    if (u.name === 'VariableName' || u.name === 'MemberExpression') {
      const q = qualified(u, scope, this.src);
      if (q && (q === 'END' || isSymbol(q, 'END') && q.startsWith('@langchain/langgraph'))) return END_ID;
      if (q && (q === 'START' || isSymbol(q, 'START') && q.startsWith('@langchain/langgraph'))) return START_ID;
      if (u.name === 'VariableName') {
        const b = scope.lookup(this.src.of(u));
        if (b?.kind === 'value') return this.targetName(b.node, scope, depth + 1);
        return undefined;
      }
      // Nodes.PLAN (an enum), NODES.plan (a constant object)
      const p = property(u);
      if (p?.object.name === 'VariableName') {
        const b = scope.lookup(this.src.of(p.object));
        if (b?.kind === 'enum') return memberConstant(b.node, this.src.of(p.prop), this.src);
        if (b?.kind === 'value') {
          const e = entryOf(b.node, this.src.of(p.prop), this.src);
          if (e && !e.shorthand && !e.method) return this.targetName(e.value, scope, depth + 1);
        }
      }
    }
    return undefined;
  }

  facts(def: Node, parent?: Scope): FunctionFacts {
    const hit = this.memo.get(def.from);
    if (hit) return hit;
    const f = this.read(def, parent);
    this.memo.set(def.from, f);
    return f;
  }

  private read(def: Node, parent?: Scope): FunctionFacts {
    const src = this.src;
    const scope = this.scopeOf(def, parent);
    const nameNode = def.getChild('VariableDefinition') ?? def.getChild('PropertyDefinition') ?? undefined;
    const name = nameNode ? src.of(nameNode) : '<anonymous>';
    const body = bodyOf(def);
    const params = def.getChild('ParamList');
    const first = children(params).find((k) => k.name === 'VariableDefinition' || k.name === 'ObjectPattern');
    const stateName = first?.name === 'VariableDefinition' ? src.of(first) : undefined;

    const reads: { key: string; node: Node; optional: boolean }[] = [];
    let unknownReads = false;
    const seen = new Set<string>();
    const read = (key: string, node: Node, optional = false) => {
      if (seen.has(key)) return;
      seen.add(key);
      reads.push({ key, node, optional });
    };
    // `({ messages, n }) => ...`: the destructured keys are read.
    const stateNames = new Set<string>();
    if (first?.name === 'ObjectPattern') {
      for (const p of children(first)) {
        if (p.name === 'Spread' || src.of(p).startsWith('...')) unknownReads = true;
        if (p.name !== 'PatternProperty') continue;
        const key = p.getChild('PropertyName') ?? p.getChild('VariableDefinition');
        if (!key) continue;
        read(src.of(key), key, children(p).some((k) => k.name === 'Equals'));
        const local = children(p).filter((k) => k.name === 'VariableDefinition').pop();
        if (local) stateNames.add(src.of(local));
      }
    }
    if (stateName) stateNames.add(stateName);

    const returnNodes: Node[] = [];
    if (body && body.name !== 'Block') returnNodes.push(unwrap(body, src) ?? body);
    else if (body) for (const r of descendants(body, new Set(['ReturnStatement']))) {
      const e = exprChildren(r)[0];
      if (e) returnNodes.push(this.peel(e));
    }

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
      for (const cmd of this.commandsIn(r, scope)) {
        returnsCommand = true;
        if (cmd.parent) parentHandoff = { node: cmd.node, targets: cmd.targets ?? [], passes: cmd.update ?? [] };
        else if (cmd.targets === undefined) commandTargets = undefined;
        else if (commandTargets) commandTargets.push(...cmd.targets);
        if (cmd.update) writes.push(...cmd.update);
        if (cmd.updateUnknown) unknownWrites = true;
      }
      if (this.commandsIn(r, scope).length > 0) continue;
      const d = objectEntries(r, src);
      if (d) {
        for (const e of d.entries) {
          const k = e.key ?? (e.computed ? this.targetName(e.computed, scope) : undefined);
          if (k !== undefined) writes.push({ key: k, node: e.keyNode });
          else unknownWrites = true;
        }
        if (d.spread) unknownWrites = true;
      } else if (!/^(null|undefined|void 0)$/.test(src.of(r)) && t === undefined) {
        unknownWrites = true;
      }
    }

    // Reads of the state parameter, in callbacks too.
    const scan = body ?? def;
    for (const m of allDescendants(scan, new Set(['MemberExpression', 'VariableName', 'VariableDeclaration']))) {
      if (m.name === 'VariableDeclaration') {
        // const { a, b } = state
        const kids = children(m);
        const pat = kids.find((k) => k.name === 'ObjectPattern');
        const eq = kids.findIndex((k) => k.name === 'Equals');
        const value = eq >= 0 ? unwrap(kids[eq + 1], src) : undefined;
        if (pat && value?.name === 'VariableName' && stateNames.has(src.of(value))) {
          for (const p of children(pat)) {
            const key = p.getChild('PropertyName') ?? p.getChild('VariableDefinition');
            if (p.name === 'PatternProperty' && key) read(src.of(key), key, children(p).some((k) => k.name === 'Equals'));
            else if (p.name === 'Spread' || src.of(p).startsWith('...')) unknownReads = true;
          }
        }
        continue;
      }
      if (m.name === 'MemberExpression') {
        const obj = children(m)[0];
        if (obj?.name !== 'VariableName' || !stateName || src.of(obj) !== stateName) continue;
        const sub = subscript(m);
        if (sub) {
          const k = stringValue(sub.index, src);
          if (k !== undefined) read(k, sub.index);
          else unknownReads = true;
          continue;
        }
        const p = property(m);
        if (p) read(src.of(p.prop), p.prop, children(m)[1]?.name === '?.' || withDefault(m, src));
      } else if (stateName && src.of(m) === stateName) {
        // The state passed whole somewhere (a helper call, `{ ...state }`): its reads cannot be known.
        const parentName = m.parent?.name;
        if (parentName === 'ArgList' || parentName === 'ArrayExpression' || parentName === 'Property' || parentName === 'Spread') unknownReads = true;
      }
    }

    const calls = allDescendants(scan, new Set(['CallExpression', 'NewExpression']));
    let interrupts: Node | undefined;
    for (const c of calls) {
      const q = qualified(calleeOf(c), scope, src);
      if (c.name === 'CallExpression' && isSymbol(q, 'interrupt') && fromLangGraph(q)) interrupts = c;
    }

    return {
      def, name, nameNode, returns, commandTargets, returnsCommand, parentHandoff, interrupts, calls,
      reads, writes, unknownReads, unknownWrites,
      catchesAll: body?.name === 'Block' ? this.catchesAll(body) : undefined,
      guards: body ? this.guards(body, returnNodes, scope, stateNames) : [],
    };
  }

  /** `await x`, `(x)`, `x as T`: the value. */
  private peel(n: Node): Node {
    let u = unwrap(n, this.src) ?? n;
    for (let i = 0; i < 4 && u.name === 'AwaitExpression'; i++) u = unwrap(exprChildren(u)[0], this.src) ?? u;
    return u;
  }

  /** The targets a returned expression names: a literal, END, `new Send(...)`, an array of those; undefined if unknown. */
  returnTargets(r: Node, scope: Scope): Target[] | undefined {
    const u = this.peel(r);
    const name = this.targetName(u, scope);
    if (name !== undefined) return [{ to: name, node: u }];
    if (u.name === 'NewExpression' && isSymbol(qualified(calleeOf(u), scope, this.src), 'Send')) {
      const a = argsOf(u, this.src).positional[0];
      const to = this.targetName(a, scope);
      return to === undefined ? undefined : [{ to, node: a ?? u, send: true }];
    }
    const arr = arrayItems(u, this.src);
    if (arr) {
      if (arr.spread) return undefined;
      const all = arr.items.map((i) => this.returnTargets(i, scope));
      return all.every((a) => a) ? (all.flat() as Target[]) : undefined;
    }
    // items.map((x) => new Send("worker", x))
    const m = methodCall(u, this.src);
    if (m && (m.method === 'map' || m.method === 'flatMap')) {
      const fn = argsOf(u, this.src).positional[0];
      if (fn?.name === 'ArrowFunction') {
        const body = bodyOf(fn);
        if (body && body.name !== 'Block') return this.returnTargets(body, scope);
      }
    }
    if (u.name === 'ConditionalExpression') {
      const parts = exprChildren(u).filter((k) => k.name !== 'LogicOp');
      const a = parts[1] && this.returnTargets(parts[1], scope);
      const b = parts[2] && this.returnTargets(parts[2], scope);
      return a && b ? [...a, ...b] : undefined;
    }
    return undefined;
  }

  /** The `new Command(...)`s an expression returns (through a conditional). */
  commandsIn(r: Node, scope: Scope): { node: Node; targets?: Target[]; update?: { key: string; node: Node }[]; updateUnknown: boolean; parent: boolean }[] {
    const u = this.peel(r);
    if (u.name === 'ConditionalExpression') {
      const parts = exprChildren(u).filter((k) => k.name !== 'LogicOp');
      return [...(parts[1] ? this.commandsIn(parts[1], scope) : []), ...(parts[2] ? this.commandsIn(parts[2], scope) : [])];
    }
    const c = this.commandOf(u, scope);
    return c ? [c] : [];
  }

  /** A `new Command({ goto, update, graph })`: its goto targets (undefined when unknown), its update keys, `graph: Command.PARENT`. */
  commandOf(r: Node, scope: Scope): { node: Node; targets?: Target[]; update?: { key: string; node: Node }[]; updateUnknown: boolean; parent: boolean } | undefined {
    const u = this.peel(r);
    if (u.name !== 'NewExpression' || !isSymbol(qualified(calleeOf(u), scope, this.src), 'Command')) return undefined;
    const opts = argsOf(u, this.src).positional[0];
    const entries = objectEntries(opts, this.src);
    const get = (k: string) => entries?.entries.find((e) => e.key === k);
    const goto = get('goto');
    let targets: Target[] | undefined = [];
    if (goto) targets = goto.shorthand ? this.returnTargets(goto.value, scope) : this.returnTargets(goto.value, scope);
    if (!entries && opts) targets = undefined;
    const graph = get('graph');
    const parent = !!graph && /\bPARENT\b/.test(this.src.of(graph.value));
    const upd = get('update');
    let update: { key: string; node: Node }[] | undefined = [];
    let updateUnknown = false;
    if (upd) {
      const d = objectEntries(upd.value, this.src);
      if (d && !upd.shorthand) {
        for (const e of d.entries) if (e.key !== undefined) update.push({ key: e.key, node: e.keyNode });
        updateUnknown = d.spread || d.entries.some((e) => e.key === undefined);
      } else {
        update = undefined;
        updateUnknown = true;
      }
    }
    return { node: u, targets, update, updateUnknown, parent };
  }

  /** A `try` whose `catch` does not rethrow, around calls: JS's catch takes every error. */
  private catchesAll(body: Node): Node | undefined {
    for (const t of descendants(body, new Set(['TryStatement']))) {
      const c = t.getChild('CatchClause');
      const handler = c?.getChild('Block');
      const tryBody = t.getChild('Block');
      if (!c || !handler || !tryBody) continue;
      if (descendants(handler, new Set(['ThrowStatement'])).length > 0) continue;
      if (descendants(tryBody, new Set(['CallExpression', 'NewExpression'])).length > 0) return children(c)[0] ?? c;
    }
    return undefined;
  }

  /** `if (state.n >= 3) return END;`, `state.n >= 3 ? END : "draft"`: the comparison, its number and where the run goes when it trips. */
  private guards(body: Node, returns: readonly Node[], scope: Scope, stateNames: ReadonlySet<string>): Guard[] {
    const out: Guard[] = [];
    const push = (test: Node, exit: Node | readonly Node[] | undefined, cmp: { node: Node; bound?: number }) => {
      const targets: Target[] = [];
      const nodes = !exit ? [] : Array.isArray(exit) ? exit : [exit as Node];
      for (const n of nodes) {
        const rets = n.name === 'ReturnStatement' ? [n] : descendants(n, new Set(['ReturnStatement']));
        const exprs = n.name === 'ReturnStatement' || rets.length > 0 ? rets.map((r) => exprChildren(r)[0]).filter((x): x is Node => !!x) : [n];
        for (const e of exprs) {
          const t = this.returnTargets(e, scope) ?? this.commandsIn(e, scope).flatMap((c) => c.targets ?? []);
          targets.push(...t);
        }
      }
      if (targets.length > 0) out.push({ test: cmp.node, text: this.src.of(cmp.node).replace(/\s+/g, ' '), bound: cmp.bound, targets });
    };
    const scanTernary = (n: Node) => {
      const u = this.peel(n);
      if (u.name !== 'ConditionalExpression') return;
      const parts = exprChildren(u).filter((k) => k.name !== 'LogicOp');
      const cmp = parts[0] && this.stateComparison(parts[0], scope, stateNames);
      if (cmp) push(parts[0], cmp.exitWhenTrue ? parts[1] : parts[2], cmp);
      if (parts[2]) scanTernary(parts[2]);
    };
    for (const r of returns) scanTernary(r);
    if (body.name !== 'Block') return out;
    for (const st of descendants(body, new Set(['IfStatement']))) {
      const kids = children(st);
      const test = kids.find((k) => k.name === 'ParenthesizedExpression');
      if (!test) continue;
      const stmts = kids.filter((k) => k !== test && k.name !== 'if' && k.name !== 'else' && !/Comment/.test(k.name));
      const [then, otherwise] = stmts;
      const cmp = this.stateComparison(test, scope, stateNames);
      if (!cmp || !then) continue;
      if (cmp.exitWhenTrue) push(test, then, cmp);
      else if (otherwise) push(test, otherwise, cmp);
      else {
        // if (state.n < 3) return "again"; return END;  -> what follows the if is the exit
        const after: Node[] = [];
        for (let s = st.nextSibling; s; s = s.nextSibling) if (s.name === 'ReturnStatement') {
          after.push(s);
          break;
        }
        push(test, after, cmp);
      }
    }
    return out;
  }

  /** A comparison of a state value (or a count of one) with a number or a named constant; `exitWhenTrue`: the branch taken when it holds leaves the loop. */
  private stateComparison(test: Node, scope: Scope, stateNames: ReadonlySet<string>): { node: Node; bound?: number; exitWhenTrue: boolean } | undefined {
    const src = this.src;
    const names = [...stateNames, 'config'].map((s) => s.replace(/[$]/g, '\\$'));
    const mentionsState = (n: Node) => names.length > 0 && new RegExp(`(^|[^\\w$.])(${names.join('|')})\\b`).test(src.of(n));
    const u = unwrap(test, src) ?? test;
    if (u.name === 'BinaryExpression') {
      const kids = children(u);
      const op = kids.find((k) => k.name === 'CompareOp');
      if (op) {
        const [l, r] = [kids[0], kids[kids.length - 1]];
        const num = (n: Node): number | undefined => {
          const v = numberValue(n, src);
          if (v !== undefined) return v;
          const un = unwrap(n, src);
          if (un?.name === 'VariableName') {
            const b = scope.lookup(src.of(un));
            if (b?.kind === 'value') return numberValue(b.node, src);
          }
          return undefined;
        };
        const constantLike = (n: Node) => num(n) !== undefined || /^[A-Z][A-Z0-9_]*$/.test(src.of(n)) || /^(config|process\.env)\b/.test(src.of(n)) && !mentionsStateOnly(n);
        const mentionsStateOnly = (n: Node) => stateNames.size > 0 && new RegExp(`(^|[^\\w$.])(${[...stateNames].join('|')})\\b`).test(src.of(n));
        const o = src.of(op);
        const stateLeft = mentionsState(l) && constantLike(r);
        const stateRight = !stateLeft && mentionsState(r) && constantLike(l);
        if (stateLeft || stateRight) {
          const n = num(stateLeft ? r : l);
          // Normalise to `state OP n`.
          const norm = stateLeft ? o : ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as Record<string, string>)[o] ?? o;
          const exitWhenTrue = norm === '>' || norm === '>=' || norm === '===' || norm === '==';
          const bound = n === undefined ? undefined : norm === '>' || norm === '<=' ? n + 1 : n;
          if (norm === '!==' || norm === '!=') return undefined;
          return { node: u, bound: bound !== undefined && bound > 0 ? bound : undefined, exitWhenTrue };
        }
        if (/remaining_?steps|is_?last_?step/i.test(src.of(u)) && mentionsState(u)) return { node: u, exitWhenTrue: !/remaining/i.test(src.of(u)) || /</.test(o) };
      }
      const logic = kids.find((k) => k.name === 'LogicOp');
      if (logic && (src.of(logic) === '||' || src.of(logic) === '&&')) {
        for (const k of [kids[0], kids[kids.length - 1]]) {
          const inner = k ? this.stateComparison(k, scope, stateNames) : undefined;
          if (inner) return inner;
        }
      }
      return undefined;
    }
    if (/remaining_?steps|is_?last_?step/i.test(src.of(u)) && mentionsState(u)) return { node: u, exitWhenTrue: true };
    return undefined;
  }

  /** Receivers of `x.invoke(...)`-like calls in a function, for model and subgraph lookups. */
  invokedReceivers(f: FunctionFacts): Node[] {
    const out: Node[] = [];
    for (const c of f.calls) {
      const m = methodCall(c, this.src);
      if (m && INVOKE.has(m.method)) out.push(m.receiver);
    }
    return out;
  }
}


/** `state.k ?? d`, `state.k || d`: the read supplies its own default, as Python's `state.get("k", d)` does. */
function withDefault(m: Node, src: Src): boolean {
  const b = m.parent;
  if (b?.name !== 'BinaryExpression') return false;
  const [left, op] = children(b);
  return left?.from === m.from && left.to === m.to && op?.name === 'LogicOp' && (src.of(op) === '??' || src.of(op) === '||');
}
