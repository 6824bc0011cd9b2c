// LangGraph JS itself is the oracle: every JS/TS fixture graph (test/fixtures/langgraph/js/) is built by the
// real `@langchain/langgraph` (a pinned devDependency, fake chat models, no network) in a child process, and its
// `getGraph().toJSON()` drawing is compared with what AgentGraph reads statically from the same file: the same
// nodes, the same entry, the same static and declared conditional edges. What LangGraph JS cannot see is left
// aside, and checked to be reported (test/fixtures/langgraph/js/README.md says what getGraph draws):
//  - a branch with no path map: LangGraph JS draws a conditional edge to every other node and END; we report it
//    unknown (a `dynamic` edge) or read its literal returns (edges marked `inferred`);
//  - the `-> END` edge LangGraph adds to a static target that has no way out ("implicit_end");
//  - the `__error_handler__x` nodes LangGraph adds: our IR has failure transitions instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Workspace } from '../../server/src/analysis/workspace.ts';
import { diskHost } from '../../server/src/node/diskHost.ts';
import { pathToUri } from '../../server/src/core/uris.ts';
import { graphJson, type GraphJson } from '../../server/src/cli/graph.ts';
import { mayHoldGraph } from '../../server/src/frontends/index.ts';

interface OracleGraph {
  exports: string[];
  name: string | null;
  nodes: string[];
  edges: { source: string; target: string; conditional: boolean; data: string | null }[];
  entry: string[];
  dynamic: string[];
  implicit_end: string[];
}
type OracleFile = { file: string; graphs: OracleGraph[] } | { file: string; error: string };

const dir = 'test/fixtures/langgraph/js';
const fixtures = readdirSync(dir)
  .filter((f) => /\.(ts|js|mjs|cjs|mts|cts)$/.test(f) && mayHoldGraph(f, readFileSync(join(dir, f), 'utf8')))
  .map((f) => join(dir, f))
  .sort();

function oracle(): OracleFile[] {
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', 'test/oracle/dump_js_graphs.ts', ...fixtures], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }));
}

const isHandler = (id: string) => /^__(default_)?error_handler__/.test(id);

export function compare(ours: GraphJson, theirs: OracleGraph): string[] {
  const problems: string[] = [];
  const nodesT = theirs.nodes.filter((n) => !isHandler(n)).sort();
  const nodesO = ours.nodes.map((n) => n.id).sort();
  if (nodesT.join() !== nodesO.join()) problems.push(`nodes: LangGraph ${nodesT.join(', ')}; ours ${nodesO.join(', ')}`);
  const dynamic = new Set(theirs.dynamic);
  if (!dynamic.has('START') && [...theirs.entry].sort().join() !== [...new Set(ours.entry)].sort().join()) problems.push(`entry: LangGraph ${theirs.entry.join(', ')}; ours ${ours.entry.join(', ')}`);
  const implicit = new Set(theirs.implicit_end);
  const key = (from: string, to: string, conditional: boolean) => `${from} -> ${to}${conditional ? ' (conditional)' : ''}`;
  const expected = new Set(theirs.edges.filter((e) => !dynamic.has(e.source) && !(implicit.has(e.source) && e.target === 'END') && !isHandler(e.source) && !isHandler(e.target)).map((e) => key(e.source, e.target, e.conditional)));
  const actual = new Set(ours.edges
    .filter((e) => e.to !== null && !e.inferred && e.kind !== 'error' && e.kind !== 'exhausted' && !dynamic.has(e.from))
    .map((e) => key(e.from, e.to!, e.kind === 'route' || e.kind === 'command')));
  for (const e of expected) if (!actual.has(e)) problems.push(`missing edge ${e}`);
  for (const e of actual) if (!expected.has(e)) problems.push(`extra edge ${e}`);
  // Labels: a path map key LangGraph draws is the label we give the route.
  for (const e of theirs.edges) {
    if (e.data === null || dynamic.has(e.source) || isHandler(e.source)) continue;
    if (!ours.edges.some((o) => o.from === e.source && o.to === e.target && o.label === e.data)) problems.push(`label ${e.data} of ${key(e.source, e.target, e.conditional)} not read`);
  }
  for (const d of dynamic) {
    const from = d === 'START' ? '__start__' : d;
    // LangGraph JS draws a branch without a path map to every other node and END.
    const everyone = [...theirs.nodes.filter((n) => n !== from && !isHandler(n)), 'END'].sort().join();
    const drawn = theirs.edges.filter((e) => e.source === d && e.conditional && !isHandler(e.target)).map((e) => e.target).sort().join();
    if (d !== 'START' && drawn !== everyone) problems.push(`LangGraph drew the branch of ${d} to ${drawn}, not to every node`);
    if (d === 'START') continue; // the conditional entry: LangGraph draws START to everything, `entry` is ours alone
    if (!ours.edges.some((e) => e.from === d && (e.kind === 'dynamic' || e.inferred))) problems.push(`LangGraph cannot know the branch of ${d}; we neither report it unknown nor read its returns`);
  }
  return problems;
}

test('LangGraph JS itself builds every JS/TS fixture graph as AgentGraph reads it (getGraph() against agentgraph graph)', { timeout: 300_000 }, () => {
  const files = oracle();
  const workspace = new Workspace(diskHost);
  const failures: string[] = [];
  let graphs = 0;
  for (const f of files) {
    if ('error' in f) {
      failures.push(`${f.file}: LangGraph could not build it: ${f.error}`);
      continue;
    }
    const a = workspace.analyze(pathToUri(resolve(f.file)));
    const ours = a.graphs.map((g) => ({ json: graphJson(f.file, g.graph, g.queries, a.lines), names: [g.graph.name?.value, ...(g.graph.aliases ?? [])] }));
    for (const t of f.graphs) {
      graphs++;
      const label = `${f.file} graph ${t.exports.join('/')}`;
      const match = ours.find((o) => t.exports.some((x) => o.names.includes(x)) || (t.name !== null && o.names.includes(t.name)));
      if (!match) {
        failures.push(`${label}: not found by AgentGraph (found: ${ours.map((o) => o.names.join('/')).join(', ') || 'none'})`);
        continue;
      }
      for (const p of compare(match.json, t)) failures.push(`${label}: ${p}`);
    }
  }
  assert.ok(graphs >= 10, `only ${graphs} graphs built by LangGraph JS`);
  assert.deepEqual(failures, [], `${failures.length} differences between LangGraph JS's drawing and AgentGraph's reading`);
  console.log(`# oracle (JS): ${graphs} graphs in ${files.length} modules match LangGraph JS's own drawing`);
});
