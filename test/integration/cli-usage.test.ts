// The CLI's usage as a process: each command's --help, usage errors in our own words with the closest option or
// command, render's refusals before any work, and no summary when nothing could be checked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CLI = resolve('dist/cli.js');
const EXAMPLE = resolve('examples/support-triage.agentgraph.yaml');
let dir: string;

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'agentgraph-usage-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('each command prints its own usage for --help and -h, on stdout, and exits 0', () => {
  for (const command of ['check', 'render', 'readiness', 'traces', 'graph', 'lsp']) {
    for (const flag of ['--help', '-h']) {
      const r = run([command, flag]);
      assert.equal(r.code, 0, `${command} ${flag}: ${r.err}`);
      assert.equal(r.err, '', `${command} ${flag}`);
      assert.match(r.out, new RegExp(`^usage: agentgraph ${command} `), `${command} ${flag}`);
      assert.match(r.out, /-h, --help/);
    }
  }
  // --help wins wherever it is, even after arguments the command would refuse.
  assert.equal(run(['render', 'a', 'b', '--help']).code, 0);
  assert.match(run(['help', 'traces']).out, /^usage: agentgraph traces FILE\.\.\. --graph GRAPH/);
  assert.match(run(['check', '--help']).out, /exit status: 0 no errors, 1 errors found, 2 usage error/);
});

test('an unknown option is named with the closest one, in our words, not parseArgs\'s', () => {
  const r = run(['check', '--fromat', 'json']);
  assert.equal(r.code, 2);
  assert.equal(r.err.split('\n')[0], 'agentgraph check: unknown option --fromat: did you mean --format?');
  assert.doesNotMatch(r.err, /Unknown option '|positional argument/);
  assert.equal(r.out, '');
  assert.match(run(['readiness', '--link-bas', 'x']).err, /^agentgraph readiness: unknown option --link-bas: did you mean --link-base\?/);
  assert.match(run(['traces', '--min_runs', '3']).err, /^agentgraph traces: unknown option --min_runs: did you mean --min-runs\?/);
  assert.match(run(['render', EXAMPLE, '--ouptut', 'x.svg']).err, /^agentgraph render: unknown option --ouptut: did you mean --output\?/);
  assert.match(run(['check', '--no-colour']).err, /did you mean --no-color\?/);
  const far = run(['graph', '--zzzzzz']);
  assert.equal(far.code, 2);
  assert.match(far.err, /^agentgraph graph: unknown option --zzzzzz\nrun `agentgraph graph --help` for its options\n$/);
});

test('an option without its value, or a switch given one, says so', () => {
  assert.match(run(['check', '--format']).err, /^agentgraph check: option --format needs a value\n/);
  assert.match(run(['render', EXAMPLE, '-o']).err, /^agentgraph render: option -o, --output needs a value\n/);
  assert.match(run(['check', '--format', '--no-source']).err, /^agentgraph check: option --format needs a value, not the option --no-source/);
  assert.match(run(['check', '--no-source=yes']).err, /^agentgraph check: option --no-source takes no value/);
});

test('an unknown command gets the closest command', () => {
  const r = run(['chek']);
  assert.equal(r.code, 2);
  assert.equal(r.err.split('\n')[0], 'agentgraph: unknown command chek: did you mean check?');
  assert.match(run(['rendr']).err, /did you mean render\?/);
  assert.match(run(['--verison']).err, /unknown option --verison: did you mean --version\?/);
  assert.match(run(['--format', 'json']).err, /options go after the command/);
});

test('render: a folder is refused with the one file it takes; an extension it cannot write is refused before any work', () => {
  const folder = run(['render', resolve('examples')]);
  assert.equal(folder.code, 2);
  assert.match(folder.err, /examples is a folder; render draws one graph file: give one of its graphs, such as .+\.agentgraph\.yaml/);
  assert.doesNotMatch(folder.err, /cannot be read/);

  const jpg = run(['render', EXAMPLE, '-o', 'x.jpg']);
  assert.equal(jpg.code, 2);
  assert.match(jpg.err, /^agentgraph render: cannot write x\.jpg: render draws svg or png; name the file \.svg or \.png\n$/);
  assert.ok(!existsSync(join(dir, 'x.jpg')));
  // Before any work: the file is not even read.
  assert.match(run(['render', 'missing.agentgraph.yaml', '-o', 'x.webp']).err, /cannot write x\.webp/);
  assert.match(run(['render', EXAMPLE, '--format', 'png', '-o', 'x.svg']).err, /names an svg, but the picture is png/);
  assert.match(run(['render', EXAMPLE, '--format', 'svg', '-o', 'x.gif']).err, /names a \.gif file, but the picture is svg/);
  assert.match(run(['render', 'missing.agentgraph.yaml']).err, /^agentgraph render: missing\.agentgraph\.yaml: no such file\n$/);
});

test('a missing file prints the problem and exits 2, with no summary of zero files', () => {
  for (const format of ['text', 'json', 'sarif']) {
    const r = run(['check', '--format', format, 'nope.agentgraph.yaml']);
    assert.equal(r.code, 2, format);
    assert.equal(r.err, 'agentgraph: nope.agentgraph.yaml: no such file or folder\n', format);
    assert.equal(r.out, '', format);
  }
  const readiness = run(['readiness', 'nope.agentgraph.yaml']);
  assert.equal(readiness.code, 2);
  assert.equal(readiness.out, '');
  // A missing file among readable ones: the readable ones are still reported, and the exit status says 2.
  const mixed = run(['check', EXAMPLE, 'nope.agentgraph.yaml']);
  assert.equal(mixed.code, 2);
  assert.match(mixed.out, /1 file checked/);
});

test('the help texts cite the project\'s own pages, no RULES.md', () => {
  for (const args of [['--help'], ...['check', 'render', 'readiness', 'traces', 'graph', 'lsp'].map((c) => [c, '--help'])]) {
    const r = run(args);
    assert.doesNotMatch(r.out, /RULES\.md|FORMAT\.md|LANGGRAPH\.md/, args.join(' '));
    for (const page of r.out.match(/docs\/[\w/.-]+\.md/g) ?? []) assert.ok(existsSync(resolve(page)), `${args.join(' ')} cites ${page}`);
  }
  assert.match(run(['readiness', '--help']).out, /docs\/readiness\.md/);
});
