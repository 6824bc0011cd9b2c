// LangGraph JS/TS source -> IR (LANGGRAPH.md). Finds every `new StateGraph(...)` of a module, replays the calls
// made on it (fluent chains and calls on a variable alike: `addNode`, `addEdge`, `addConditionalEdges`,
// `addSequence`, `setNodeDefaults`, `compile`...) in source order, expanding `for...of` loops over literal
// arrays and `Object.entries` of literal objects, and reads what each node's function does. JS has no runtime
// types: a path map or `ends` is the only declaration of where a branch goes; literal returns are read as
// *inferred* routes, anything else is unknown (AG005). Nothing is guessed, nothing runs.
import type { Tree } from '@lezer/common';
import {
  END, type AgentGraph, type ModelProfile, type Origin, type Range, type Ref, type RetryPolicy, type Runtime, type StateKey, type ToolSpec,
} from '../../core/ir.ts';
import type { AgDiagnostic } from '../../core/diagnostic.ts';
import { lookupPrice, parseModelString, providerOfConstructor } from '../../core/prices.ts';
import {
  argsOf, arrayItems, booleanValue, calleeOf, children, entryOf, exprChildren, isFunction, methodCall, numberValue, objectEntries,
  stringValue, unwrap, allDescendants, Src, type Entry, type Node,
} from './jsTree.ts';
import { bindNames, isSymbol, qualified, requireOf, Scope } from './scope.ts';
import { bodyOf, END_ID, FunctionReader, fromLangGraph, START_ID, type FunctionFacts, type Target } from './functions.ts';
import { applyFacts, applyModel, assemble, mainFirst, type GraphDraft, type ModelRead, type NodeDraft } from '../langgraph/assemble.ts';

export const JS_RUNTIME: Runtime = { framework: 'LangGraph', language: 'typescript', defaultSteps: 25, defaultStepsBound: true };

const CHAT_MODEL = /^(Chat[A-Z]\w*|AzureChatOpenAI|BedrockChat|initChatModel)$/;
const OUTPUT_CAPS = ['maxTokens', 'maxCompletionTokens', 'maxOutputTokens', 'numPredict', 'maxNewTokens'];
const INVOKE = new Set(['invoke', 'stream', 'batch', 'streamEvents', 'withConfig']);
const MODEL_WRAPPERS = new Set(['bindTools', 'withStructuredOutput', 'withConfig', 'bind', 'withRetry', 'withFallbacks', 'pipe']);

interface JsNodeDraft extends NodeDraft {
  facts?: FunctionFacts;
  /** `{ ends: [...] }` on addNode: the Command's declared targets. */
  ends?: Target[];
}

interface Builder extends GraphDraft {
  nodes: Map<string, JsNodeDraft>;
  scope: Scope;
  stateSchema?: Node;
  inputSchema?: Node;
}

export interface ExtractResult {
  readonly graphs: AgentGraph[];
  readonly diagnostics: AgDiagnostic[];
}

type Env = Map<string, Node>;

export function extractGraphs(text: string, tree: Tree, uri: string): ExtractResult {
  const src = new Src(text);
  const top = tree.topNode;
  const module = new Scope(top);
  bindNames(top, module, src);
  const fr = new FunctionReader(src, module);
  const x = new Extractor(src, module, fr, uri);
  x.block(top, module, new Map());
  return x.finish();
}

type Action = { kind: 'def' | 'subgraph' | 'agent' | 'tools' | 'call' | 'unknown'; node?: Node; name?: string; explicitName?: boolean; builder?: Builder; importRef?: string; scope?: Scope };

class Extractor {
  readonly builders: Builder[] = [];
  private readonly byVar = new Map<string, Builder>();
  readonly diagnostics: AgDiagnostic[] = [];
  private readonly models = new Map<string, ModelProfile>();
  private readonly tools = new Map<string, ToolSpec>();
  private readonly isTs: boolean;

  constructor(readonly src: Src, readonly module: Scope, readonly fr: FunctionReader, readonly uri: string) {
    this.isTs = /\.(ts|tsx|mts|cts)$/i.test(uri.replace(/[?#].*$/, ''));
  }

  private range(n: Node): Range {
    return { start: n.from, end: n.to };
  }

  // ---- walking the module -------------------------------------------------------------------------------------

  /** The statements of a block in order: builder calls are replayed as they come, functions' bodies too. */
  block(block: Node, scope: Scope, env: Env): void {
    for (let c = block.firstChild; c; c = c.nextSibling) this.statement(c, scope, env);
  }

  private statement(st: Node, scope: Scope, env: Env): void {
    switch (st.name) {
      case 'ExportDeclaration': {
        const inner = children(st).filter((k) => k.name !== 'export' && k.name !== 'default' && k.name !== ';');
        for (const k of inner) {
          if (k.name.endsWith('Declaration')) this.statement(k, scope, env);
          else if (k.name === 'ExportGroup' || k.name === 'String' || k.name === 'from' || k.name === 'Star' || k.name === 'as' || k.name === 'VariableName') continue;
          else this.expression(k, scope, env, 'default');
        }
        return;
      }
      case 'FunctionDeclaration':
        this.func(st, scope, env);
        return;
      case 'ClassDeclaration':
        for (const m of children(st.getChild('ClassBody'))) if (m.name === 'MethodDeclaration') this.func(m, scope, env);
        return;
      case 'VariableDeclaration': {
        const kids = children(st);
        for (let i = 0; i < kids.length; i++) {
          if (kids[i].name !== 'VariableDefinition') continue;
          let j = i + 1;
          while (kids[j]?.name === 'TypeAnnotation') j++;
          if (kids[j]?.name !== 'Equals' || !kids[j + 1]) continue;
          const value = unwrap(kids[j + 1], this.src) ?? kids[j + 1];
          const name = this.src.of(kids[i]);
          if (isFunction(value)) this.func(value, scope, env);
          else this.expression(value, scope, env, name);
          i = j + 1;
        }
        return;
      }
      case 'ExpressionStatement': {
        const e = unwrap(exprChildren(st)[0], this.src);
        if (!e) return;
        if (e.name === 'AssignmentExpression') {
          const kids = children(e);
          const target = kids[0]?.name === 'VariableName' ? this.src.of(kids[0]) : undefined;
          const value = unwrap(kids[kids.length - 1], this.src);
          if (value && kids.length >= 3) this.expression(value, scope, env, target);
          return;
        }
        this.expression(e, scope, env, undefined);
        return;
      }
      case 'ReturnStatement': {
        const e = exprChildren(st)[0];
        if (e) this.expression(unwrap(e, this.src) ?? e, scope, env, undefined);
        return;
      }
      case 'ForStatement':
        this.forOf(st, scope, env);
        return;
      case 'Block':
        this.block(st, scope, env);
        return;
      case 'IfStatement':
      case 'TryStatement':
      case 'WhileStatement':
      case 'DoStatement':
      case 'CatchClause':
      case 'FinallyClause':
      case 'LabeledStatement':
      case 'SwitchStatement':
      case 'SwitchBody':
        for (const c of children(st)) {
          if (c.name === 'Block' || c.name.endsWith('Statement') || c.name === 'CatchClause' || c.name === 'FinallyClause' || c.name === 'SwitchBody') this.statement(c, scope, env);
        }
        return;
      default:
        return;
    }
  }

  private func(fn: Node, scope: Scope, env: Env): void {
    const body = bodyOf(fn);
    const s = this.fr.scopeOf(fn, scope);
    if (body?.name === 'Block') this.block(body, s, new Map(env));
    else if (body) this.expression(unwrap(body, this.src) ?? body, s, new Map(env), undefined);
  }

  /** An expression statement or an initializer: a builder chain, or calls inside it (an IIFE, `await`). */
  private expression(e: Node, scope: Scope, env: Env, assignedTo: string | undefined): void {
    let u = e;
    while (u.name === 'AwaitExpression') u = unwrap(exprChildren(u)[0], this.src) ?? u;
    if (this.chain(u, scope, env, assignedTo)) return;
    // Builder calls nested in other calls (`export const graph = wrap(builder.compile())`): their outermost chains.
    for (const c of allDescendants(u, new Set(['CallExpression', 'NewExpression']))) {
      if (c.parent?.name === 'MemberExpression') continue;
      if (this.insideFunction(c, u)) continue;
      this.chain(c, scope, env, undefined);
    }
  }

  private insideFunction(n: Node, root: Node): boolean {
    for (let p = n.parent; p && p !== root; p = p.parent) if (isFunction(p)) return true;
    return false;
  }

  /** `for (const x of ["a", "b"])`, `for (const [name, fn] of Object.entries(NODES))`: the body once per item. */
  private forOf(st: Node, scope: Scope, env: Env): void {
    const spec = st.getChild('ForOfSpec');
    const body = children(st).filter((k) => k.name !== 'for' && k.name !== 'ForOfSpec' && k.name !== 'ForSpec' && k.name !== 'ForInSpec').pop();
    if (!body) return;
    if (!spec) {
      this.statement(body, scope, env);
      return;
    }
    const kids = children(spec);
    const of = kids.findIndex((k) => k.name === 'of');
    const pattern = kids.slice(0, of).find((k) => k.name === 'VariableDefinition' || k.name === 'ArrayPattern');
    const iter = unwrap(kids[of + 1], this.src);
    const vars = pattern?.name === 'ArrayPattern' ? children(pattern).filter((k) => k.name === 'VariableDefinition') : pattern ? [pattern] : [];
    const names = vars.map((v) => this.src.of(v));
    let items: Node[][] | undefined;
    const resolved = iter ? this.resolve(iter, scope, env) : undefined;
    const arr = arrayItems(resolved, this.src);
    if (arr && !arr.spread) items = arr.items.map((i) => (pattern?.name === 'ArrayPattern' ? arrayItems(i, this.src)?.items ?? [] : [i]));
    const m = iter && methodCall(iter, this.src);
    if (!items && iter?.name === 'CallExpression' && m && /^Object$/.test(this.src.of(m.receiver)) && ['entries', 'keys', 'values'].includes(m.method)) {
      const obj = objectEntries(this.resolve(argsOf(iter, this.src).positional[0] ?? iter, scope, env), this.src);
      if (obj && !obj.spread) {
        items = obj.entries.map((e) => (m.method === 'entries' ? [e.keyNode, e.value] : m.method === 'keys' ? [e.keyNode] : [e.value]));
      }
    }
    if (items) {
      for (const item of items) {
        const e = new Map(env);
        names.forEach((n, i) => item[i] && e.set(n, item[i]));
        this.statement(body, scope, e);
      }
      return;
    }
    const e = new Map(env);
    for (const n of names) e.delete(n);
    this.statement(body, scope, e);
  }

  // ---- builders -----------------------------------------------------------------------------------------------

  /**
   * A chain that creates or acts on a builder: `new StateGraph(S)`, `builder.addNode(...)`,
   * `new StateGraph(S).addNode(...).compile()`, `builder.compile(...)`. Returns the builder it touched.
   */
  private chain(n: Node, scope: Scope, env: Env, assignedTo: string | undefined): Builder | undefined {
    const links: Node[] = [];
    let cur: Node | undefined = unwrap(n, this.src);
    while (cur?.name === 'CallExpression') {
      const m = methodCall(cur, this.src);
      if (!m) break;
      links.unshift(cur);
      cur = unwrap(m.receiver, this.src);
    }
    if (!cur) return undefined;
    let builder: Builder | undefined;
    if (cur.name === 'NewExpression' && isSymbol(qualified(calleeOf(cur), scope, this.src), 'StateGraph') && this.fromLangGraph(calleeOf(cur), scope)) {
      builder = this.newBuilder(cur, scope, assignedTo);
    } else if (cur.name === 'VariableName' && links.length > 0) {
      builder = this.byVar.get(this.src.of(cur));
      if (!builder || !this.visible(builder, scope)) return undefined;
    } else return undefined;
    for (const link of links) {
      const m = methodCall(link, this.src)!;
      if (m.method === 'compile') this.compile(builder, link, scope, env);
      else if (INVOKE.has(m.method)) this.config(builder, link, scope);
      else this.builderCall(builder, m.method, link, scope, env);
    }
    if (assignedTo) {
      const last = links.length > 0 ? methodCall(links[links.length - 1], this.src)?.method : undefined;
      if (last === undefined || last === 'compile' || last === 'withConfig' || !INVOKE.has(last)) this.alias(builder, assignedTo);
    }
    return builder;
  }

  private visible(b: Builder, scope: Scope): boolean {
    for (let s: Scope | undefined = scope; s; s = s.parent) if (s === b.scope) return true;
    return b.scope === this.module;
  }

  private fromLangGraph(callee: Node | undefined, scope: Scope): boolean {
    const q = qualified(callee, scope, this.src) ?? '';
    if (q.startsWith('@langchain/langgraph')) return true;
    return q === 'StateGraph' && !scope.lookup('StateGraph') && this.src.text.includes('@langchain/langgraph');
  }

  private newBuilder(call: Node, scope: Scope, name: string | undefined): Builder {
    const a = argsOf(call, this.src).positional;
    let stateSchema: Node | undefined = a[0];
    let inputSchema: Node | undefined;
    // new StateGraph({ state, input, output }), { stateSchema }, or the legacy { channels }
    const opts = objectEntries(stateSchema, this.src);
    if (opts && opts.entries.some((e) => e.key === 'state' || e.key === 'stateSchema' || e.key === 'input' || e.key === 'channels')) {
      const get = (k: string) => opts.entries.find((e) => e.key === k);
      const s = get('state') ?? get('stateSchema');
      const i = get('input');
      stateSchema = s ? this.entryValue(s) : get('channels') ? undefined : i ? this.entryValue(i) : undefined;
      inputSchema = i ? this.entryValue(i) : undefined;
      if (get('channels')) stateSchema = get('channels')!.value;
    }
    // new StateGraph(State, { input, output }) (1.x)
    const second = objectEntries(a[1], this.src)?.entries.find((e) => e.key === 'input');
    if (second) inputSchema = this.entryValue(second);
    const b: Builder = {
      name: name ?? `graph_${this.builders.length + 1}`,
      aliases: [],
      call,
      callee: calleeOf(call) ?? call,
      scope,
      stateSchema,
      inputSchema,
      nodes: new Map(),
      edges: [],
      dynamic: new Map(),
      guards: new Map(),
      interrupts: [],
    };
    this.builders.push(b);
    if (name) this.byVar.set(name, b);
    return b;
  }

  private entryValue(e: Entry): Node {
    return e.value;
  }

  private alias(b: Builder, name: string): void {
    if (name !== b.name && !b.aliases.includes(name)) b.aliases.push(name);
    this.byVar.set(name, b);
  }

  /** A value through loop variables and `const` bindings. */
  resolve(n: Node, scope: Scope, env: Env, depth = 0): Node {
    const u = unwrap(n, this.src) ?? n;
    if (depth > 6) return u;
    if (u.name === 'AwaitExpression') {
      const inner = exprChildren(u)[0];
      return inner ? this.resolve(inner, scope, env, depth + 1) : u;
    }
    if (u.name !== 'VariableName' && u.name !== 'PropertyDefinition') return u;
    const name = this.src.of(u);
    const bound = env.get(name);
    if (bound && bound !== u) return this.resolve(bound, scope, env, depth + 1);
    const b = scope.lookup(name);
    if (b?.kind === 'value') return this.resolve(b.node, scope, env, depth + 1);
    return u;
  }

  private name(n: Node | undefined, scope: Scope, env: Env): string | undefined {
    if (!n) return undefined;
    const u = unwrap(n, this.src) ?? n;
    if (u.name === 'VariableName' && env.has(this.src.of(u))) return this.name(env.get(this.src.of(u)), scope, env);
    if (u.name === 'PropertyDefinition' || u.name === 'PropertyName') return this.src.of(u); // an object key used as a name
    return this.fr.targetName(u, scope);
  }

  // ---- builder calls ------------------------------------------------------------------------------------------

  private builderCall(b: Builder, method: string, call: Node, scope: Scope, env: Env): void {
    const p = argsOf(call, this.src).positional;
    switch (method) {
      case 'addNode': {
        const first = this.resolve(p[0] ?? call, scope, env);
        const obj = objectEntries(first, this.src);
        const arr = arrayItems(first, this.src);
        if (p.length === 1 && obj) {
          // addNode({ a: fnA, b: fnB })
          for (const e of obj.entries) {
            const id = e.key ?? (e.computed ? this.name(e.computed, scope, env) : undefined);
            if (id === undefined) this.unknown(e.keyNode, 'a node whose name is computed at run time');
            else this.addNode(b, id, e.keyNode, e.keyNode.parent ?? e.keyNode, e.method ? e.value : e.value, undefined, scope, env);
          }
          if (obj.spread) this.unknown(first, 'nodes spread from an object built at run time');
          return;
        }
        if (p.length === 1 && arr) {
          // addNode([["a", fnA, opts], ...])
          for (const item of arr.items) this.tupleNode(b, item, scope, env);
          if (arr.spread) this.unknown(first, 'nodes spread from an array built at run time');
          return;
        }
        const id = this.name(p[0], scope, env);
        if (id === undefined) {
          this.unknown(p[0] ?? call, 'a node whose name is computed at run time');
          return;
        }
        this.addNode(b, id, p[0], call, p[1], p[2], scope, env);
        return;
      }
      case 'addEdge': {
        const to = this.name(p[1], scope, env);
        const start = p[0] ? this.resolve(p[0], scope, env) : undefined;
        const arr = arrayItems(start, this.src);
        const sources = arr ? arr.items.map((s) => this.name(s, scope, env)) : [this.name(p[0], scope, env)];
        if (to === undefined || sources.some((s) => s === undefined) || arr?.spread) {
          this.unknown(call, 'an edge whose ends are computed at run time');
          return;
        }
        // A join (several sources): the target waits for all of them, so what each writes reaches it.
        const join = sources.length > 1 ? `${to}@${call.from}` : undefined;
        for (const s of sources) b.edges.push({ from: s!, to, kind: 'next', range: this.range(p[1] ?? call), ...(join ? { join } : {}) });
        return;
      }
      case 'addConditionalEdges': {
        let source: Node | undefined = p[0];
        let path: Node | undefined = p[1];
        let pathMap: Node | undefined = p[2];
        const opts = objectEntries(p[0] ? this.resolve(p[0], scope, env) : undefined, this.src);
        if (p.length === 1 && opts) {
          const get = (k: string) => opts.entries.find((e) => e.key === k)?.value;
          source = get('source');
          path = get('path');
          pathMap = get('pathMap');
        }
        const from = this.name(source, scope, env);
        if (from === undefined) {
          this.unknown(source ?? call, 'a conditional edge from a node named at run time');
          return;
        }
        this.conditional(b, from, path, pathMap, call, scope, env);
        return;
      }
      case 'setEntryPoint': {
        const to = this.name(p[0], scope, env);
        if (to !== undefined) b.edges.push({ from: START_ID, to, kind: 'next', range: this.range(p[0]!) });
        return;
      }
      case 'setFinishPoint': {
        const from = this.name(p[0], scope, env);
        if (from !== undefined) b.edges.push({ from, to: END_ID, kind: 'next', range: this.range(p[0]!) });
        return;
      }
      case 'addSequence': {
        const first = p[0] ? this.resolve(p[0], scope, env) : undefined;
        const arr = arrayItems(first, this.src);
        const obj = objectEntries(first, this.src);
        const ids: { id: string; node: Node }[] = [];
        if (arr) for (const item of arr.items) {
          const id = this.tupleNode(b, item, scope, env);
          if (id) ids.push(id);
        }
        else if (obj) for (const e of obj.entries) {
          if (e.key === undefined) continue;
          this.addNode(b, e.key, e.keyNode, e.keyNode.parent ?? e.keyNode, e.value, undefined, scope, env);
          ids.push({ id: e.key, node: e.keyNode });
        }
        else {
          this.unknown(call, 'a sequence built at run time');
          return;
        }
        for (let i = 1; i < ids.length; i++) b.edges.push({ from: ids[i - 1].id, to: ids[i].id, kind: 'next', range: this.range(ids[i].node) });
        return;
      }
      case 'setNodeDefaults': {
        const opts = objectEntries(p[0] ? this.resolve(p[0], scope, env) : undefined, this.src);
        if (!opts) return;
        for (const e of opts.entries) {
          if (e.key === 'retryPolicy') b.defaultsRetry = this.retryPolicy(e.value, scope, env, 'defaults');
          else if (e.key === 'errorHandler') b.defaultsHandler = { range: this.range(e.keyNode), targets: this.handlerTargets(e.value, scope, env) };
          else if (e.key === 'timeout') {
            const t = this.timeout(e.value, scope, env);
            if (t !== undefined) b.defaultsTimeout = { value: t, range: this.range(e.keyNode) };
          }
        }
        return;
      }
      default:
        return;
    }
  }

  /** `["a", fnA, opts]` of addNode([...]) / addSequence([...]). */
  private tupleNode(b: Builder, item: Node, scope: Scope, env: Env): { id: string; node: Node } | undefined {
    const t = arrayItems(this.resolve(item, scope, env), this.src)?.items;
    if (!t || t.length < 2) {
      this.unknown(item, 'a node built at run time');
      return undefined;
    }
    const id = this.name(t[0], scope, env);
    if (id === undefined) {
      this.unknown(t[0], 'a node whose name is computed at run time');
      return undefined;
    }
    this.addNode(b, id, t[0], item, t[1], t[2], scope, env);
    return { id, node: t[0] };
  }

  private unknown(at: Node, what: string): void {
    this.diagnostics.push({
      code: 'AG005', severity: 'warning', range: this.range(at),
      message: `${what}: AgentGraph reads graphs without running them, so this part of the graph is unknown to the analysis; name nodes and edges with string literals or constants`,
    });
  }

  /** What an action expression is: a function, a compiled graph, a prebuilt agent, a ToolNode. */
  private resolveAction(n: Node | undefined, scope: Scope, env: Env, depth = 0): Action {
    const u = n && (unwrap(n, this.src) ?? n);
    if (!u || depth > 6) return { kind: 'unknown' };
    if (u.name === 'VariableName' || u.name === 'PropertyDefinition') {
      const name = this.src.of(u);
      const bound = env.get(name);
      if (bound && bound !== u) return this.resolveAction(bound, scope, env, depth + 1);
      const bb = this.byVar.get(name);
      if (bb) return { kind: 'subgraph', builder: bb, name };
      const b = scope.lookup(name);
      if (b?.kind === 'def') return { kind: 'def', node: b.node, name };
      if (b?.kind === 'value') {
        if (requireOf(b.node, this.src) !== undefined) return { kind: 'call', name, importRef: this.importPath(requireOf(b.node, this.src)!, undefined) };
        const r = this.resolveAction(b.node, scope, env, depth + 1);
        return { ...r, name: r.name ?? name };
      }
      if (b?.kind === 'import') return { kind: 'call', name, importRef: this.importPath(b.module, b.name) };
      return { kind: 'unknown', name };
    }
    if (isFunction(u)) return { kind: 'def', node: u, name: this.src.of(u.getChild('VariableDefinition')) || undefined, scope };
    if (u.name === 'Property') return { kind: 'def', node: u, name: this.src.of(u.getChild('PropertyDefinition')) || undefined, scope };
    if (u.name === 'AwaitExpression') return this.resolveAction(exprChildren(u)[0], scope, env, depth + 1);
    if (u.name === 'CallExpression' || u.name === 'NewExpression') {
      const q = qualified(calleeOf(u), scope, this.src) ?? '';
      const last = q.split(/[.:]/).pop() ?? '';
      if (['createReactAgent', 'createAgent', 'createSupervisor', 'createSwarm'].includes(last)) return { kind: 'agent', node: u };
      if (last === 'ToolNode') return { kind: 'tools', node: u };
      const m = methodCall(u, this.src);
      // RunnableLambda.from(fn), new RunnableLambda({ func: fn })
      if ((m?.method === 'from' && /RunnableLambda$/.test(this.src.of(m.receiver))) || (u.name === 'NewExpression' && last === 'RunnableLambda')) {
        const arg = argsOf(u, this.src).positional[0];
        const inner = u.name === 'NewExpression' ? entryOf(arg, 'func', this.src)?.value : arg;
        return this.resolveAction(inner, scope, env, depth + 1);
      }
      if (m?.method === 'compile') {
        const recv = unwrap(m.receiver, this.src);
        const inner = recv?.name === 'VariableName' ? this.byVar.get(this.src.of(recv)) : undefined;
        if (inner) return { kind: 'subgraph', builder: inner };
        const r = this.resolveAction(m.receiver, scope, env, depth + 1);
        if (r.kind === 'subgraph' || r.importRef) return { ...r, kind: 'subgraph' };
        // new StateGraph(S)...compile() written inline as the action
        const chained = this.builders.find((x) => x.call.from >= u.from && x.call.to <= u.to);
        if (chained) return { kind: 'subgraph', builder: chained };
      }
      if (m && ['withConfig', 'withRetry', 'withFallbacks'].includes(m.method)) return this.resolveAction(m.receiver, scope, env, depth + 1);
      // buildGraph() returning a compiled graph built in this module
      const callee = calleeOf(u);
      const fnb = callee?.name === 'VariableName' ? scope.lookup(this.src.of(callee)) : undefined;
      const fnNode = fnb?.kind === 'def' ? fnb.node : fnb?.kind === 'value' && isFunction(fnb.node) ? fnb.node : undefined;
      if (fnNode) {
        const made = this.builders.find((x) => x.call.from >= fnNode.from && x.call.to <= fnNode.to);
        if (made) return { kind: 'subgraph', builder: made };
      }
      return { kind: 'call', node: u };
    }
    if (u.name === 'MemberExpression') return { kind: 'unknown', name: this.src.of(u).split('.').pop() };
    return { kind: 'unknown' };
  }

  /**
   * The address of a module of the project, relative to this file: `./kyc.ts#kycGraph` for
   * `import { kycGraph } from "./kyc.js"` (TypeScript's own convention: a `.js` specifier names the `.ts` file
   * it compiles from); a package import stays opaque.
   */
  private importPath(module: string, name: string | undefined): string | undefined {
    if (!module.startsWith('.') && !module.startsWith('/')) return undefined;
    let file = module;
    const ext = /\.(m|c)?(j|t)sx?$/.exec(file);
    if (ext) {
      if (this.isTs && ext[2] === 'j') file = file.slice(0, -ext[0].length) + `.${ext[1] ?? ''}ts${ext[0].endsWith('x') ? 'x' : ''}`;
    } else file += this.isTs ? '.ts' : '.js';
    const graph = name && name !== 'default' && name !== '*' ? `#${name}` : '';
    return `${file}${graph}`;
  }

  private actionName(a: Action): string | undefined {
    if (a.explicitName && a.name) return a.name;
    return a.name;
  }

  private addNode(b: Builder, id: string, idNode: Node | undefined, call: Node, action: Node | undefined, options: Node | undefined, scope: Scope, env: Env): void {
    if (b.nodes.has(id)) return; // LangGraph throws on a duplicate; the first one is the one that stands
    const at = idNode ?? call;
    const fields = new Map<string, Range>();
    const opts = options ? objectEntries(this.resolve(options, scope, env), this.src) : undefined;
    for (const e of opts?.entries ?? []) if (e.key) fields.set(e.key === 'retryPolicy' ? 'retry_policy' : e.key, this.range(e.keyNode));
    const d: JsNodeDraft = { id, range: this.range(at), bodyRange: this.range(call), kind: 'function', fields, fallbackModels: [], tools: [], reads: [], writes: [] };
    const a = this.resolveAction(action, scope, env);
    if (a.kind === 'subgraph') {
      d.kind = 'subgraph';
      if (a.builder) d.graph = { value: `#${a.builder.name}`, range: d.range };
      else if (a.importRef) d.graph = { value: a.importRef, range: d.range };
    } else if (a.kind === 'call' && a.importRef && !a.node) {
      // An imported name: a function of another module, or a compiled graph there. Its name says which.
      if (/graph|agent|workflow|app$/i.test(a.name ?? '')) {
        d.kind = 'subgraph';
        d.graph = { value: a.importRef, range: d.range };
      }
    } else if (a.kind === 'agent' && a.node) this.agentNode(d, a.node, scope, env);
    else if (a.kind === 'tools' && a.node) this.toolNode(d, a.node, scope, env);
    else if (a.kind === 'def' && a.node) this.functionNode(d, a.node, a.scope ?? scope, env);

    const get = (k: string) => opts?.entries.find((e) => e.key === k);
    const rp = get('retryPolicy');
    if (rp) d.retry = this.retryPolicy(rp.value, scope, env, 'node') ?? d.retry;
    const eh = get('errorHandler');
    if (eh) {
      d.errorTargets = this.handlerTargets(eh.value, scope, env);
      d.errorRange = this.range(eh.keyNode);
    }
    const to = get('timeout');
    const t = to ? this.timeout(to.value, scope, env) : undefined;
    if (to && t !== undefined) d.timeoutS = { value: t, range: this.range(to.keyNode) };
    const ends = get('ends');
    if (ends) {
      const items = arrayItems(this.resolve(ends.value, scope, env), this.src);
      const ts = items?.items.map((i) => ({ to: this.name(i, scope, env), node: i }));
      if (ts && !items!.spread && ts.every((x) => x.to !== undefined)) d.ends = ts as Target[];
      else this.unknown(ends.value, 'Command destinations computed at run time');
    }
    const subs = get('subgraphs');
    if (subs && d.kind !== 'subgraph') {
      const first = arrayItems(this.resolve(subs.value, scope, env), this.src)?.items[0];
      const s = first ? this.resolveAction(first, scope, env) : undefined;
      const ref = s?.builder ? `#${s.builder.name}` : s?.importRef;
      if (ref) {
        d.kind = 'subgraph';
        d.calledFromCode = true;
        d.graph = { value: ref, range: this.range(subs.keyNode) };
      }
    }
    b.nodes.set(id, d);
  }

  private handlerTargets(eh: Node, scope: Scope, env: Env): Target[] | undefined {
    const a = this.resolveAction(eh, scope, env);
    if (a.kind !== 'def' || !a.node) return undefined;
    const f = this.fr.facts(a.node, a.scope ?? scope);
    return f.commandTargets && f.commandTargets.length > 0 ? [...f.commandTargets] : undefined;
  }

  /** `{ maxAttempts: 3, ... }`; LangGraph's own default is 3 attempts. */
  private retryPolicy(n: Node, scope: Scope, env: Env, origin: Origin): RetryPolicy | undefined {
    const r = this.resolve(n, scope, env);
    const obj = objectEntries(r, this.src);
    if (obj) {
      const max = numberValue(this.resolveValue(obj.entries.find((e) => e.key === 'maxAttempts')?.value, scope, env), this.src);
      const attempts = max !== undefined && max >= 1 ? Math.floor(max) : 3;
      return { none: false, attempts, backoff: 'exponential', range: this.range(n), origin };
    }
    if (/^(undefined|null|false)$/.test(this.src.of(r))) return undefined;
    return { none: false, attempts: 3, range: this.range(n), origin };
  }

  private resolveValue(n: Node | undefined, scope: Scope, env: Env): Node | undefined {
    return n ? this.resolve(n, scope, env) : undefined;
  }

  /** A node timeout in seconds: `timeout: 30_000` (milliseconds) or `{ runTimeout: ms }`. */
  private timeout(n: Node, scope: Scope, env: Env): number | undefined {
    const r = this.resolve(n, scope, env);
    const ms = numberValue(r, this.src) ?? numberValue(this.resolveValue(entryOf(r, 'runTimeout', this.src)?.value ?? entryOf(r, 'timeout', this.src)?.value, scope, env), this.src);
    return ms !== undefined && ms > 0 ? ms / 1000 : undefined;
  }

  // ---- what a node's action is --------------------------------------------------------------------------------

  private functionNode(d: JsNodeDraft, def: Node, scope: Scope, env: Env): void {
    const f = this.fr.facts(def, scope);
    d.facts = f;
    const fscope = this.fr.scopeOf(def, scope);
    if (applyFacts(d, f)) return;
    for (const recv of this.fr.invokedReceivers(f)) {
      const target = this.resolve(recv, fscope, env);
      const model = this.modelOf(target, fscope, env, recv);
      if (model) {
        d.kind = 'llm';
        applyModel(d, model, this.range(recv), true);
        break;
      }
      const sub = this.resolveAction(recv, fscope, env);
      if (sub.kind === 'subgraph' && (sub.builder || sub.importRef)) {
        d.kind = 'subgraph';
        d.calledFromCode = true;
        d.graph = { value: sub.builder ? `#${sub.builder.name}` : sub.importRef!, range: this.range(recv) };
        break;
      }
      if (sub.kind === 'call' && sub.importRef && /graph|agent|workflow|app$/i.test(sub.name ?? '')) {
        d.kind = 'subgraph';
        d.calledFromCode = true;
        d.graph = { value: sub.importRef, range: this.range(recv) };
        break;
      }
      if (sub.kind === 'agent' && sub.node) {
        this.agentNode(d, sub.node, fscope, env);
        break;
      }
    }
    if (f.catchesAll && d.kind !== 'function') d.handledInCode = this.range(f.catchesAll);
  }

  private agentNode(d: NodeDraft, call: Node, scope: Scope, env: Env): void {
    d.kind = 'agent';
    const opts = objectEntries(this.resolve(argsOf(call, this.src).positional[0] ?? call, scope, env), this.src);
    const get = (k: string) => opts?.entries.find((e) => e.key === k);
    const modelArg = get('llm') ?? get('model');
    if (modelArg) {
      const v = modelArg.value;
      const m = this.modelOf(this.resolve(v, scope, env), scope, env, v);
      if (m) applyModel(d, m, this.range(v));
    }
    const toolsArg = get('tools');
    d.tools = toolsArg ? this.toolRefs(toolsArg.value, scope, env) : [];
    // createAgent's call-limit middleware bounds its loop; nothing else does but the recursion limit.
    const mw = get('middleware');
    for (const item of (mw ? arrayItems(this.resolve(mw.value, scope, env), this.src)?.items : undefined) ?? []) {
      const r = this.resolve(item, scope, env);
      if (r.name !== 'CallExpression' && r.name !== 'NewExpression') continue;
      const q = qualified(calleeOf(r), scope, this.src) ?? '';
      const arg = argsOf(r, this.src).positional[0];
      const num = (k: string) => numberValue(this.resolveValue(entryOf(arg ? this.resolve(arg, scope, env) : undefined, k, this.src)?.value, scope, env), this.src);
      const limit = num('runLimit') ?? num('threadLimit');
      if (/(modelCallLimitMiddleware|toolCallLimitMiddleware|ModelCallLimitMiddleware|ToolCallLimitMiddleware)$/.test(q) && limit !== undefined) d.agentLimit = Math.min(d.agentLimit ?? Infinity, limit);
      if (/(model|tool)RetryMiddleware$/i.test(q)) d.retry = { none: false, attempts: (num('maxRetries') ?? 2) + 1, range: this.range(item), origin: 'node' };
      if (/modelFallbackMiddleware$/i.test(q)) {
        for (const fb of argsOf(r, this.src).positional) {
          const fm = this.modelOf(this.resolve(fb, scope, env), scope, env, fb);
          if (fm) d.fallbackModels.push({ value: fm.name, range: this.range(fb) });
        }
      }
      if (/humanInTheLoopMiddleware$/i.test(q)) d.approval = { value: 'human', range: this.range(item) };
    }
    d.fields.set('max_iterations', this.range(calleeOf(call) ?? call));
  }

  private toolNode(d: NodeDraft, call: Node, scope: Scope, env: Env): void {
    d.kind = 'tool';
    const a = argsOf(call, this.src).positional;
    d.tools = this.toolRefs(a[0], scope, env);
    d.tool = d.tools[0];
    // JS's ToolNode turns a failing tool into an error message by default (handleToolErrors: true).
    const hte = entryOf(a[1] ? this.resolve(a[1], scope, env) : undefined, 'handleToolErrors', this.src);
    if (!hte || booleanValue(hte.value, this.src) !== false) d.handledInCode = this.range(hte?.keyNode ?? calleeOf(call) ?? call);
  }

  private toolRefs(n: Node | undefined, scope: Scope, env: Env): Ref[] {
    if (!n) return [];
    const items = arrayItems(this.resolve(n, scope, env), this.src)?.items ?? [];
    const out: Ref[] = [];
    for (const i of items) {
      const u = unwrap(i, this.src) ?? i;
      const name = u.name === 'VariableName' ? this.src.of(u) : u.name === 'CallExpression' || u.name === 'NewExpression' ? this.src.of(calleeOf(u)) : this.src.of(u);
      const tool = name.replace(/^.*\./, '');
      out.push({ value: tool, range: this.range(i) });
      if (!this.tools.has(tool)) this.tools.set(tool, { name: tool, idempotent: true, range: this.range(i) });
    }
    return out;
  }

  /** A chat model behind an expression: its profile name, output cap, retries and fallbacks. */
  private modelOf(n: Node, scope: Scope, env: Env, at: Node, depth = 0): ModelRead | undefined {
    if (depth > 8) return undefined;
    const u = unwrap(n, this.src) ?? n;
    if (u.name === 'VariableName') {
      const b = scope.lookup(this.src.of(u));
      if (b?.kind === 'value') return this.modelOf(b.node, scope, env, b.target, depth + 1);
      return undefined;
    }
    if (u.name === 'AwaitExpression') {
      const inner = exprChildren(u)[0];
      return inner ? this.modelOf(inner, scope, env, at, depth + 1) : undefined;
    }
    if (u.name === 'String' && depth === 0 && at === n) {
      // createAgent({ model: "openai:gpt-4o-mini" })
      const s = stringValue(u, this.src);
      return s ? this.profile(s, undefined, s, u, undefined, undefined) : undefined;
    }
    if (u.name !== 'CallExpression' && u.name !== 'NewExpression') return undefined;
    const m = methodCall(u, this.src);
    if (m && MODEL_WRAPPERS.has(m.method)) {
      const a = argsOf(u, this.src).positional;
      if (m.method === 'pipe') {
        // prompt.pipe(model).pipe(parser): the model of the chain
        for (const part of [...a, m.receiver]) {
          const mm = this.modelOf(this.resolve(part, scope, env), scope, env, part, depth + 1);
          if (mm) return mm;
        }
        return undefined;
      }
      const base = this.modelOf(this.resolve(m.receiver, scope, env), scope, env, m.receiver, depth + 1);
      if (!base) return undefined;
      if (m.method === 'withRetry') {
        const k = numberValue(entryOf(a[0], 'stopAfterAttempt', this.src)?.value, this.src);
        return { ...base, retry: { none: false, attempts: k ?? 3, backoff: 'exponential', range: this.range(u), origin: 'node' } };
      }
      if (m.method === 'withFallbacks') {
        const list = arrayItems(a[0], this.src)?.items ?? arrayItems(entryOf(a[0], 'fallbacks', this.src)?.value, this.src)?.items ?? [];
        const names = list.map((f) => this.modelOf(this.resolve(f, scope, env), scope, env, f, depth + 1)?.name).filter((x): x is string => !!x);
        return { ...base, fallbacks: [...base.fallbacks, ...names] };
      }
      const cap = m.method === 'bind' || m.method === 'withConfig' ? OUTPUT_CAPS.map((c) => numberValue(entryOf(a[0], c, this.src)?.value, this.src)).find((v) => v !== undefined) : undefined;
      return cap !== undefined ? { ...base, cap } : base;
    }
    // RunnableSequence.from([prompt, model, parser])
    if (m?.method === 'from' && /RunnableSequence$/.test(this.src.of(m.receiver))) {
      for (const part of arrayItems(argsOf(u, this.src).positional[0], this.src)?.items ?? []) {
        const mm = this.modelOf(this.resolve(part, scope, env), scope, env, part, depth + 1);
        if (mm) return mm;
      }
      return undefined;
    }
    const callee = qualified(calleeOf(u), scope, this.src) ?? '';
    const cls = callee.split(/[.:]/).pop() ?? '';
    if (!CHAT_MODEL.test(cls)) return undefined;
    if (cls === 'initChatModel' ? u.name !== 'CallExpression' : u.name !== 'NewExpression') return undefined;
    const a = argsOf(u, this.src).positional;
    const first = stringValue(a[0], this.src);
    const opts = first !== undefined ? a[1] : a[0];
    const o = (k: string) => entryOf(opts ? this.resolve(opts, scope, env) : undefined, k, this.src)?.value;
    let provider = providerOfConstructor(cls);
    let modelId = first ?? stringValue(o('model') ?? o('modelName') ?? o('deploymentName') ?? o('azureOpenAIApiDeploymentName') ?? o('modelId'), this.src);
    if (cls === 'initChatModel' && modelId) {
      const parsed = parseModelString(modelId);
      modelId = parsed.model;
      provider = stringValue(o('modelProvider'), this.src) ?? parsed.provider;
    }
    const cap = OUTPUT_CAPS.map((c) => numberValue(this.resolveValue(o(c), scope, env), this.src)).find((v) => v !== undefined);
    const retries = numberValue(o('maxRetries'), this.src);
    const name = at.name === 'VariableName' || at.name === 'VariableDefinition' ? this.src.of(at) : modelId ?? cls;
    return this.profile(name, provider, modelId, u, cap, retries);
  }

  private profile(name: string, provider: string | undefined, modelId: string | undefined, at: Node, cap: number | undefined, retries: number | undefined): ModelRead {
    if (provider === undefined && modelId) {
      const parsed = parseModelString(modelId);
      if (parsed.provider) {
        provider = parsed.provider;
        modelId = parsed.model;
      }
    }
    if (!this.models.has(name)) {
      const price = modelId ? lookupPrice(provider, modelId) : undefined;
      this.models.set(name, {
        name, provider, model: modelId,
        inputUsdPerMtok: price?.inputUsdPerMtok, outputUsdPerMtok: price?.outputUsdPerMtok,
        allows: [], range: this.range(at),
      });
    }
    return {
      name, cap,
      retry: retries !== undefined && retries > 0 ? { none: false, attempts: retries + 1, backoff: 'exponential', range: this.range(at), origin: 'node' } : undefined,
      fallbacks: [],
    };
  }

  // ---- conditional edges, compile, configs ----------------------------------------------------------------------

  private conditional(b: Builder, from: string, path: Node | undefined, pathMap: Node | undefined, call: Node, scope: Scope, env: Env): void {
    const a = this.resolveAction(path, scope, env);
    const facts = a.kind === 'def' && a.node ? this.fr.facts(a.node, a.scope ?? scope) : undefined;
    if (facts) {
      for (const g of facts.guards) {
        const exit = g.targets[0];
        if (exit && !b.guards.has(from)) b.guards.set(from, { text: `${facts.name === '<anonymous>' ? 'router' : facts.name}: ${g.text}`, range: this.range(g.test), bound: g.bound, target: exit.to });
      }
    }
    if (pathMap) {
      const r = this.resolve(pathMap, scope, env);
      const d = objectEntries(r, this.src);
      if (d) {
        for (const e of d.entries) {
          const label = e.key ?? (e.computed ? this.name(e.computed, scope, env) : undefined) ?? this.src.of(e.keyNode);
          const to = this.name(e.shorthand ? e.keyNode : e.value, scope, env);
          if (to === undefined) {
            this.unknown(e.value, 'a path map target computed at run time');
            b.dynamic.set(from, this.range(e.value));
            continue;
          }
          b.edges.push({ from, to, kind: 'route', label: label === END_ID ? 'END' : label, range: this.range(e.shorthand ? e.keyNode : e.value) });
        }
        if (d.spread) b.dynamic.set(from, this.range(pathMap));
        return;
      }
      const items = arrayItems(r, this.src);
      if (items) {
        for (const i of items.items) {
          const to = this.name(i, scope, env);
          if (to !== undefined) b.edges.push({ from, to, kind: 'route', range: this.range(i) });
          else b.dynamic.set(from, this.range(i));
        }
        if (items.spread) b.dynamic.set(from, this.range(pathMap));
        return;
      }
      b.dynamic.set(from, this.range(pathMap));
      return;
    }
    // No path map: JS has no return types to read. Every return a literal, END or Send: inferred routes.
    if (facts?.returns && facts.returns.length > 0) {
      const seen = new Set<string>();
      for (const t of facts.returns) {
        const key = `${t.send ? 's' : 'r'}${t.to}`;
        if (seen.has(key)) continue;
        seen.add(key);
        b.edges.push({ from, to: t.to, kind: t.send ? 'fanout' : 'route', range: this.range(t.node), inferred: true });
      }
      return;
    }
    b.dynamic.set(from, this.range(path ?? call));
  }

  private compile(b: Builder, call: Node, scope: Scope, env: Env): void {
    const opts = objectEntries(argsOf(call, this.src).positional[0] ? this.resolve(argsOf(call, this.src).positional[0], scope, env) : undefined, this.src);
    for (const e of opts?.entries ?? []) {
      if (e.key === 'name') {
        const v = stringValue(e.value, this.src);
        if (v) b.compiledName = { value: v, range: this.range(e.value) };
      } else if (e.key === 'interruptBefore' || e.key === 'interruptAfter') {
        const r = this.resolve(e.shorthand ? e.keyNode : e.value, scope, env);
        if (stringValue(r, this.src) === '*') b.interrupts.push({ names: '*', range: this.range(e.keyNode) });
        else {
          const items = arrayItems(r, this.src)?.items ?? [];
          b.interrupts.push({ names: items.map((i) => this.name(i, scope, env)).filter((x): x is string => !!x), range: this.range(e.keyNode) });
        }
      }
    }
  }

  /** `recursionLimit` in a config literal passed to the compiled graph. */
  private config(b: Builder, call: Node, scope: Scope): void {
    for (const arg of argsOf(call, this.src).positional) {
      const r = this.resolve(arg, scope, new Map());
      const e = entryOf(r, 'recursionLimit', this.src);
      if (!e) continue;
      const n = numberValue(this.resolve(e.shorthand ? e.keyNode : e.value, scope, new Map()), this.src);
      if (n !== undefined) {
        b.steps = n;
        b.stepsRange = this.range(e.value);
      }
    }
  }

  /** Invocations of compiled graphs anywhere in the module (`await graph.invoke(input, { recursionLimit: 40 })`). */
  private invocations(): void {
    for (const c of allDescendants(this.module.node, new Set(['CallExpression']))) {
      const m = methodCall(c, this.src);
      if (!m || !INVOKE.has(m.method)) continue;
      let recv: Node | undefined = unwrap(m.receiver, this.src);
      while (recv?.name === 'CallExpression') {
        const mm = methodCall(recv, this.src);
        if (!mm) break;
        recv = unwrap(mm.receiver, this.src);
      }
      const b = recv?.name === 'VariableName' ? this.byVar.get(this.src.of(recv)) : undefined;
      if (b) this.config(b, c, this.scopeAt(c));
    }
  }

  /** The scope of the function around a node (for a config variable declared in it). */
  private scopeAt(n: Node): Scope {
    const fns: Node[] = [];
    for (let p = n.parent; p; p = p.parent) if (isFunction(p)) fns.unshift(p);
    let s = this.module;
    for (const f of fns) s = this.fr.scopeOf(f, s);
    return s;
  }

  // ---- the IR -------------------------------------------------------------------------------------------------

  finish(): ExtractResult {
    this.invocations();
    const ctx = { uri: this.uri, runtime: JS_RUNTIME, models: this.models, tools: this.tools, keepUndeclaredReads: false };
    const graphs = this.builders.map((b) => {
      for (const d of b.nodes.values()) this.commandsOf(d);
      return assemble(b, this.stateKeys(b), ctx);
    });
    return { graphs: mainFirst(graphs, this.builders.map((b) => b.name)), diagnostics: this.diagnostics };
  }

  /** Where a node's code sends the run: `{ ends: [...] }` declares it; literal gotos returned are read as inferred. */
  private commandsOf(d: JsNodeDraft): void {
    const f = d.facts;
    if (d.ends) d.commands = { targets: d.ends, declared: true };
    else if (f?.returnsCommand && f.commandTargets) d.commands = { targets: f.commandTargets, declared: false };
    else if (f?.returnsCommand && !f.parentHandoff) d.commandUnknownAt = this.range(f.nameNode ?? f.def);
    if (f?.parentHandoff) d.handoffAt = this.range(f.parentHandoff.node);
    const own = f?.returnsCommand ? f.guards.find((x) => x.targets.length > 0) : undefined;
    if (own && f) d.ownGuard = { text: `${f.name}: ${own.text}`, range: this.range(own.test), bound: own.bound, target: own.targets[0].to };
  }

  private stateKeys(b: Builder): Map<string, StateKey> {
    const out = new Map<string, StateKey>();
    if (!b.stateSchema) return out;
    let fields = this.schemaFields(b.stateSchema, b.scope);
    if (!fields) {
      // A schema this file cannot read (imported from another module, built at run time): the keys its nodes
      // use stand for it, so that a key read before any node writes it is taken as the caller's input.
      fields = new Map();
      for (const n of b.nodes.values()) for (const k of [...n.reads.map((r) => r.key), ...n.writes.map((w) => w.value)]) if (!fields.has(k)) fields.set(k, this.range(b.stateSchema));
    }
    const inputKeys = b.inputSchema ? this.schemaFields(b.inputSchema, b.scope) : undefined;
    const written = new Set<string>();
    for (const n of b.nodes.values()) for (const w of n.writes) written.add(w.value);
    const entryReads = new Set<string>();
    for (const e of b.edges) if (e.from === START_ID) for (const r of b.nodes.get(e.to)?.reads ?? []) entryReads.add(r.key);
    for (const [name, range] of fields) {
      // A key with a default (`Annotation<number>({ default: () => 0 })`, zod's `.default(0)`) always has a value.
      const defaulted = this.defaulted.has(range.start);
      const input = defaulted || (inputKeys ? inputKeys.has(name) : entryReads.has(name) || !written.has(name) || name === 'messages');
      out.set(name, { name, input, data: [], range });
    }
    return out;
  }

  private schemaFields(schema: Node, scope: Scope, depth = 0): Map<string, Range> | undefined {
    if (depth > 6) return undefined;
    const u = unwrap(schema, this.src) ?? schema;
    const text = this.src.of(u);
    if (u.name === 'VariableName' || u.name === 'MemberExpression') {
      if (/^(MessagesAnnotation|MessagesZodState|MessagesState)(\.spec|\.shape)?$/.test(text)) return new Map([['messages', this.range(u)]]);
      if (u.name === 'VariableName') {
        const b = scope.lookup(text);
        if (b?.kind === 'value') return this.schemaFields(b.node, scope, depth + 1);
        return undefined;
      }
      // State.spec, State.shape
      const base = exprChildren(u)[0];
      return base ? this.schemaFields(base, scope, depth + 1) : undefined;
    }
    if (u.name !== 'CallExpression' && u.name !== 'NewExpression') return undefined;
    const q = qualified(calleeOf(u), scope, this.src) ?? '';
    const m = methodCall(u, this.src);
    // Annotation.Root({...}), new StateSchema({...}), z.object({...}), X.extend({...}), z.object({...}).passthrough()
    const isRoot = /(^|[.:])Annotation\.Root$/.test(q) || /(^|[.:])StateSchema$/.test(q) || (m?.method === 'object' && /^z$|zod/.test(this.src.of(m.receiver)));
    if (m && !isRoot && ['extend', 'merge'].includes(m.method)) {
      const base = this.schemaFields(m.receiver, scope, depth + 1);
      const more = this.objectFields(argsOf(u, this.src).positional[0], scope, depth);
      return base && more ? new Map([...base, ...more]) : undefined;
    }
    if (m && !isRoot && ['passthrough', 'strict', 'describe', 'meta', 'register'].includes(m.method)) return this.schemaFields(m.receiver, scope, depth + 1);
    if (!isRoot) return undefined;
    return this.objectFields(argsOf(u, this.src).positional[0], scope, depth);
  }

  /** Offsets of state keys declared with a default value. */
  private readonly defaulted = new Set<number>();

  /** `Annotation<T>({ default: ... })`, `z.number().default(0)`, `new ReducedValue(..., { default })`. */
  private hasDefault(v: Node): boolean {
    for (let cur: Node | undefined = unwrap(v, this.src); cur && (cur.name === 'CallExpression' || cur.name === 'NewExpression'); ) {
      const m = methodCall(cur, this.src);
      if (m?.method === 'default' || m?.method === 'prefault') return true;
      if (argsOf(cur, this.src).positional.some((a) => entryOf(a, 'default', this.src) || ((a.name === 'CallExpression' || a.name === 'NewExpression') && this.hasDefault(a)))) return true;
      cur = m ? unwrap(m.receiver, this.src) : undefined;
    }
    return false;
  }

  private objectFields(n: Node | undefined, scope: Scope, depth: number): Map<string, Range> | undefined {
    const obj = objectEntries(n ? this.resolve(n, scope, new Map()) : undefined, this.src);
    if (!obj) return undefined;
    const out = new Map<string, Range>();
    for (const p of children(unwrap(n, this.src))) {
      if (p.name !== 'Property' || p.firstChild?.name !== 'Spread') continue;
      // ...MessagesAnnotation.spec, ...Other.shape
      const spread = p.firstChild.nextSibling ?? undefined;
      const inner = spread ? this.schemaFields(spread, scope, depth + 1) : undefined;
      if (!inner) return undefined;
      for (const [k, v] of inner) out.set(k, v);
    }
    for (const e of obj.entries) {
      if (e.key === undefined) continue;
      out.set(e.key, this.range(e.keyNode));
      if (!e.shorthand && this.hasDefault(e.value)) this.defaulted.add(e.keyNode.from);
    }
    return out;
  }
}

export { fromLangGraph };
