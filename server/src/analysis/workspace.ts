// The set of graph files the analysis knows: open documents (overlays) over files read from a host, the
// subgraph references between them, and the analysis of each. Used alike by the language server and the CLI.
import type { AgDiagnostic } from '../core/diagnostic.ts';
import type { AgentGraph, GraphNode, Range } from '../core/ir.ts';
import { GraphQueries } from '../core/queries.ts';
import { worstCase, type Cost, type WorstCase } from '../core/cost.ts';
import { LineIndex } from '../core/lineIndex.ts';
import { keepRecent } from '../core/recent.ts';
import { effectiveSeverity, type RuleSeverities } from '../core/config.ts';
import { basename, childUri, dirnameUri, fileOf, graphNameOf, resolveGraphRef, resolveRelative } from '../core/uris.ts';
import { elsewhere, mayOverlay, merge } from './overlay.ts';
import { isAgentGraphFile } from '../frontends/yaml/frontend.ts';
import { frontendFor, type FrontendResult } from '../frontends/index.ts';
import { yamlFrontend } from '../frontends/yaml/index.ts';
import { RULES } from '../rules/index.ts';
import type { Rule, RuleContext, SubgraphInfo } from '../rules/rule.ts';
import { suppressionFor } from '../core/suppressed.ts';
import { isLanggraphJson, LANGGRAPH_JSON, parseLanggraphJson, type DeployedGraph, type LanggraphConfig } from '../frontends/langgraph/langgraphJson.ts';

export interface FileHost {
  /** A file's text, or undefined when it does not exist or cannot be read. */
  read(uri: string): string | undefined;
  /** The files of a folder (URIs), to find the overlay beside a code file; hosts without it find none. */
  list?(folderUri: string): readonly string[];
}

/** A cancellation flag: analysis stops early (and its result is thrown away) once it is set. */
export interface Cancellation {
  readonly cancelled: boolean;
}

export class CancelledError extends Error {
  constructor() {
    super('analysis cancelled');
  }
}

export interface Analysis {
  readonly uri: string;
  readonly text: string;
  readonly lines: LineIndex;
  /** The file's main graph (the first its frontend found), the one views open and readiness rates. */
  readonly graph?: AgentGraph;
  readonly queries?: GraphQueries;
  /** Every graph of the file, the main one first (a Python module may hold a graph and its subgraphs). */
  readonly graphs: readonly GraphEntry[];
  /** Every finding, sorted by position; suppressed ones carry `suppressed` and are kept. */
  readonly diagnostics: readonly AgDiagnostic[];
  readonly worstCase?: WorstCase;
  /** The files this analysis read besides its own (subgraphs), so that a change to them re-runs it. */
  readonly dependencies: readonly string[];
  /** The other file of a code-defined graph and its overlay (the overlay of a code file, the code of an overlay). */
  readonly partner?: string;
}

export interface GraphEntry {
  readonly graph: AgentGraph;
  readonly queries: GraphQueries;
}

interface Parsed {
  readonly text: string;
  readonly result: FrontendResult;
  readonly graphs: readonly GraphEntry[];
}

/** The graph of a parse that an address names: `file#name`, or the file's main graph. */
function pick(p: Parsed, address: string): GraphEntry | undefined {
  const name = graphNameOf(address);
  if (name === undefined) return p.graphs[0];
  return p.graphs.find((g) => g.graph.name?.value === name) ?? p.graphs.find((g) => g.graph.aliases?.includes(name));
}

export class Workspace {
  private readonly overlays = new Map<string, string>();
  private readonly parsed = new Map<string, Parsed>();
  /**
   * Per open document, the last text whose frontend result was not `partial` (no syntax error), and that
   * result. While the user types an unclosed bracket, its graphs stand in for what the broken text yields.
   */
  private readonly lastGood = new Map<string, { readonly text: string; readonly result: FrontendResult }>();
  private readonly costs = new Map<string, Cost | undefined>();
  /** uri -> subgraph uris its last parse referred to. */
  private readonly refs = new Map<string, Set<string>>();
  /** Settings that apply to a file: the project file's layer, then the editor's. */
  severities: (uri: string) => readonly (RuleSeverities | undefined)[] = () => [];

  constructor(
    private readonly host: FileHost,
    private readonly rules: readonly Rule[] = RULES,
    /** How many parsed files are kept; the rest keep only their text and subgraph references. */
    private readonly cacheSize = 32,
  ) {}

  setDocument(uri: string, text: string): void {
    this.overlays.set(uri, text);
    this.changed(uri);
  }

  closeDocument(uri: string): void {
    this.overlays.delete(uri);
    this.lastGood.delete(uri);
    this.changed(uri);
  }

  /** A file changed on disk (or was created or deleted). */
  fileChanged(uri: string): void {
    if (!this.overlays.has(uri)) this.changed(uri);
  }

  /** Drops what was computed from a file; parses are cheap to redo, costs of other files depend on it. */
  private changed(uri: string): void {
    this.parsed.delete(uri);
    this.costs.clear();
    if (isAgentGraphFile(uri)) this.overlayFiles.delete(dirnameUri(uri));
    if (isLanggraphJson(uri)) {
      // It names graphs in any file below it: those are parsed again, under their new names.
      this.configs.delete(uri);
      this.parsed.clear();
    }
  }

  /** The langgraph.json files read so far, by URI: the config, or null where there is none. */
  private readonly configs = new Map<string, { readonly text: string; readonly config: LanggraphConfig } | null>();

  /** The langgraph.json at this URI (open buffer, else disk), parsed once per text. */
  configAt(uri: string): LanggraphConfig | undefined {
    const cached = this.configs.get(uri);
    if (cached === null) return undefined;
    const text = cached && !this.overlays.has(uri) ? cached.text : this.textOf(uri);
    if (text === undefined) {
      keepRecent(this.configs, uri, null, 256);
      return undefined;
    }
    if (cached && cached.text === text) return cached.config;
    const config = parseLanggraphJson(text);
    keepRecent(this.configs, uri, { text, config }, 256);
    return config;
  }

  /** The langgraph.json files in the folders above a file (nearest first): the configs that may name its graphs. */
  configsAbove(uri: string): string[] {
    const out: string[] = [];
    let folder = dirnameUri(fileOf(uri));
    for (let i = 0; i < 64; i++) {
      const candidate = childUri(folder, LANGGRAPH_JSON);
      if (candidate !== uri && this.configAt(candidate)) out.push(candidate);
      const up = dirnameUri(folder);
      if (up === folder) break;
      folder = up;
    }
    return out;
  }

  /**
   * The file a langgraph.json entry names: a path relative to the config (`./src/agent/graph.py`), or a Python
   * module name (`my_agent.graph`) found under the config's folder or one of its local dependencies; undefined
   * when a module name is not found there (it may be an installed package).
   */
  deployedFile(configUri: string, config: LanggraphConfig, entry: DeployedGraph): string | undefined {
    if (entry.module.includes('/') || entry.module.includes('\\')) return resolveRelative(configUri, entry.module.replace(/\\/g, '/'));
    const parts = entry.module.split('.').filter(Boolean).join('/');
    if (!parts) return undefined;
    for (const base of ['.', ...config.localDependencies]) {
      for (const rel of [`${base}/${parts}.py`, `${base}/${parts}/__init__.py`]) {
        const candidate = resolveRelative(configUri, rel);
        if (this.textOf(candidate) !== undefined) return candidate;
      }
    }
    return undefined;
  }

  /** The files a langgraph.json names that exist (for the CLI and the workspace's Problems: they are checked too). */
  deployedFiles(configUri: string): string[] {
    const config = this.configAt(configUri);
    const out = new Set<string>();
    for (const e of config?.graphs ?? []) {
      const f = this.deployedFile(configUri, config!, e);
      if (f && this.textOf(f) !== undefined && frontendFor(f)) out.add(f);
    }
    return [...out];
  }

  /** The langgraph.json entries that name a graph in this file, the nearest config first, in its order. */
  private deploymentsOf(uri: string): { configs: string[]; entries: DeployedGraph[] } {
    const configs = this.configsAbove(uri);
    const entries: DeployedGraph[] = [];
    for (const c of configs) {
      const config = this.configAt(c)!;
      for (const e of config.graphs) if (this.deployedFile(c, config, e) === uri) entries.push(e);
    }
    return { configs, entries };
  }

  /**
   * The agent graph files on disk in a folder that may be overlays (they say `source:`), listed once per folder
   * until one of its agent graph files changes: the overlay lookup of a code file runs on every analysis.
   */
  private readonly overlayFiles = new Map<string, readonly string[]>();

  private overlaysIn(folder: string): readonly string[] {
    let found = this.overlayFiles.get(folder);
    if (!found) {
      found = (this.host.list?.(folder) ?? []).filter((u) => isAgentGraphFile(u) && /^source\s*:/m.test(this.host.read(u) ?? ''));
      keepRecent(this.overlayFiles, folder, found, this.cacheSize);
    }
    return found;
  }

  /** Forgets a file entirely (closed and not referred to), to keep memory bounded. */
  forget(uri: string): void {
    if (this.overlays.has(uri)) return;
    this.parsed.delete(uri);
    this.refs.delete(uri);
  }

  /** Files whose graphs refer to `uri`, directly or through other subgraphs. */
  dependentsOf(uri: string): string[] {
    const out = new Set<string>();
    const queue = [uri];
    for (let i = 0; i < queue.length; i++) {
      for (const [from, tos] of this.refs) {
        if (tos.has(queue[i]) && !out.has(from) && from !== uri) {
          out.add(from);
          queue.push(from);
        }
      }
    }
    return [...out];
  }

  private textOf(uri: string): string | undefined {
    return this.overlays.get(uri) ?? this.host.read(uri);
  }

  private parse(address: string): Parsed | undefined {
    const uri = fileOf(address);
    const cached = this.parsed.get(uri);
    // A file read from disk stays as read until fileChanged() says otherwise: the subgraphs of a graph being
    // edited are not read again on every keystroke.
    if (cached && !this.overlays.has(uri)) {
      keepRecent(this.parsed, uri, cached, this.cacheSize);
      return cached;
    }
    const text = this.textOf(uri);
    if (text === undefined) {
      this.parsed.delete(uri);
      this.refs.delete(uri);
      return undefined;
    }
    if (cached && cached.text === text) {
      keepRecent(this.parsed, uri, cached, this.cacheSize);
      return cached;
    }
    // A file no frontend claims by its name is read as the format when it could be YAML or JSON; anything else
    // (a `.d.ts`, a text file given on the command line) holds no graph, and says so.
    const frontend = frontendFor(uri) ?? (/\.(ya?ml|json)$/i.test(uri) || !/\.[^/.]+$/.test(uri) ? yamlFrontend : undefined);
    let result: FrontendResult = isLanggraphJson(uri) ? { graphs: [], diagnostics: [] } : !frontend
      ? { graphs: [], diagnostics: [{ code: 'AG001', severity: 'warning', range: { start: 0, end: 0 }, message: 'this file is not one AgentGraph reads: it reads agent graph files (*.agentgraph.yaml, .yml, .json) and LangGraph modules (.py, .ts, .js and their variants; not .d.ts)' }] }
      : frontend.mayHoldGraph(text) ? frontend.parse(text, uri) : { graphs: [], diagnostics: [] };
    if (this.overlays.has(uri)) {
      const good = this.lastGood.get(uri);
      if (!result.partial) this.lastGood.set(uri, { text, result });
      else if (good && good.result.graphs.length > 0) result = heldOver(good.text, good.result, text, result);
    }
    // A graph that langgraph.json deploys is named by its graph id, and is the file's main graph.
    const deployed = result.graphs.length > 0 && !isAgentGraphFile(uri) ? this.deploymentsOf(uri) : undefined;
    if (deployed && deployed.entries.length > 0) result = { ...result, graphs: deployedFirst(result.graphs, deployed.entries) };
    const p: Parsed = { text, result, graphs: result.graphs.map((graph) => ({ graph, queries: new GraphQueries(graph) })) };
    // The IR and its queries cost about 2 KB a node: keep them for the files in use, re-parse the others.
    keepRecent(this.parsed, uri, p, this.cacheSize);
    const refs = new Set<string>();
    for (const g of result.graphs) for (const n of g.nodes.values()) if (n.kind === 'subgraph' && n.graph) refs.add(fileOf(resolveGraphRef(uri, n.graph.value)));
    for (const g of result.graphs) if (g.source) refs.add(fileOf(resolveGraphRef(uri, g.source.file.value)));
    // The langgraph.json files above it: a change to one may name (or stop naming) its graphs.
    for (const c of deployed?.configs ?? []) refs.add(c);
    refs.delete(uri);
    this.refs.set(uri, refs);
    return p;
  }

  /** The graph a file holds now (open buffer, else disk), parsed once and shared with the analyses. */
  graphOf(address: string): { readonly text: string; readonly graph?: AgentGraph } | undefined {
    const p = this.parse(address);
    return p && { text: p.text, graph: pick(p, address)?.graph };
  }

  /**
   * The graphs an analysis of `uri` sees: an overlay's is merged with the code it names; a code file's graph is
   * merged with the overlay beside it that names it. Returns the graphs, findings about the link, and the other
   * file (so that a change to either re-analyses both).
   */
  private withOverlay(uri: string, p: Parsed): { graphs: readonly GraphEntry[]; diagnostics: AgDiagnostic[]; other?: string } {
    const own = p.graphs[0]?.graph;
    if (own?.source && p.graphs.length === 1) {
      const src = own.source;
      const address = resolveGraphRef(uri, src.graph ? `${src.file.value}#${src.graph.value}` : src.file.value);
      const code = this.parse(address);
      const other = fileOf(address);
      if (!code) return { graphs: [], other, diagnostics: [{ code: 'AG002', severity: 'error', range: src.file.range, message: `source file "${src.file.value}" does not exist or cannot be read: this overlay applies to no graph; name the LangGraph file beside it, such as ./graph.py` }] };
      const entry = pick(code, address);
      if (!entry) {
        const names = code.graphs.map((g) => `"${g.graph.name?.value}"`).join(', ');
        const what = src.graph ? `no graph named "${src.graph.value}"` : 'no graph';
        return { graphs: [], other, diagnostics: [{ code: 'AG002', severity: 'error', range: (src.graph ?? src.file).range, message: `"${src.file.value}" holds ${what}${names ? ` (it holds ${names})` : ''}: this overlay applies to nothing; name one of its graphs in source.graph` }] };
      }
      const m = merge(entry.graph, own, uri, 'overlay');
      return { graphs: [{ graph: m.graph, queries: new GraphQueries(m.graph) }], diagnostics: m.diagnostics, other };
    }
    if (!own || isAgentGraphFile(uri) || !this.host.list) return { graphs: p.graphs, diagnostics: [] };
    const folder = dirnameUri(uri);
    const candidates = new Set([...this.overlaysIn(folder), ...[...this.overlays.keys()].filter((u) => dirnameUri(u) === folder)]);
    for (const candidate of candidates) {
      const text = this.textOf(candidate);
      if (text === undefined || !mayOverlay(candidate, text, uri)) continue;
      const o = this.parse(candidate)?.graphs[0]?.graph;
      if (!o?.source) continue;
      const address = resolveGraphRef(candidate, o.source.graph ? `${o.source.file.value}#${o.source.graph.value}` : o.source.file.value);
      if (fileOf(address) !== uri) continue;
      const target = pick(p, address.replace(/^[^#]*/, uri));
      if (!target) continue;
      const m = merge(target.graph, o, candidate, 'code');
      this.refs.get(uri)?.add(candidate);
      return { graphs: p.graphs.map((g) => (g === target ? { graph: m.graph, queries: new GraphQueries(m.graph) } : g)), diagnostics: [], other: candidate };
    }
    return { graphs: p.graphs, diagnostics: [] };
  }

  /** A path of subgraph references from `from` back to `to`, if one exists. */
  private findCycle(from: string, to: string): string[] | undefined {
    const parent = new Map<string, string>([[from, '']]);
    const queue = [from];
    for (let i = 0; i < queue.length; i++) {
      const uri = queue[i];
      this.parse(uri);
      for (const next of this.refs.get(uri) ?? []) {
        if (next === to) {
          const chain = [uri];
          while (parent.get(chain[0])) chain.unshift(parent.get(chain[0])!);
          return [to, ...chain, to];
        }
        if (!parent.has(next)) {
          parent.set(next, uri);
          queue.push(next);
        }
      }
    }
    return undefined;
  }

  subgraphInfo(fromUri: string, node: GraphNode): SubgraphInfo | undefined {
    if (!node.graph) return undefined;
    const address = resolveGraphRef(fromUri, node.graph.value);
    const uri = fileOf(address);
    if (address === fromUri) return { status: 'cycle', uri, chain: [fromUri, fromUri] };
    const p = this.parse(address);
    if (!p) return { status: 'missing', uri, reason: `file "${node.graph.value.replace(/#.*$/, '')}" does not exist or cannot be read` };
    const entry = pick(p, address);
    const fatal = uri !== fileOf(fromUri) && p.result.diagnostics.some((d) => d.severity === 'error' && d.code === 'AG001');
    if (!entry || fatal) {
      const first = p.result.diagnostics[0];
      const where = first ? ` (line ${new LineIndex(p.text).position(first.range.start).line + 1}: ${first.message})` : '';
      const what = entry ? 'a valid agent graph' : graphNameOf(address) ? `a graph named "${graphNameOf(address)}"` : 'a graph';
      return { status: 'invalid', uri, reason: `"${basename(uri)}" does not hold ${what}${where}` };
    }
    if (uri !== fileOf(fromUri)) {
      const cycle = this.findCycle(uri, fileOf(fromUri));
      if (cycle) return { status: 'cycle', uri, chain: cycle };
    }
    return { status: 'ok', uri, graph: entry.graph };
  }

  /** The worst-case cost of a whole file's run, following its own subgraphs; undefined on a cycle or error. */
  private costOf(uri: string, stack: readonly string[]): Cost | undefined {
    if (stack.includes(uri)) return undefined;
    if (this.costs.has(uri)) return this.costs.get(uri);
    const p = this.parse(uri);
    const entry = p && pick(p, uri);
    let cost: Cost | undefined;
    if (entry) {
      const wc = worstCase(entry.graph, entry.queries, (n) => (n.graph ? this.costOf(resolveGraphRef(uri, n.graph.value), [...stack, uri]) : undefined));
      cost = { usd: wc.usd, tokens: wc.tokens };
    }
    this.costs.set(uri, cost);
    return cost;
  }

  /**
   * A langgraph.json: whether each graph it deploys is there to load. An entry whose file does not exist, or
   * whose variable is not in that file, breaks the deployment; one whose variable is there but is no graph
   * AgentGraph reads is not analysed under its id (said as a warning: it may be built in a way not read).
   */
  private analyzeConfig(uri: string): Analysis {
    const text = this.textOf(uri);
    const lines = new LineIndex(text ?? '');
    if (text === undefined) {
      return { uri, text: '', lines, dependencies: [], graphs: [], diagnostics: [{ code: 'AG001', severity: 'error', message: 'this file cannot be read: check that it exists and that you may read it', range: { start: 0, end: 0 } }] };
    }
    const config = this.configAt(uri) ?? parseLanggraphJson(text);
    const layers = this.severities(uri);
    const diagnostics: AgDiagnostic[] = [];
    const push = (d: AgDiagnostic) => {
      const severity = effectiveSeverity(d.code, d.severity, ...layers);
      if (severity !== 'off') diagnostics.push({ ...d, severity });
    };
    config.diagnostics.forEach(push);
    const dependencies = new Set<string>();
    const idsOnly = new Set(config.graphs.filter((g) => g.id !== g.variable).map((g) => g.id));
    for (const e of config.graphs) {
      const file = this.deployedFile(uri, config, e);
      if (!file) continue; // a module name not found in the project: an installed package, perhaps
      dependencies.add(file);
      const loads = `a deployment fails to load graph "${e.id}"`;
      const code = this.textOf(file);
      if (code === undefined) {
        push({ code: 'AG002', severity: 'error', range: e.range, message: `"${e.module}" does not exist (relative to this langgraph.json): ${loads}; write the path of the file that builds it, relative to this langgraph.json (as in "./src/agent/graph.py:${e.variable}")` });
        continue;
      }
      const p = frontendFor(file) ? this.parse(file) : undefined;
      if (p?.graphs.some((g) => g.graph.name?.value === e.variable || g.graph.aliases?.includes(e.variable))) continue;
      // The graphs' own names in the code (not the graph ids this config gave them).
      const read = (p?.graphs ?? []).map((g) => [g.graph.name?.value, ...(g.graph.aliases ?? [])].filter((n): n is string => !!n && !idsOnly.has(n))).filter((names) => names.length > 0);
      const named = read.map((names) => names.map((n) => `"${n}"`).join(' or ')).join(', ');
      const holds = read.length === 1 ? ` (the graph there is ${named})` : read.length > 1 ? ` (the graphs there: ${named})` : '';
      // The name nowhere in the file, as a whole word: it is defined nowhere there.
      const defined = new RegExp(`(^|[^\\w$.])${e.variable.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w$])`).test(code);
      if (!defined) {
        push({ code: 'AG002', severity: 'error', range: e.range, message: `"${basename(file)}" defines no "${e.variable}"${holds}: ${loads}; name the variable that holds the compiled graph (or a function that returns it)${read.length > 0 ? `, such as "${e.module}:${read[0].at(-1)}"` : ''}` });
      } else {
        push({ code: 'AG002', severity: 'warning', range: e.range, message: `AgentGraph reads no graph named "${e.variable}" in "${basename(file)}"${holds}: graph "${e.id}" is not analysed; if "${e.variable}" is not a graph (a compiled StateGraph, or a function that returns one), ${loads}` });
      }
    }
    this.refs.set(uri, dependencies);
    diagnostics.sort((a, b) => a.range.start - b.range.start || a.code.localeCompare(b.code));
    return { uri, text, lines, graphs: [], diagnostics, dependencies: [...dependencies] };
  }

  /** Analyses a file at once. */
  analyze(uri: string): Analysis {
    const steps = this.steps(uri);
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
    }
  }

  /**
   * Analyses a file, giving the event loop a turn between rules whenever a slice of work has taken longer than
   * `sliceMs`, so that a server stays responsive; throws CancelledError once `cancel` is set.
   */
  async analyzeAsync(uri: string, cancel: Cancellation, sliceMs = 8): Promise<Analysis> {
    const steps = this.steps(uri);
    let sliceStart = performance.now();
    for (;;) {
      if (cancel.cancelled) throw new CancelledError();
      const r = steps.next();
      if (r.done) return r.value;
      if (performance.now() - sliceStart > sliceMs) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
  }

  /** The analysis as a sequence of steps: it yields after parsing and after each rule of each graph. */
  private *steps(uri: string): Generator<void, Analysis, void> {
    if (isLanggraphJson(uri)) return this.analyzeConfig(uri);
    const p = this.parse(uri);
    const text = p?.text ?? '';
    const lines = new LineIndex(text);
    if (!p) {
      return {
        uri, text, lines, dependencies: [], graphs: [],
        diagnostics: [{ code: 'AG001', severity: 'error', message: 'this file cannot be read: check that it exists and that you may read it', range: { start: 0, end: 0 } }],
      };
    }
    yield;
    const layers = this.severities(uri);
    const diagnostics: AgDiagnostic[] = [];
    const push = (rule: Pick<Rule, 'code' | 'severity'>, d: Omit<AgDiagnostic, 'code' | 'severity'>) => {
      const severity = effectiveSeverity(rule.code, rule.severity, ...layers);
      if (severity !== 'off') diagnostics.push({ ...d, code: rule.code, severity });
    };
    for (const d of p.result.diagnostics) push({ code: d.code, severity: d.severity }, d);
    const linked = this.withOverlay(uri, p);
    for (const d of linked.diagnostics) push({ code: d.code, severity: d.severity }, d);

    let mainWorst: WorstCase | undefined;
    const dependencies = new Set<string>(linked.other ? [linked.other] : []);
    for (const [i, { graph, queries: q }] of linked.graphs.entries()) {
      const address = i === 0 ? uri : `${uri}#${graph.name?.value ?? ''}`;
      let wc: WorstCase | undefined;
      const worst = (): WorstCase =>
        (wc ??= worstCase(graph, q, (n) => (n.graph ? this.costOf(resolveGraphRef(uri, n.graph.value), [address]) : undefined)));
      for (const rule of this.rules) {
        if (effectiveSeverity(rule.code, rule.severity, ...layers) === 'off') continue;
        const ctx: RuleContext = {
          graph,
          q,
          worstCase: worst,
          subgraph: (n) => {
            const info = this.subgraphInfo(uri, n);
            if (info && info.uri !== uri) dependencies.add(info.uri);
            return info;
          },
          report: (d) => push(rule, d),
        };
        try {
          rule.check(ctx);
        } catch (e) {
          // A rule that throws is a bug in AgentGraph, not in the user's graph: say so and keep the others.
          push({ code: rule.code, severity: 'error' }, { message: `internal error in rule ${rule.code}: ${(e as Error).message}; please report this`, range: graph.root });
        }
        yield;
      }
      if (i === 0) mainWorst = worst();
      for (const n of graph.nodes.values()) {
        if (n.kind !== 'subgraph' || !n.graph) continue;
        const dep = fileOf(resolveGraphRef(uri, n.graph.value));
        if (dep !== uri) dependencies.add(dep);
      }
    }
    const main = linked.graphs[0];
    // Findings placed in the other file of an overlay pair are that file's to publish.
    const own = linked.other ? diagnostics.filter((d) => !elsewhere(d, uri)) : diagnostics;
    applySuppressions(own, main?.graph, lines);
    own.sort((a, b) => a.range.start - b.range.start || a.code.localeCompare(b.code));
    return {
      uri, text, lines, graph: main?.graph, queries: main?.queries, graphs: linked.graphs,
      diagnostics: dedupe(own), worstCase: mainWorst, dependencies: [...dependencies],
      ...(linked.other && linked.graphs.length > 0 ? { partner: linked.other } : {}),
    };
  }
}

/**
 * What the analysis reads while a document does not parse (an unclosed bracket being typed): the graphs and
 * findings of the last text that did, every offset moved to where that code is now. The edit is the span
 * between the common prefix and the common suffix of the two texts; offsets after it move by its length
 * difference, offsets inside it move to its start. The new text's own syntax notice is kept.
 */
export function heldOver(goodText: string, good: FrontendResult, text: string, now: FrontendResult): FrontendResult {
  const edit = editBetween(goodText, text);
  const move = (r: Range) => shiftRange(r, edit);
  // Disable directives are kept by line: those below the edit move by the lines it added or removed.
  const editLine = new LineIndex(goodText).position(edit.start).line;
  const lineDelta = countLines(text, edit.start, edit.newEnd) - countLines(goodText, edit.start, edit.oldEnd);
  const graphs = good.graphs.map((g) => {
    const moved = mapRanges(g, move);
    if (lineDelta === 0 || moved.suppressions.length === 0) return moved;
    return { ...moved, suppressions: moved.suppressions.map((s) => (s.line !== undefined && s.line > editLine ? { ...s, line: s.line + lineDelta } : s)) };
  });
  const notices = now.diagnostics.filter((d) => d.code === 'AG001');
  return { graphs, diagnostics: [...notices, ...mapRanges(good.diagnostics, move)], partial: true };
}

/** The span two texts differ in: `before.slice(start, oldEnd)` became `after.slice(start, newEnd)`. */
export function editBetween(before: string, after: string): { start: number; oldEnd: number; newEnd: number } {
  const min = Math.min(before.length, after.length);
  let p = 0;
  while (p < min && before.charCodeAt(p) === after.charCodeAt(p)) p++;
  let s = 0;
  while (s < min - p && before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s)) s++;
  return { start: p, oldEnd: before.length - s, newEnd: after.length - s };
}

/** A range of the text before an edit, in the text after it: moved past the edit, or clamped to its start inside it. */
export function shiftRange(r: Range, edit: { start: number; oldEnd: number; newEnd: number }): Range {
  const delta = edit.newEnd - edit.oldEnd;
  // Text inserted at a range's start pushes it along; text inserted at its end does not extend it.
  const start = r.start >= edit.oldEnd ? r.start + delta : r.start < edit.start ? r.start : edit.start;
  const end = r.end <= edit.start ? r.end : r.end >= edit.oldEnd ? r.end + delta : edit.start;
  return { start, end: Math.max(start, end) };
}

/**
 * A deep copy of `value` with every `{ start, end }` object in it (in nested objects, arrays, Maps and Sets)
 * replaced by `f` of it, its other fields kept. Shared objects stay shared; the IR is plain data.
 */
export function mapRanges<T>(value: T, f: (r: Range) => Range, seen = new Map<object, unknown>()): T {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return seen.get(value) as T;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const v of value) out.push(mapRanges(v, f, seen));
    return out as T;
  }
  if (value instanceof Map) {
    const out = new Map();
    seen.set(value, out);
    for (const [k, v] of value) out.set(k, mapRanges(v, f, seen));
    return out as T;
  }
  if (value instanceof Set) {
    const out = new Set();
    seen.set(value, out);
    for (const v of value) out.add(mapRanges(v, f, seen));
    return out as T;
  }
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const [k, v] of Object.entries(value)) out[k] = mapRanges(v, f, seen);
  if (typeof out.start === 'number' && typeof out.end === 'number') Object.assign(out, f({ start: out.start, end: out.end }));
  return out as T;
}

function countLines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

function applySuppressions(diagnostics: AgDiagnostic[], graph: AgentGraph | undefined, lines: LineIndex): void {
  const sups = graph?.suppressions ?? [];
  if (sups.length === 0) return;
  for (let i = 0; i < diagnostics.length; i++) {
    const d = diagnostics[i];
    const line = lines.position(d.range.start).line;
    const s = suppressionFor(graph, line, d.code);
    if (s) diagnostics[i] = { ...d, suppressed: { reason: s.reason ?? '' } };
  }
}

function dedupe(ds: AgDiagnostic[]): AgDiagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.code}:${d.range.start}:${d.range.end}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * A file's graphs as langgraph.json deploys them: each graph an entry names is named by the entry's graph id (its
 * own names stay aliases, so `file#builder` and overlays still find it), and the first one named is the main graph.
 */
export function deployedFirst(graphs: readonly AgentGraph[], entries: readonly Pick<DeployedGraph, 'id' | 'variable'>[]): AgentGraph[] {
  const out = [...graphs];
  const renamed = new Set<number>();
  let main: number | undefined;
  for (const e of entries) {
    const i = out.findIndex((g) => g.name?.value === e.variable || g.aliases?.includes(e.variable));
    if (i < 0) continue;
    main ??= i;
    const g = out[i];
    if (renamed.has(i)) {
      // A second id for the same graph: another name it answers to.
      if (g.name?.value !== e.id && !g.aliases?.includes(e.id)) out[i] = { ...g, aliases: [...(g.aliases ?? []), e.id] };
      continue;
    }
    renamed.add(i);
    const names = [g.name?.value, ...(g.aliases ?? [])].filter((n): n is string => n !== undefined && n !== e.id);
    out[i] = { ...g, name: { value: e.id, range: g.name?.range ?? g.root }, aliases: [...new Set(names)], ...(g.name && g.name.value !== e.id ? { codeName: g.name.value } : {}) };
  }
  if (main !== undefined && main > 0) out.unshift(...out.splice(main, 1));
  return out;
}
