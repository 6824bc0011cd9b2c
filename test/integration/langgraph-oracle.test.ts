// LangGraph itself is the oracle: every Python fixture graph is built by the real `langgraph` (pinned, in a
// virtual environment of the test run, fake chat models, no network) and its `get_graph()` drawing is compared
// with what AgentGraph reads statically from the same file: the same nodes, the same entry, the same static
// and declared conditional edges. What LangGraph cannot see is left aside, and checked to be reported:
//  - a branch with no path map and no `Literal` annotation: LangGraph draws nothing for it ("dynamic"); we
//    report it as unknown (a `dynamic` edge) or read its literal returns (edges marked `inferred`);
//  - the `-> END` edge LangGraph adds to a node with no declared way out ("implicit_end");
//  - the error-handler nodes LangGraph adds (`__error_handler__x`): our IR has failure transitions instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Workspace } from '../../server/src/analysis/workspace.ts';
import { diskHost } from '../../server/src/node/diskHost.ts';
import { pathToUri } from '../../server/src/core/uris.ts';
import { graphJson, type GraphJson } from '../../server/src/cli/graph.ts';

interface OracleGraph {
  builder: string | null;
  compiled: string | null;
  name: string;
  nodes: string[];
  edges: { source: string; target: string; conditional: boolean; data: string | null }[];
  entry: string[];
  dynamic: string[];
  implicit_end: string[];
}
type OracleFile = { file: string; graphs: OracleGraph[] } | { file: string; error: string };

const dir = 'test/fixtures/langgraph/python';
const fixtures = [
  ...readdirSync(dir).filter((f) => f.endsWith('.py')).map((f) => join(dir, f)),
  ...readdirSync(join(dir, 'subgraphs')).filter((f) => f.endsWith('.py') && f !== '__init__.py').map((f) => join(dir, 'subgraphs', f)),
  // The bundled example must be code LangGraph builds, read as LangGraph builds it.
  'examples/langgraph/graph.py',
].sort();

function oracle(): OracleFile[] {
  const python = execFileSync('bash', ['scripts/oracle-venv.sh'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000 }).trim().split('\n').pop()!;
  return JSON.parse(execFileSync(python, ['test/oracle/dump_graphs.py', ...fixtures], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }));
}

const isHandler = (id: string) => /^__(default_)?error_handler__/.test(id);

function compare(ours: GraphJson, theirs: OracleGraph): string[] {
  const problems: string[] = [];
  const nodesT = theirs.nodes.filter((n) => !isHandler(n)).sort();
  const nodesO = ours.nodes.map((n) => n.id).sort();
  if (nodesT.join() !== nodesO.join()) problems.push(`nodes: LangGraph ${nodesT.join(', ')}; ours ${nodesO.join(', ')}`);
  const dynamic = new Set(theirs.dynamic);
  if (!dynamic.has('START') && [...theirs.entry].sort().join() !== [...ours.entry].sort().join()) problems.push(`entry: LangGraph ${theirs.entry.join(', ')}; ours ${ours.entry.join(', ')}`);
  const implicit = new Set(theirs.implicit_end);
  const key = (from: string, to: string, conditional: boolean) => `${from} -> ${to}${conditional ? ' (conditional)' : ''}`;
  const expected = new Set(theirs.edges.filter((e) => !dynamic.has(e.source) && !(implicit.has(e.source) && e.target === 'END') && !isHandler(e.source) && !isHandler(e.target)).map((e) => key(e.source, e.target, e.conditional)));
  // LangGraph draws nothing past a dynamic branch for what only it reaches.
  const drawn = new Set([...theirs.entry, ...theirs.edges.map((e) => e.target)]);
  const actual = new Set(ours.edges
    .filter((e) => e.to !== null && !e.inferred && e.kind !== 'error' && e.kind !== 'exhausted' && !dynamic.has(e.from) && drawn.has(e.from))
    .map((e) => key(e.from, e.to!, e.kind === 'route' || e.kind === 'command')));
  for (const e of expected) if (!actual.has(e)) problems.push(`missing edge ${e}`);
  for (const e of actual) if (!expected.has(e)) problems.push(`extra edge ${e}`);
  for (const d of dynamic) {
    if (d === 'START') continue;
    if (!ours.edges.some((e) => e.from === d && (e.kind === 'dynamic' || e.inferred))) problems.push(`LangGraph cannot know the branch of ${d}; we neither report it unknown nor read its returns`);
  }
  return problems;
}

test('LangGraph itself builds every Python fixture graph as AgentGraph reads it (get_graph() against agentgraph graph)', { timeout: 900_000 }, () => {
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
      const label = `${f.file} graph ${t.builder ?? t.compiled}`;
      const match = ours.find((o) => o.names.includes(t.builder ?? '') || o.names.includes(t.compiled ?? '') || (t.name !== 'LangGraph' && o.names.includes(t.name)));
      if (!match) {
        failures.push(`${label}: not found by AgentGraph (found: ${ours.map((o) => o.names[0]).join(', ') || 'none'})`);
        continue;
      }
      for (const p of compare(match.json, t)) failures.push(`${label}: ${p}`);
    }
  }
  assert.ok(graphs >= 15, `only ${graphs} graphs built by LangGraph`);
  assert.deepEqual(failures, [], `${failures.length} differences between LangGraph's drawing and AgentGraph's reading`);
  console.log(`# oracle: ${graphs} graphs in ${files.length} modules match LangGraph's own drawing`);
});
