// `agentgraph graph FILE... --format json|mermaid`: the graphs as read (the IR, not a picture), in the shape
// docs/langgraph.md gives, for any frontend. Mermaid follows LangGraph's own draw_mermaid() conventions, so that
// the output pastes into a pull request next to what LangGraph draws.
import { relative, resolve } from 'node:path';
import { checkFormat, parseCommandArgs, usageError } from './args.ts';
import { expandInputs } from './files.ts';
import { Workspace } from '../analysis/workspace.ts';
import { diskHost } from '../node/diskHost.ts';
import { pathToUri } from '../core/uris.ts';
import { END, type AgentGraph } from '../core/ir.ts';
import type { GraphQueries } from '../core/queries.ts';
import { LineIndex } from '../core/lineIndex.ts';

/** The node LangGraph starts from; a frontend makes it a node only when the start is conditional. */
const START_NODE = '__start__';

export interface GraphJson {
  file: string;
  name: string | null;
  line: number;
  entry: string[];
  nodes: { id: string; kind: string; line: number }[];
  edges: { from: string; to: string | null; kind: string; label?: string; inferred?: true }[];
  loops: { nodes: string[]; bound: 'max_visits' | 'guard' | 'steps' | 'none'; evidence?: string }[];
}

export function graphJson(file: string, graph: AgentGraph, q: GraphQueries, lines: LineIndex): GraphJson {
  const line = (offset: number) => lines.position(offset).line + 1;
  const base = file.split(/[\\/]/).pop() ?? file;
  const startNode = graph.nodes.get(START_NODE);
  const entry = startNode ? [...new Set(startNode.out.map((t) => t.to))] : graph.entry ? [graph.entry.value] : [];
  const nodes = [...graph.nodes.values()].filter((n) => n.id !== START_NODE).map((n) => ({ id: n.id, kind: n.kind ?? 'function', line: line(n.range.start) }));
  const edges: GraphJson['edges'] = [];
  for (const n of graph.nodes.values()) {
    if (n.id === START_NODE) continue;
    const seen = new Set<string>();
    for (const t of n.out) {
      const key = `${t.kind}:${t.to}:${t.label ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      edges.push({ from: n.id, to: t.to, kind: t.kind, ...(t.label !== undefined ? { label: t.label } : {}), ...(t.inferred ? { inferred: true as const } : {}) });
    }
    if (n.dynamic) edges.push({ from: n.id, to: null, kind: 'dynamic' });
  }
  const loops: GraphJson['loops'] = [];
  const steps = graph.budget?.steps !== undefined || (graph.runtime?.defaultStepsBound ?? false);
  const describe = (members: readonly string[], inner: boolean): GraphJson['loops'][number] => {
    const guarded = members.map((id) => graph.nodes.get(id)!).filter((n) => n.maxVisits !== undefined);
    const coded = guarded.find((n) => n.guard);
    if (!inner && coded?.guard) return { nodes: [...members], bound: 'guard', evidence: `${base}:${line(coded.guard.range.start)}` };
    if (!inner && guarded.length > 0) return { nodes: [...members], bound: 'max_visits', evidence: `${base}:${line((guarded[0].fields.get('max_visits') ?? guarded[0].maxVisits!.range).start)}` };
    return { nodes: [...members], bound: steps ? 'steps' : 'none' };
  };
  for (const l of q.loops()) loops.push(describe(l, false));
  for (const l of q.unguardedLoops()) {
    const outer = q.loopOf(l[0]);
    // A cycle inside a guarded loop that its guard does not cover is listed on its own.
    if (outer && outer.some((id) => graph.nodes.get(id)?.maxVisits !== undefined)) loops.push(describe(l, true));
  }
  return { file, name: graph.name?.value ?? null, line: line(graph.root.start), entry, nodes, edges, loops };
}

/** Mermaid in draw_mermaid()'s style: `__start__`/`__end__` ends, solid static edges, dotted conditional ones. */
export function graphMermaid(g: GraphJson): string {
  const id = (s: string) => (s === END ? '__end__' : /^[A-Za-z_][\w]*$/.test(s) ? s : `n_${s.replace(/\W/g, '_')}`);
  const out = ['---', `title: ${g.name ?? g.file}`, '---', 'graph TD;'];
  out.push(`\t__start__([<p>__start__</p>]):::first`);
  for (const n of g.nodes) out.push(`\t${id(n.id)}(${JSON.stringify(n.id).slice(1, -1)})`);
  if (g.edges.some((e) => e.to === END) || g.nodes.length === 0) out.push(`\t__end__([<p>__end__</p>]):::last`);
  const conditional = g.entry.length > 1;
  for (const e of g.entry) out.push(`\t__start__ ${conditional ? '-.->' : '-->'} ${id(e)};`);
  for (const e of g.edges) {
    if (e.to === null) continue;
    const dotted = e.kind === 'route' || e.kind === 'command' || e.kind === 'error' || e.kind === 'exhausted';
    const label = e.label && e.label !== e.to ? e.label : e.kind === 'error' ? 'on error' : e.kind === 'exhausted' ? 'exhausted' : undefined;
    const arrow = dotted ? (label ? `-. &nbsp;${label}&nbsp; .->` : '-.->') : label ? `-- &nbsp;${label}&nbsp; -->` : '-->';
    out.push(`\t${id(e.from)} ${arrow} ${id(e.to)};`);
  }
  out.push('\tclassDef default fill:#f2f0ff,line-height:1.2', '\tclassDef first fill-opacity:0', '\tclassDef last fill:#bfb6fc');
  return out.join('\n');
}

export function graphCommand(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  const args = parseCommandArgs('graph', argv, { format: { type: 'string', default: 'json' } }, { out, err });
  if (typeof args === 'number') return args;
  const format = args.values.format;
  if (!checkFormat('graph', format, ['json', 'mermaid'], err)) return 2;
  if (args.positionals.length === 0) {
    return usageError('graph', 'name at least one file or folder', { err });
  }
  const { files, problems } = expandInputs(args.positionals);
  for (const p of problems) err(`agentgraph graph: ${p}\n`);
  const workspace = new Workspace(diskHost);
  const graphs: GraphJson[] = [];
  let unreadable = problems.length > 0;
  for (const file of files) {
    const uri = pathToUri(resolve(file));
    const a = workspace.analyze(uri);
    if (a.graphs.length === 0 && a.diagnostics.some((d) => d.severity === 'error')) {
      err(`agentgraph graph: ${display(file)}: no graph could be read (${a.diagnostics[0].message})\n`);
      unreadable = true;
      continue;
    }
    for (const { graph, queries } of a.graphs) graphs.push(graphJson(display(file), graph, queries, a.lines));
  }
  if (format === 'json') out(JSON.stringify(graphs, null, 2) + '\n');
  else out(graphs.map(graphMermaid).join('\n\n') + '\n');
  return unreadable ? 2 : 0;
}

function display(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel.split('\\').join('/');
}
