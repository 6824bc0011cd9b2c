// `agentgraph readiness` as CI runs it: the bundled CLI as a process, its formats and its exit status.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CLI = resolve('dist/cli.js');
let dir: string;

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, 'readiness', ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'agentgraph-readiness-'));
  cpSync(resolve('examples'), join(dir, 'examples'), { recursive: true });
  writeFileSync(join(dir, 'broken.agentgraph.yaml'), 'agentgraph: 1\nname: [oops\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('a ready graph exits 0; the text report names the verdict and each checkpoint', () => {
  const r = run(['examples/support-triage.agentgraph.yaml']);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /^support-triage \(examples\/support-triage\.agentgraph\.yaml\): READY, 5 of 5 checkpoints pass$/m);
  assert.equal((r.out.match(/^ {2}PASS \d\. /gm) ?? []).length, 5);
  assert.match(r.out, /1 graph checked: 1 ready, 0 not ready\n$/);
});

test('a graph that is not ready exits 1, so that CI can gate on it', () => {
  const r = run(['examples']);
  assert.equal(r.code, 1);
  assert.match(r.out, /^research-agent \(examples\/research-agent\.agentgraph\.yaml\): NOT READY, 1 of 5 checkpoints pass$/m);
  assert.match(r.out, /^ {2}first: add max_visits and on_exhausted to "critique" \(line 58\)$/m);
  assert.match(r.out, /^ {7}examples\/research-agent\.agentgraph\.yaml:58:21: loop .* \[AG201\]$/m);
  assert.match(r.out, /5 graphs checked: 3 ready, 2 not ready/);
});

test('json is one object with every graph and a summary', () => {
  const r = run(['--format', 'json', 'examples']);
  assert.equal(r.code, 1);
  const json = JSON.parse(r.out) as { graphs: { graph: string; verdict: string; failed: number[] }[]; summary: unknown };
  assert.deepEqual(json.summary, { graphs: 5, ready: 3, notReady: 2 });
  assert.deepEqual(json.graphs.map((g) => [g.graph, g.verdict, g.failed]), [
    ['kyc', 'ready', []],
    ['customer-onboarding', 'not-ready', [4, 5]],
    ['research_assistant', 'ready', []], // examples/langgraph/langgraph.json deploys it under this id
    ['research-agent', 'not-ready', [1, 2, 3, 5]],
    ['support-triage', 'ready', []],
  ]);
});

test('markdown fits a pull request comment; --link-base turns each place into a link', () => {
  const plain = run(['--format', 'markdown', 'examples']);
  assert.equal(plain.code, 1);
  assert.match(plain.out, /^## AgentGraph production readiness$/m);
  assert.match(plain.out, /^\| \*\*research-agent\*\* \| `examples\/research-agent\.agentgraph\.yaml` \| \*\*not ready\*\* \| fail \| fail \| fail \| pass \| fail \|$/m);
  assert.ok(plain.out.length < 65_536, 'a GitHub comment holds at most 65,536 characters');
  const linked = run(['--format', 'markdown', '--link-base', 'https://github.com/acme/agents/blob/abc123', 'examples/research-agent.agentgraph.yaml']);
  assert.match(linked.out, /\[research-agent\.agentgraph\.yaml:58\]\(https:\/\/github\.com\/acme\/agents\/blob\/abc123\/examples\/research-agent\.agentgraph\.yaml#L58\)/);
});

test('usage errors and unreadable input exit 2', () => {
  assert.equal(run(['--format', 'xml']).code, 2);
  assert.equal(run(['--link-base', 'not a url', 'examples']).code, 2);
  assert.equal(run(['--bogus']).code, 2);
  const missing = run(['nothing-here.agentgraph.yaml']);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /nothing-here\.agentgraph\.yaml: no such file or folder/);
});

test('a file that is not a valid graph is not ready, with its error as the first thing to do', () => {
  const r = run(['broken.agentgraph.yaml']);
  assert.equal(r.code, 1);
  assert.match(r.out, /broken\.agentgraph\.yaml\): NOT READY, the file has errors/);
  assert.match(r.out, /^ {2}ERROR broken\.agentgraph\.yaml:\d+:\d+: .+ \[AG001\]$/m);
});

test('the command is listed in the usage', () => {
  const r = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
  assert.match(r.stdout, /readiness \[paths\|globs\|dirs\.\.\.\]/);
});
