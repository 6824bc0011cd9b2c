// LangGraph Python source -> IR (LANGGRAPH.md). Finds every `StateGraph(...)` builder of a module, replays the
// calls made on it (`add_node`, `add_edge`, `add_conditional_edges`, `add_sequence`, `compile`...) in source
// order, expanding `for` loops over literal lists, and reads what each node's function does. What cannot be
// known statically stays unknown in the IR (a dynamic branch, unknown reads); nothing is guessed, nothing runs.
import type { Tree } from '@lezer/common';
import { END, type AgentGraph, type ModelProfile, type Origin, type Range, type Ref, type RetryPolicy, type StateKey, type ToolSpec } from '../../core/ir.ts';
import type { AgDiagnostic } from '../../core/diagnostic.ts';
import { lookupPrice, parseModelString, providerOfConstructor } from '../../core/prices.ts';
import { argsOf, children, descendants, dictEntries, exprChildren, methodCall, numberValue, sequenceItems, stringValue, Src, type Node } from './pyTree.ts';
import { bindNames, isSymbol, qualified, Scope, statementsOf } from './scope.ts';
import { END_ID, FunctionReader, START_ID, type FunctionFacts, type Target } from './functions.ts';
import { applyFacts, applyModel, assemble, mainFirst, type GraphDraft, type ModelRead, type NodeDraft } from '../langgraph/assemble.ts';

export const PYTHON_RUNTIME = { framework: 'LangGraph', language: 'python', defaultSteps: 10007, defaultStepsBound: false } as const;

const CHAT_MODEL = /^(Chat[A-Z]\w*|AzureChatOpenAI|BedrockChat|init_chat_model|AzureAIChatCompletionsModel)$/;
const OUTPUT_CAPS = ['max_tokens', 'max_completion_tokens', 'max_output_tokens', 'num_predict', 'max_new_tokens'];
const INVOKE = new Set(['invoke', 'ainvoke', 'stream', 'astream', 'batch', 'abatch', 'with_config', 'astream_events', 'stream_events']);
const CALLS = new Set(['CallExpression']);

interface PyNodeDraft extends NodeDraft {
  facts?: FunctionFacts;
  /** `destinations=(...)` on add_node. */
  destinations?: Target[];
}

interface Builder extends GraphDraft {
  nodes: Map<string, PyNodeDraft>;
  scope: Scope;
  stateSchema?: Node;
  inputSchema?: Node;
  unknownParts: string[];
}

export interface ExtractResult {
  readonly graphs: AgentGraph[];
  readonly diagnostics: AgDiagnostic[];
}

export function extractGraphs(text: string, tree: Tree, uri: string): ExtractResult {
  const src = new Src(text);
  const top = tree.topNode;
  const module = new Scope(top);
  bindNames(top, module, src);
  const fr = new FunctionReader(src, module);
  const x = new Extractor(src, module, fr, uri);
  x.findBuilders(top, module);
  return x.finish();
}

class Extractor {
  readonly builders: Builder[] = [];
  /** Compiled graph variable (or builder variable) -> builder. */
  private readonly byVar = new Map<string, Builder>();
  readonly diagnostics: AgDiagnostic[] = [];
  private readonly models = new Map<string, ModelProfile>();
  private readonly tools = new Map<string, ToolSpec>();

  constructor(readonly src: Src, readonly module: Scope, readonly fr: FunctionReader, readonly uri: string) {}

  private range(n: Node): Range {
    return { start: n.from, end: n.to };
  }

  // ---- finding builders -------------------------------------------------------------------------------------

  /** Walks a block's statements in order (module, then every function), replaying builder calls. */
  findBuilders(block: Node, scope: Scope, env: Map<string, Node> = new Map()): void {
    for (const st of this.directStatements(block)) this.statement(st, scope, env);
  }

  private directStatements(block: Node): Node[] {
    const out: Node[] = [];
    for (let c = block.firstChild; c; c = c.nextSibling) {
      if (c.name === 'Body') out.push(...this.directStatements(c));
      else if (c.name.endsWith('Statement') || c.name === 'FunctionDefinition' || c.name === 'ClassDefinition') out.push(c);
    }
    return out;
  }

  private statement(st: Node, scope: Scope, env: Map<string, Node>): void {
    switch (st.name) {
      case 'FunctionDefinition':
        this.findBuilders(st.getChild('Body') ?? st, this.fr.scopeOf(st), new Map(env));
        return;
      case 'DecoratedStatement': {
        const def = st.getChild('FunctionDefinition');
        if (def) this.statement(def, scope, env);
        return;
      }
      case 'ClassDefinition':
        return;
      case 'ForStatement': {
        const kids = children(st);
        const inAt = kids.findIndex((k) => k.name === 'in');
        const vars = kids.slice(1, inAt).filter((k) => k.name === 'VariableName');
        const iter = kids[inAt + 1];
        const body = kids.find((k) => k.name === 'Body');
        if (!body) return;
        let items = iter ? sequenceItems(this.resolve(iter, scope, env)) : undefined;
        if (iter && !items && iter.name === 'CallExpression' && /\.items$/.test(this.src.of(iter.firstChild))) {
          // for name, fn in NODES.items()
          const m = methodCall(iter, this.src);
          const d = m && dictEntries(this.resolve(m.receiver, scope, env));
          if (d) items = d.entries.map((e) => e.key.parent!).filter(Boolean);
          if (d && vars.length === 2) {
            for (const e of d.entries) this.findBuilders(body, scope, new Map([...env, [this.src.of(vars[0]), e.key], [this.src.of(vars[1]), e.value]]));
            return;
          }
        }
        if (items) {
          for (const item of items) {
            const e = new Map(env);
            if (vars.length === 1) e.set(this.src.of(vars[0]), item);
            else {
              const parts = sequenceItems(item) ?? [];
              vars.forEach((v, i) => parts[i] && e.set(this.src.of(v), parts[i]));
            }
            this.findBuilders(body, scope, e);
          }
        } else {
          const e = new Map(env);
          for (const v of vars) e.delete(this.src.of(v));
          this.findBuilders(body, scope, e);
        }
        return;
      }
      case 'IfStatement':
      case 'WhileStatement':
      case 'TryStatement':
      case 'WithStatement':
      case 'MatchStatement':
        for (const b of children(st)) if (b.name === 'Body') this.findBuilders(b, scope, env);
        this.calls(st, scope, env, true);
        return;
      default:
        this.calls(st, scope, env, false);
    }
  }

  /** The call expressions of a statement that act on a builder, a builder's creation, and compile(). */
  private calls(st: Node, scope: Scope, env: Map<string, Node>, headOnly: boolean): void {
    if (st.name === 'AssignStatement') {
      const kids = children(st);
      const value = kids[kids.length - 1];
      const target = kids[0]?.name === 'VariableName' ? this.src.of(kids[0]) : undefined;
      if (value && target) {
        const b = this.chain(value, scope, env, target);
        if (b) return;
      }
    }
    for (const c of headOnly ? [] : descendants(st, CALLS)) {
      if (c.parent?.name === 'MemberExpression') continue; // inner link of a chain: handled from its outermost call
      this.chain(c, scope, env, undefined);
    }
  }

  /**
   * A call chain that creates or acts on a builder: `StateGraph(S)`, `builder.add_node(...)`,
   * `StateGraph(S).add_node(...).compile()`, `builder.compile(...)`. Returns the builder it touched.
   */
  private chain(n: Node, scope: Scope, env: Map<string, Node>, assignedTo: string | undefined): Builder | undefined {
    if (n.name !== 'CallExpression') return undefined;
    const links: Node[] = [];
    let cur: Node | null = n;
    while (cur?.name === 'CallExpression') {
      links.unshift(cur);
      const callee: Node | null = cur.firstChild;
      if (callee?.name !== 'MemberExpression') break;
      cur = callee.firstChild;
    }
    const root = links[0];
    let builder: Builder | undefined;
    let rest = links;
    if (isSymbol(qualified(root.firstChild, scope, this.src), 'StateGraph') && this.fromLangGraph(root.firstChild!, scope)) {
      builder = this.newBuilder(root, scope, assignedTo);
      rest = links.slice(1);
    } else {
      const m = methodCall(root, this.src);
      if (!m || m.receiver.name !== 'VariableName') return undefined;
      builder = this.byVar.get(this.src.of(m.receiver));
      if (!builder || !this.sameScope(builder, scope, this.src.of(m.receiver))) return undefined;
    }
    for (const link of rest) {
      const m = methodCall(link, this.src);
      if (!m) break;
      if (m.method === 'compile') {
        this.compile(builder, link, scope, env);
        if (assignedTo && link === links[links.length - 1]) this.alias(builder, assignedTo);
      } else if (INVOKE.has(m.method)) {
        this.config(builder, link, scope);
        if (assignedTo && m.method === 'with_config' && link === links[links.length - 1]) this.alias(builder, assignedTo);
      } else this.builderCall(builder, m.method, link, scope, env);
    }
    if (assignedTo && rest.length === 0) this.alias(builder, assignedTo);
    return builder;
  }

  private sameScope(b: Builder, scope: Scope, name: string): boolean {
    // A builder variable is found through the scope it was made in (or a nested one, for closures).
    for (let s: Scope | undefined = scope; s; s = s.parent) if (s === b.scope) return true;
    return b.aliases.includes(name) && b.scope === this.module;
  }

  private fromLangGraph(callee: Node, scope: Scope): boolean {
    const q = qualified(callee, scope, this.src) ?? '';
    if (q.startsWith('langgraph')) return true;
    // `StateGraph` not imported by name: accept it when the module imports LangGraph at all (`import *`).
    return q === 'StateGraph' && !scope.lookup('StateGraph') && /\blanggraph\b/.test(this.src.text);
  }

  private newBuilder(call: Node, scope: Scope, name: string | undefined): Builder {
    const a = argsOf(call, this.src);
    const b: Builder = {
      name: name ?? `graph_${this.builders.length + 1}`,
      aliases: [],
      call,
      callee: call.firstChild ?? call,
      scope,
      stateSchema: a.positional[0] ?? a.keywords.get('state_schema'),
      inputSchema: a.keywords.get('input_schema') ?? a.keywords.get('input'),
      nodes: new Map(),
      edges: [],
      dynamic: new Map(),
      guards: new Map(),
      interrupts: [],
      unknownParts: [],
    };
    this.builders.push(b);
    if (name) this.byVar.set(name, b);
    return b;
  }

  private alias(b: Builder, name: string): void {
    if (name !== b.name && !b.aliases.includes(name)) b.aliases.push(name);
    this.byVar.set(name, b);
  }

  /** A value through loop variables and assignments. */
  resolve(n: Node, scope: Scope, env: Map<string, Node>, depth = 0): Node {
    if (depth > 6 || n.name !== 'VariableName') return n;
    const name = this.src.of(n);
    const bound = env.get(name);
    if (bound) return this.resolve(bound, scope, env, depth + 1);
    const b = scope.lookup(name);
    if (b?.kind === 'value') return this.resolve(b.node, scope, env, depth + 1);
    return n;
  }

  private name(n: Node | undefined, scope: Scope, env: Map<string, Node>): string | undefined {
    if (!n) return undefined;
    if (n.name === 'VariableName' && env.has(this.src.of(n))) return this.name(env.get(this.src.of(n)), scope, env);
    return this.fr.targetName(n, scope);
  }

  // ---- builder calls ------------------------------------------------------------------------------------------

  private builderCall(b: Builder, method: string, call: Node, scope: Scope, env: Map<string, Node>): void {
    const a = argsOf(call, this.src);
    const p = a.positional;
    switch (method) {
      case 'add_node': {
        let idNode = p[0];
        let action = p[1] ?? a.keywords.get('action');
        let id = this.name(idNode, scope, env);
        if (p.length === 1 || (p.length === 0 && a.keywords.has('node'))) {
          const only = p[0] ?? a.keywords.get('node')!;
          const asString = this.name(only, scope, env);
          if (asString !== undefined && a.keywords.has('action')) {
            id = asString;
          } else {
            // add_node(fn): the node is named after the function (or a runnable's name).
            action = only;
            idNode = only;
            id = this.actionName(this.resolveAction(only, scope, env), scope);
          }
        }
        if (id === undefined) {
          this.unknown(b, call, 'a node whose name is computed at run time');
          return;
        }
        this.addNode(b, id, idNode ?? call, call, action, a.keywords, scope, env);
        return;
      }
      case 'add_edge': {
        const to = this.name(p[1] ?? a.keywords.get('end_key'), scope, env);
        const startArg = p[0] ?? a.keywords.get('start_key');
        const sources = sequenceItems(this.resolve(startArg ?? call, scope, env))?.map((s) => this.name(s, scope, env)) ?? [this.name(startArg, scope, env)];
        if (to === undefined || sources.some((s) => s === undefined)) {
          this.unknown(b, call, 'an edge whose ends are computed at run time');
          return;
        }
        // A join (several sources): the target waits for all of them, so what each writes reaches it.
        const join = sources.length > 1 ? `${to}@${call.from}` : undefined;
        for (const s of sources) b.edges.push({ from: s!, to, kind: 'next', range: this.range(p[1] ?? call), ...(join ? { join } : {}) });
        return;
      }
      case 'add_conditional_edges': {
        const from = this.name(p[0] ?? a.keywords.get('source'), scope, env);
        if (from === undefined) {
          this.unknown(b, call, 'a conditional edge from a node named at run time');
          return;
        }
        this.conditional(b, from, p[1] ?? a.keywords.get('path'), p[2] ?? a.keywords.get('path_map'), call, scope, env);
        return;
      }
      case 'set_conditional_entry_point':
        this.conditional(b, START_ID, p[0] ?? a.keywords.get('path'), p[1] ?? a.keywords.get('path_map'), call, scope, env);
        return;
      case 'set_entry_point': {
        const to = this.name(p[0] ?? a.keywords.get('key'), scope, env);
        if (to !== undefined) b.edges.push({ from: START_ID, to, kind: 'next', range: this.range(p[0] ?? call) });
        return;
      }
      case 'set_finish_point': {
        const from = this.name(p[0] ?? a.keywords.get('key'), scope, env);
        if (from !== undefined) b.edges.push({ from, to: END_ID, kind: 'next', range: this.range(p[0] ?? call) });
        return;
      }
      case 'add_sequence': {
        const items = sequenceItems(this.resolve(p[0] ?? a.keywords.get('nodes') ?? call, scope, env));
        if (!items) {
          this.unknown(b, call, 'a sequence built at run time');
          return;
        }
        let prev: string | undefined;
        for (const item of items) {
          const pair = sequenceItems(item);
          let id: string | undefined;
          let idNode = item;
          let action: Node | undefined = item;
          if (pair && pair.length === 2) {
            id = this.name(pair[0], scope, env);
            idNode = pair[0];
            action = pair[1];
          } else id = this.actionName(this.resolveAction(item, scope, env), scope);
          if (id === undefined) {
            this.unknown(b, item, 'a sequence step named at run time');
            prev = undefined;
            continue;
          }
          this.addNode(b, id, idNode, item, action, new Map(), scope, env);
          if (prev !== undefined) b.edges.push({ from: prev, to: id, kind: 'next', range: this.range(idNode) });
          prev = id;
        }
        return;
      }
      case 'set_node_defaults': {
        const rp = a.keywords.get('retry_policy') ?? a.keywords.get('retry');
        if (rp) b.defaultsRetry = this.retryPolicy(rp, scope, env, 'defaults');
        const eh = a.keywords.get('error_handler');
        if (eh) b.defaultsHandler = { range: this.range(eh), targets: this.handlerTargets(eh, scope, env) };
        return;
      }
      case 'validate':
      case 'add_edges':
        return;
      default:
        return;
    }
  }

  private unknown(b: Builder, at: Node, what: string): void {
    b.unknownParts.push(what);
    this.diagnostics.push({
      code: 'AG005', severity: 'warning', range: this.range(at),
      message: `${what}: AgentGraph reads graphs without running them, so this part of the graph is unknown to the analysis; name nodes and edges with string literals or constants`,
    });
  }

  /** What an action expression is: a function, a compiled graph, a prebuilt agent, a ToolNode. */
  private resolveAction(n: Node | undefined, scope: Scope, env: Map<string, Node>, depth = 0): { kind: 'def' | 'subgraph' | 'agent' | 'tools' | 'call' | 'unknown'; node?: Node; name?: string; explicitName?: boolean; builder?: Builder; importRef?: string } {
    if (!n || depth > 6) return { kind: 'unknown' };
    if (n.name === 'VariableName') {
      const name = this.src.of(n);
      if (env.has(name)) return this.resolveAction(env.get(name), scope, env, depth + 1);
      const bb = this.byVar.get(name);
      if (bb) return { kind: 'subgraph', builder: bb, name };
      const b = scope.lookup(name);
      if (b?.kind === 'def') return { kind: 'def', node: b.node, name };
      if (b?.kind === 'value') {
        const r = this.resolveAction(b.node, scope, env, depth + 1);
        return { ...r, name: r.name ?? name };
      }
      if (b?.kind === 'import') return { kind: 'call', name: b.name ?? name, importRef: this.importPath(b.module, b.level, b.name) };
      return { kind: 'unknown', name };
    }
    if (n.name === 'LambdaExpression') return { kind: 'def', node: n, name: '<lambda>' };
    if (n.name === 'CallExpression') {
      const q = qualified(n.firstChild, scope, this.src) ?? '';
      const last = q.split('.').pop() ?? '';
      if (last === 'create_react_agent' || last === 'create_agent' || last === 'create_supervisor' || last === 'create_swarm') return { kind: 'agent', node: n };
      if (last === 'ToolNode') return { kind: 'tools', node: n };
      if (last === 'RunnableLambda' || last === 'partial' || last === 'RunnableCallable') {
        const inner = this.resolveAction(argsOf(n, this.src).positional[0], scope, env, depth + 1);
        const named = this.fr.targetName(argsOf(n, this.src).keywords.get('name'), scope);
        return named ? { ...inner, name: named, explicitName: true } : inner;
      }
      const m = methodCall(n, this.src);
      if (m?.method === 'compile') {
        const inner = m.receiver.name === 'VariableName' ? this.byVar.get(this.src.of(m.receiver)) : undefined;
        if (inner) return { kind: 'subgraph', builder: inner };
        const r = this.resolveAction(m.receiver, scope, env, depth + 1);
        if (r.kind === 'subgraph' || r.importRef) return { ...r, kind: 'subgraph' };
      }
      if (m && ['with_config', 'with_retry', 'with_fallbacks'].includes(m.method)) return this.resolveAction(m.receiver, scope, env, depth + 1);
      // build_graph() returning a compiled graph defined in this module
      const fnb = n.firstChild?.name === 'VariableName' ? scope.lookup(this.src.of(n.firstChild)) : undefined;
      if (fnb?.kind === 'def') {
        const made = this.builders.find((x) => x.call.from >= fnb.node.from && x.call.to <= fnb.node.to);
        if (made) return { kind: 'subgraph', builder: made };
      }
      return { kind: 'call', node: n };
    }
    if (n.name === 'MemberExpression') return { kind: 'unknown', name: this.src.of(n).split('.').pop() };
    return { kind: 'unknown' };
  }

  /** The module a relative or package import names, as a path relative to this file (`./subgraphs/kyc.py`). */
  private importPath(module: string, level: number, name?: string): string | undefined {
    const parts = module ? module.split('.') : [];
    if (level === 0 && /^(langgraph|langchain|typing|os|sys|json|re|asyncio|pydantic|dataclasses|operator|functools|logging)\b/.test(module)) return undefined;
    const up = level > 1 ? '../'.repeat(level - 1) : './';
    return parts.length > 0 ? `${up}${parts.join('/')}.py${name ? `#${name}` : ''}` : name ? `${up}${name}.py` : undefined;
  }

  private actionName(a: ReturnType<Extractor['resolveAction']>, scope: Scope): string | undefined {
    if (a.explicitName && a.name) return a.name;
    if (a.kind === 'def' && a.node && a.node.name === 'FunctionDefinition') return this.src.of(a.node.getChild('VariableName'));
    if (a.node?.name === 'CallExpression') {
      const n = argsOf(a.node, this.src).keywords.get('name');
      const v = n && this.fr.targetName(n, scope);
      if (v) return v;
    }
    if (a.kind === 'subgraph' && a.builder?.compiledName) return a.builder.compiledName.value;
    if (a.kind === 'tools') return 'tools'; // ToolNode's own default name
    if (a.kind === 'agent') return 'agent';
    return a.name && a.name !== '<lambda>' ? a.name : undefined;
  }

  private addNode(b: Builder, id: string, idNode: Node, call: Node, action: Node | undefined, kw: Map<string, Node>, scope: Scope, env: Map<string, Node>): void {
    if (b.nodes.has(id)) return; // LangGraph raises on a duplicate; the first one is the one that stands
    const fields = new Map<string, Range>();
    for (const [k, v] of kw) fields.set(k === 'retry' ? 'retry_policy' : k, this.range(v.prevSibling?.prevSibling ?? v));
    const d: PyNodeDraft = { id, range: this.range(idNode), bodyRange: this.range(call), kind: 'function', fields, fallbackModels: [], tools: [], reads: [], writes: [] };
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
    else if (a.kind === 'def' && a.node) this.functionNode(d, a.node, scope, env);

    const rp = kw.get('retry_policy') ?? kw.get('retry');
    if (rp) d.retry = this.retryPolicy(rp, scope, env, 'node');
    const eh = kw.get('error_handler');
    if (eh) {
      d.errorTargets = this.handlerTargets(eh, scope, env);
      d.errorRange = this.range(eh);
    }
    const dest = kw.get('destinations');
    if (dest) {
      const r = this.resolve(dest, scope, env);
      const items = sequenceItems(r) ?? dictEntries(r)?.entries.map((e) => e.key);
      const ts = items?.map((i) => ({ to: this.name(i, scope, env), node: i }));
      if (ts && ts.every((t) => t.to !== undefined)) d.destinations = ts as Target[];
    }
    b.nodes.set(id, d);
  }

  private handlerTargets(eh: Node, scope: Scope, env: Map<string, Node>): Target[] | undefined {
    const a = this.resolveAction(eh, scope, env);
    if (a.kind !== 'def' || !a.node) return undefined;
    const f = this.fr.facts(a.node);
    return f.commandTargets && f.commandTargets.length > 0 ? [...f.commandTargets] : f.commandAnnotation ? [...f.commandAnnotation] : undefined;
  }

  private retryPolicy(n: Node, scope: Scope, env: Map<string, Node>, origin: Origin): RetryPolicy | undefined {
    const r = this.resolve(n, scope, env);
    const items = sequenceItems(r);
    if (items) {
      const all = items.map((i) => this.retryPolicy(i, scope, env, origin)).filter((x): x is RetryPolicy => !!x);
      return all.sort((x, y) => y.attempts - x.attempts)[0];
    }
    if (r.name === 'CallExpression' && isSymbol(qualified(r.firstChild, scope, this.src), 'RetryPolicy')) {
      const max = numberValue(argsOf(r, this.src).keywords.get('max_attempts'), this.src);
      return { none: false, attempts: max !== undefined && max >= 1 ? Math.floor(max) : 3, backoff: 'exponential', range: this.range(n), origin };
    }
    if (this.src.of(r) === 'None') return undefined;
    return { none: false, attempts: 3, range: this.range(n), origin };
  }

  // ---- what a node's action is --------------------------------------------------------------------------------

  private functionNode(d: PyNodeDraft, def: Node, scope: Scope, env: Map<string, Node>): void {
    const f = this.fr.facts(def);
    d.facts = f;
    const fscope = def.name === 'FunctionDefinition' ? this.fr.scopeOf(def) : scope;
    if (applyFacts(d, f)) return;
    // Model calls and invoked subgraphs.
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
      if (sub.kind === 'agent' && sub.node) {
        this.agentNode(d, sub.node, fscope, env);
        break;
      }
    }
    if (f.catchesAll && d.kind !== 'function') d.handledInCode = this.range(f.catchesAll);
  }

  private agentNode(d: NodeDraft, call: Node, scope: Scope, env: Map<string, Node>): void {
    d.kind = 'agent';
    const a = argsOf(call, this.src);
    const modelArg = a.keywords.get('model') ?? a.positional[0];
    if (modelArg) {
      const m = this.modelOf(this.resolve(modelArg, scope, env), scope, env, modelArg);
      if (m) applyModel(d, m, this.range(modelArg));
    }
    const toolsArg = a.keywords.get('tools') ?? a.positional[1];
    d.tools = this.toolRefs(toolsArg, scope, env);
    // create_agent's call-limit middleware bounds its loop; nothing else does but the recursion limit.
    const mw = a.keywords.get('middleware');
    for (const item of sequenceItems(mw ? this.resolve(mw, scope, env) : undefined) ?? []) {
      const r = this.resolve(item, scope, env);
      if (r.name !== 'CallExpression') continue;
      const q = qualified(r.firstChild, scope, this.src) ?? '';
      const limit = numberValue(argsOf(r, this.src).keywords.get('run_limit'), this.src) ?? numberValue(argsOf(r, this.src).keywords.get('thread_limit'), this.src);
      if (/(ModelCallLimitMiddleware|ToolCallLimitMiddleware)$/.test(q) && limit !== undefined) d.agentLimit = Math.min(d.agentLimit ?? Infinity, limit);
      if (/(ModelRetryMiddleware|ToolRetryMiddleware)$/.test(q)) {
        const n = numberValue(argsOf(r, this.src).keywords.get('max_retries'), this.src);
        d.retry = { none: false, attempts: (n ?? 2) + 1, range: this.range(item), origin: 'node' };
      }
      if (/ModelFallbackMiddleware$/.test(q)) {
        for (const fb of argsOf(r, this.src).positional) {
          const fm = this.modelOf(this.resolve(fb, scope, env), scope, env, fb);
          if (fm) d.fallbackModels.push({ value: fm.name, range: this.range(fb) });
        }
      }
      if (/HumanInTheLoopMiddleware$/.test(q)) d.approval = { value: 'human', range: this.range(item) };
    }
    d.fields.set('max_iterations', this.range(call.firstChild ?? call));
  }

  private toolNode(d: NodeDraft, call: Node, scope: Scope, env: Map<string, Node>): void {
    d.kind = 'tool';
    const a = argsOf(call, this.src);
    d.tools = this.toolRefs(a.positional[0] ?? a.keywords.get('tools'), scope, env);
    d.tool = d.tools[0];
    const hte = a.keywords.get('handle_tool_errors');
    if (hte && this.src.of(hte) !== 'False') d.handledInCode = this.range(hte);
  }

  private toolRefs(n: Node | undefined, scope: Scope, env: Map<string, Node>): Ref[] {
    if (!n) return [];
    const items = sequenceItems(this.resolve(n, scope, env)) ?? [];
    const out: Ref[] = [];
    for (const i of items) {
      const name = i.name === 'VariableName' ? this.src.of(i) : i.name === 'CallExpression' ? this.src.of(i.firstChild) : this.src.of(i);
      const tool = name.replace(/^.*\./, '');
      out.push({ value: tool, range: this.range(i) });
      if (!this.tools.has(tool)) this.tools.set(tool, { name: tool, idempotent: true, range: this.range(i) });
    }
    return out;
  }

  /** A chat model behind an expression: its profile name, output cap, retries and fallbacks. */
  private modelOf(n: Node, scope: Scope, env: Map<string, Node>, at: Node, depth = 0): ModelRead | undefined {
    if (depth > 8) return undefined;
    if (n.name === 'VariableName') {
      const b = scope.lookup(this.src.of(n));
      if (b?.kind === 'value') {
        const r = this.modelOf(b.node, scope, env, b.target, depth + 1);
        return r;
      }
      return undefined;
    }
    if (n.name === 'ParenthesizedExpression') {
      const inner = exprChildren(n)[0];
      return inner ? this.modelOf(inner, scope, env, at, depth + 1) : undefined;
    }
    if (n.name === 'BinaryExpression') {
      // prompt | model | parser: the model of the chain
      for (const part of exprChildren(n).filter((k) => k.name !== 'BitOp')) {
        const m = this.modelOf(this.resolve(part, scope, env), scope, env, part, depth + 1);
        if (m) return m;
      }
      return undefined;
    }
    if (n.name !== 'CallExpression') return undefined;
    const m = methodCall(n, this.src);
    if (m && ['bind_tools', 'with_structured_output', 'with_config', 'bind', 'with_retry', 'with_fallbacks', 'configurable_fields'].includes(m.method)) {
      const base = this.modelOf(this.resolve(m.receiver, scope, env), scope, env, m.receiver, depth + 1);
      if (!base) return undefined;
      const a = argsOf(n, this.src);
      if (m.method === 'with_retry') {
        const k = numberValue(a.keywords.get('stop_after_attempt'), this.src);
        return { ...base, retry: { none: false, attempts: k ?? 3, backoff: 'exponential', range: this.range(n), origin: 'node' } };
      }
      if (m.method === 'with_fallbacks') {
        const fbs = sequenceItems(this.resolve(a.positional[0] ?? a.keywords.get('fallbacks') ?? n, scope, env)) ?? [];
        const names = fbs.map((f) => this.modelOf(this.resolve(f, scope, env), scope, env, f, depth + 1)?.name).filter((x): x is string => !!x);
        return { ...base, fallbacks: [...base.fallbacks, ...names] };
      }
      const cap = m.method === 'bind' ? OUTPUT_CAPS.map((c) => numberValue(a.keywords.get(c), this.src)).find((v) => v !== undefined) : undefined;
      return cap !== undefined ? { ...base, cap } : base;
    }
    const callee = qualified(n.firstChild, scope, this.src) ?? '';
    const cls = callee.split('.').pop() ?? '';
    if (!CHAT_MODEL.test(cls)) return undefined;
    const a = argsOf(n, this.src);
    let provider = providerOfConstructor(cls);
    let modelId = stringValue(a.keywords.get('model') ?? a.keywords.get('model_name') ?? a.keywords.get('model_id') ?? a.keywords.get('deployment_name') ?? a.keywords.get('azure_deployment') ?? (cls === 'init_chat_model' || cls.startsWith('Chat') ? a.positional[0] : undefined), this.src);
    if (cls === 'init_chat_model' && modelId) {
      const parsed = parseModelString(modelId);
      modelId = parsed.model;
      provider = stringValue(a.keywords.get('model_provider'), this.src) ?? parsed.provider;
    }
    const cap = OUTPUT_CAPS.map((c) => numberValue(a.keywords.get(c), this.src)).find((v) => v !== undefined);
    const retries = numberValue(a.keywords.get('max_retries'), this.src);
    const name = at.name === 'VariableName' ? this.src.of(at) : modelId ?? cls;
    if (!this.models.has(name)) {
      const price = modelId ? lookupPrice(provider, modelId) : undefined;
      this.models.set(name, {
        name, provider, model: modelId,
        inputUsdPerMtok: price?.inputUsdPerMtok, outputUsdPerMtok: price?.outputUsdPerMtok,
        allows: [], range: this.range(n),
      });
    }
    return {
      name, cap,
      retry: retries !== undefined && retries > 0 ? { none: false, attempts: retries + 1, backoff: 'exponential', range: this.range(n), origin: 'node' } : undefined,
      fallbacks: [],
    };
  }

  // ---- conditional edges, compile, configs ----------------------------------------------------------------------

  private conditional(b: Builder, from: string, path: Node | undefined, pathMap: Node | undefined, call: Node, scope: Scope, env: Map<string, Node>): void {
    const a = this.resolveAction(path, scope, env);
    const facts = a.kind === 'def' && a.node ? this.fr.facts(a.node) : undefined;
    if (facts) {
      for (const g of facts.guards) {
        const exit = g.targets[0];
        if (exit && !b.guards.has(from)) b.guards.set(from, { text: `${facts.name}: ${g.text}`, range: this.range(g.test), bound: g.bound, target: exit.to });
      }
    }
    if (pathMap) {
      const r = this.resolve(pathMap, scope, env);
      const d = dictEntries(r);
      if (d) {
        for (const e of d.entries) {
          const label = this.name(e.key, scope, env) ?? this.src.of(e.key);
          const to = this.name(e.value, scope, env);
          if (to === undefined) {
            this.unknown(b, e.value, 'a path map target computed at run time');
            continue;
          }
          b.edges.push({ from, to, kind: 'route', label: label === END_ID ? 'END' : label, range: this.range(e.value) });
        }
        if (d.spread) b.dynamic.set(from, this.range(pathMap));
        return;
      }
      const items = sequenceItems(r);
      if (items) {
        for (const i of items) {
          const to = this.name(i, scope, env);
          if (to !== undefined) b.edges.push({ from, to, kind: 'route', range: this.range(i) });
          else b.dynamic.set(from, this.range(i));
        }
        return;
      }
      b.dynamic.set(from, this.range(pathMap));
      return;
    }
    if (facts?.literalAnnotation) {
      for (const t of facts.literalAnnotation) b.edges.push({ from, to: t.to, kind: 'route', range: this.range(t.node) });
      // `Send` returns alongside a Literal annotation still fan out.
      for (const t of facts.returns ?? []) if (t.send) b.edges.push({ from, to: t.to, kind: 'fanout', range: this.range(t.node) });
      return;
    }
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

  private compile(b: Builder, call: Node, scope: Scope, env: Map<string, Node>): void {
    const a = argsOf(call, this.src);
    const name = a.keywords.get('name');
    const v = name && stringValue(name, this.src);
    if (v && name) b.compiledName = { value: v, range: this.range(name) };
    for (const key of ['interrupt_before', 'interrupt_after']) {
      const n = a.keywords.get(key);
      if (!n) continue;
      const r = this.resolve(n, scope, env);
      if (stringValue(r, this.src) === '*') b.interrupts.push({ names: '*', range: this.range(n) });
      else {
        const items = sequenceItems(r) ?? [];
        b.interrupts.push({ names: items.map((i) => this.name(i, scope, env)).filter((x): x is string => !!x), range: this.range(n) });
      }
    }
  }

  /** `recursion_limit` in a config literal passed to the compiled graph. */
  private config(b: Builder, call: Node, scope: Scope): void {
    for (const arg of [...argsOf(call, this.src).positional, ...argsOf(call, this.src).keywords.values()]) {
      const r = this.resolve(arg, scope, new Map());
      const d = dictEntries(r);
      const entries = d?.entries ?? [];
      if (r.name === 'CallExpression' && /RunnableConfig$/.test(this.src.of(r.firstChild))) {
        const v = argsOf(r, this.src).keywords.get('recursion_limit');
        const n = numberValue(v, this.src);
        if (n !== undefined) {
          b.steps = n;
          b.stepsRange = this.range(v!);
        }
      }
      for (const e of entries) {
        const key = stringValue(e.key, this.src);
        if (key && /^(max_iterations|max_steps|max_turns|recursionLimit|recursion_depth)$/.test(key)) {
          // A trap found in real code: LangGraph ignores config keys it does not know.
          this.diagnostics.push({
            code: 'AG001', severity: 'warning', range: this.range(e.key),
            message: `"${key}" is not a LangGraph config key: it bounds nothing, and the graph's loops still run until the recursion limit (${b.steps ?? PYTHON_RUNTIME.defaultSteps} steps); use "recursion_limit": N`,
            data: { ref: 'config', name: key },
          });
        }
        if (key !== 'recursion_limit') continue;
        const n = numberValue(this.resolve(e.value, scope, new Map()), this.src);
        if (n !== undefined) {
          b.steps = n;
          b.stepsRange = this.range(e.value);
        }
      }
    }
  }

  /** Invocations of compiled graphs anywhere in the module (`graph.invoke(x, {"recursion_limit": 40})`). */
  private invocations(): void {
    for (const c of descendants(this.module.node, CALLS)) this.invocation(c);
    // descendants() does not enter functions: visit them too, nested definitions included.
    for (const st of statementsOf(this.module.node)) {
      if (st.name === 'FunctionDefinition' || st.name === 'DecoratedStatement') for (const c of descendants(st, CALLS, [], true)) this.invocation(c);
    }
  }

  private invocation(c: Node): void {
    const m = methodCall(c, this.src);
    if (!m || !INVOKE.has(m.method)) return;
    let recv: Node | null = m.receiver;
    // graph.with_config(...).invoke(...), builder.compile().invoke(...)
    while (recv?.name === 'CallExpression') {
      const mm = methodCall(recv, this.src);
      if (!mm) break;
      recv = mm.receiver;
    }
    const b = recv?.name === 'VariableName' ? this.byVar.get(this.src.of(recv)) : undefined;
    if (b) this.config(b, c, this.module);
  }

  // ---- the IR -------------------------------------------------------------------------------------------------

  finish(): ExtractResult {
    this.invocations();
    const ctx = { uri: this.uri, runtime: PYTHON_RUNTIME, models: this.models, tools: this.tools, keepUndeclaredReads: true };
    const graphs = this.builders.map((b) => {
      for (const d of b.nodes.values()) this.commandsOf(d);
      return assemble(b, this.stateKeys(b), ctx);
    });
    return { graphs: mainFirst(graphs, this.builders.map((b) => b.name)), diagnostics: this.diagnostics };
  }

  /** Where a node's code sends the run: `-> Command[Literal[...]]`, `destinations=`, or literal gotos returned. */
  private commandsOf(d: PyNodeDraft): void {
    const f = d.facts;
    if (f?.commandAnnotation || d.destinations) d.commands = { targets: f?.commandAnnotation ?? d.destinations!, declared: true };
    else if (f?.returnsCommand && f.commandTargets) d.commands = { targets: f.commandTargets, declared: false };
    else if (f?.returnsCommand && !f.parentHandoff) d.commandUnknownAt = this.range(f.def.getChild('VariableName') ?? f.def);
    if (f?.parentHandoff) d.handoffAt = this.range(f.parentHandoff.node);
    const own = f?.returnsCommand ? f.guards.find((x) => x.targets.length > 0) : undefined;
    if (own && f) d.ownGuard = { text: `${f.name}: ${own.text}`, range: this.range(own.test), bound: own.bound, target: own.targets[0].to };
  }

  /** State keys from the schema class: TypedDict, pydantic or dataclass fields; MessagesState's `messages`. */
  private stateKeys(b: Builder): Map<string, StateKey> {
    const out = new Map<string, StateKey>();
    const schema = b.stateSchema;
    if (!schema) return out;
    const inputKeys = b.inputSchema ? this.classFields(b.inputSchema, b.scope) : undefined;
    const fields = this.classFields(schema, b.scope);
    if (!fields) return out; // a schema we cannot read: no key is checked against it
    // Without an input schema, LangGraph callers pass the initial state: a key is taken as input unless some
    // node writes it before any node reads it... which cannot be known statically, so: every key the entry
    // reads, every key no node writes, and every key of an input schema.
    const written = new Set<string>();
    for (const n of b.nodes.values()) for (const w of n.writes) written.add(w.value);
    const entryTargets = b.edges.filter((e) => e.from === START_ID).map((e) => e.to);
    const entryReads = new Set<string>();
    for (const t of entryTargets) for (const r of b.nodes.get(t)?.reads ?? []) entryReads.add(r.key);
    for (const [name, range] of fields) {
      const input = inputKeys ? inputKeys.has(name) : entryReads.has(name) || !written.has(name) || name === 'messages';
      out.set(name, { name, input, data: [], range });
    }
    return out;
  }

  private classFields(schema: Node, scope: Scope, depth = 0): Map<string, Range> | undefined {
    if (depth > 5) return undefined;
    const name = schema.name === 'VariableName' ? this.src.of(schema) : undefined;
    if (name === 'MessagesState' || name === 'AgentState') return new Map([['messages', this.range(schema)], ...(name === 'AgentState' ? [['remaining_steps', this.range(schema)] as [string, Range]] : [])]);
    const b = name ? scope.lookup(name) : undefined;
    if (b?.kind !== 'class') return undefined;
    const out = new Map<string, Range>();
    const bases = exprChildren(b.node.getChild('ArgList'));
    for (const base of bases) {
      const bn = this.src.of(base);
      if (/^(TypedDict|BaseModel|typing\.TypedDict|pydantic\.BaseModel|object|Generic\[.*\])$/.test(bn) || base.name === 'VariableName' && /^total$/.test(bn)) continue;
      if (base.name === 'VariableName') {
        const inner = this.classFields(base, scope, depth + 1);
        if (!inner) return undefined;
        for (const [k, v] of inner) out.set(k, v);
      }
    }
    for (const st of statementsOf(b.node.getChild('Body') ?? b.node)) {
      if (st.name !== 'AssignStatement') continue;
      const kids = children(st);
      if (kids[0]?.name === 'VariableName' && kids[1]?.name === 'TypeDef') out.set(this.src.of(kids[0]), this.range(kids[0]));
    }
    return out;
  }
}
