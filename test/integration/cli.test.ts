// The CLI as a process, as CI runs it: output formats, exit codes, paths, folders and globs, config files.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CLI = resolve('dist/cli.js');
let dir: string;

const CLEAN = resolve('test/fixtures/ok/support-triage.agentgraph.yaml');
const LOOPING = `agentgraph: 1
name: looping
entry: a
nodes:
  a: { kind: function, next: b }
  b: { kind: function, routes: { again: a, done: END } }
`;

function run(args: string[], cwd = dir) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'agentgraph-cli-'));
  mkdirSync(join(dir, 'graphs/nested'), { recursive: true });
  writeFileSync(join(dir, 'graphs/looping.agentgraph.yaml'), LOOPING);
  writeFileSync(join(dir, 'graphs/nested/also.agentgraph.yml'), LOOPING.replace('looping', 'also'));
  writeFileSync(join(dir, 'graphs/readme.md'), '# not a graph');
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('a clean graph exits 0 and says how many files were checked', () => {
  const r = run(['check', CLEAN]);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /1 file checked, 0 errors, 0 warnings, 0 info/);
});

test('errors exit 1; text is file:line:col: severity message [code] with the source line under it', () => {
  const r = run(['check', 'graphs/looping.agentgraph.yaml']);
  assert.equal(r.code, 1);
  const lines = r.out.split('\n');
  const i = lines.findIndex((l) => l.includes('[AG201]'));
  assert.match(lines[i], /^graphs\/looping\.agentgraph\.yaml:\d+:\d+: error .+ \[AG201\]$/);
  assert.match(lines[i + 1], /^ {2}\s*a: \{ kind: function|^ {2}\s*b: \{ kind: function/);
  assert.match(lines[i + 2], /^\s+\^+$/);
});

test('folders are searched recursively for agent graph files; globs match', () => {
  assert.match(run(['check', 'graphs']).out, /2 files checked/);
  assert.match(run(['check', 'graphs/**/*.agentgraph.yml']).out, /1 file checked/);
  assert.match(run(['check']).out, /2 files checked/);
});

test('json is one array of 1-based findings', () => {
  const r = run(['check', '--format', 'json', 'graphs/looping.agentgraph.yaml']);
  assert.equal(r.code, 1);
  const findings = JSON.parse(r.out) as Record<string, unknown>[];
  assert.ok(Array.isArray(findings) && findings.length > 0);
  const f = findings.find((x) => x.code === 'AG201')!;
  assert.deepEqual(Object.keys(f).sort(), ['code', 'column', 'endColumn', 'endLine', 'file', 'line', 'message', 'severity']);
  assert.equal(f.file, 'graphs/looping.agentgraph.yaml');
  assert.ok((f.line as number) >= 1 && (f.column as number) >= 1);
});

test('sarif is SARIF 2.1.0 with the rule catalog and results', () => {
  const r = run(['check', '--format', 'sarif', 'graphs']);
  const sarif = JSON.parse(r.out);
  assert.equal(sarif.version, '2.1.0');
  const run0 = sarif.runs[0];
  assert.equal(run0.tool.driver.name, 'AgentGraph');
  // No web address that does not exist: the page itself for the rules found, and where it is installed.
  const ag201 = run0.tool.driver.rules.find((x: { id: string }) => x.id === 'AG201');
  assert.equal(ag201.helpUri, undefined);
  assert.match(ag201.help.text, /docs\/rules\/AG201\.md/);
  assert.match(ag201.help.markdown, /^# AG201/);
  assert.ok(run0.tool.driver.rules.every((x: { helpUri?: string }) => x.helpUri === undefined));
  const res = run0.results.find((x: { ruleId: string }) => x.ruleId === 'AG201');
  assert.equal(res.level, 'error');
  assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, 'graphs/looping.agentgraph.yaml');
  assert.ok(res.locations[0].physicalLocation.region.startLine >= 1);
});

test('usage errors and unreadable input exit 2', () => {
  assert.equal(run(['check', '--format', 'xml']).code, 2);
  assert.equal(run(['frobnicate']).code, 2);
  assert.equal(run([]).code, 2);
  const missing = run(['check', 'nope.agentgraph.yaml']);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /nope\.agentgraph\.yaml: no such file/);
  if (process.getuid?.() !== 0) {
    writeFileSync(join(dir, 'secret.agentgraph.yaml'), LOOPING);
    chmodSync(join(dir, 'secret.agentgraph.yaml'), 0);
    assert.equal(run(['check', 'secret.agentgraph.yaml']).code, 2);
    rmSync(join(dir, 'secret.agentgraph.yaml'));
  }
});

test('a project .agentgraph.json changes severities; a suppression keeps its reason in the output', () => {
  const sub = join(dir, 'configured');
  mkdirSync(sub);
  writeFileSync(join(sub, 'agentgraph.config.json'), JSON.stringify({ rules: { AG201: 'warning' } }));
  writeFileSync(join(sub, 'g.agentgraph.yaml'), LOOPING);
  const r = run(['check', '--no-source', 'configured']);
  assert.equal(r.code, 0, 'AG201 is only a warning here');
  assert.match(r.out, /warning .+\[AG201\]/);

  writeFileSync(join(sub, 'agentgraph.config.json'), '{ "rules": { "AG201": "loud" } }');
  const bad = run(['check', 'configured']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /agentgraph\.config\.json/);
  rmSync(join(sub, 'agentgraph.config.json'));

  writeFileSync(join(sub, 'g.agentgraph.yaml'), '# agentgraph-disable-file AG201 -- the orchestrator caps this loop at 5 rounds\n' + LOOPING);
  const s = run(['check', '--no-source', 'configured']);
  assert.match(s.out, /\[AG201\] \(suppressed: the orchestrator caps this loop at 5 rounds\)/);
  assert.match(s.out, /1 suppressed/);
  const json = JSON.parse(run(['check', '--format', 'json', '--include-suppressed', 'configured']).out);
  assert.equal(json.find((f: { code: string }) => f.code === 'AG201').suppressed.reason, 'the orchestrator caps this loop at 5 rounds');
});

test('lsp without --stdio is a usage error; --version prints the version', () => {
  assert.equal(run(['lsp']).code, 2);
  assert.match(run(['--version']).out, /^\d+\.\d+\.\d+/);
});

test('a key that is a list (`? [a, b]`) is an AG001 finding at its place, and nothing is printed on stderr', () => {
  writeFileSync(join(dir, 'complex-key.agentgraph.yaml'), 'agentgraph: 1\nname: x\nentry: a\nnodes:\n  a: { kind: function, next: END }\n  ? [a, b]\n  : { kind: function, next: END }\n');
  const r = run(['check', '--no-source', 'complex-key.agentgraph.yaml']);
  assert.equal(r.err, '');
  assert.equal(r.code, 1);
  assert.match(r.out, /^complex-key\.agentgraph\.yaml:6:5: error a key must be a name, not a list \(\[a, b\]\).*\[AG001\]$/m);
});

test('check <folder> checks langgraph.json: an entry a deployment could not load, at its line; the graph under its id', () => {
  const app = mkdtempSync(join(tmpdir(), 'agentgraph-cli-lgjson-'));
  try {
    mkdirSync(join(app, 'src'));
    writeFileSync(join(app, 'src', 'graph.py'), [
      'from typing import TypedDict',
      'from langgraph.graph import StateGraph, START',
      'class S(TypedDict):',
      '    x: int',
      'def a(state: S): return {"x": 1}',
      'builder = StateGraph(S)',
      'builder.add_node("a", a)',
      'builder.add_edge(START, "a")',
      'graph = builder.compile()',
      '',
    ].join('\n'));
    writeFileSync(join(app, 'langgraph.json'), '{\n  "dependencies": ["."],\n  "graphs": {\n    "agent": "./src/graph.py:graph",\n    "broken": "./src/graph.py:compiled"\n  }\n}\n');
    const r = run(['check', '.', '--format', 'json'], app);
    assert.equal(r.code, 1, r.err);
    const found = JSON.parse(r.out) as { file: string; code: string; line: number; message: string }[];
    const config = found.filter((d) => d.file === 'langgraph.json');
    assert.deepEqual(config.map((d) => [d.code, d.line]), [['AG002', 5]]);
    assert.match(config[0].message, /"graph\.py" defines no "compiled".*a deployment fails to load graph "broken".*"\.\/src\/graph\.py:graph"/);
    assert.ok(found.some((d) => d.file === 'src/graph.py'), 'the graph file is checked with it');

    const g = run(['graph', 'src/graph.py'], app);
    assert.equal(g.code, 0, g.err);
    assert.equal((JSON.parse(g.out) as { name: string }[])[0].name, 'agent', 'named by its graph id');

    writeFileSync(join(app, 'langgraph.json'), '{ "graphs": { "agent": "./src/graph.py:graph", } }');
    const bad = run(['check', 'langgraph.json', '--format', 'json'], app);
    assert.equal(bad.code, 1, bad.err);
    assert.match((JSON.parse(bad.out) as { message: string }[])[0].message, /not valid JSON: a trailing comma/);
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
});
