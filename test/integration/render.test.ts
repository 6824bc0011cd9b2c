// `agentgraph render` as a process: the panel's layout and renderer as an SVG or a PNG file, and clear usage
// errors. Needs the build (dist/cli.js).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CLI = resolve('dist/cli.js');
const EXAMPLE = resolve('examples/support-triage.agentgraph.yaml');
let dir: string;

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

before(() => (dir = mkdtempSync(join(tmpdir(), 'agentgraph-render-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

test('render writes an SVG of every node, with the header, to a file or to standard output', () => {
  const r = run(['render', EXAMPLE, '-o', 'triage.svg']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /wrote triage\.svg \(7 nodes\)/);
  const svg = readFileSync(join(dir, 'triage.svg'), 'utf8');
  for (const id of ['classify', 'lookup', 'draft', 'review', 'refund', 'escalate', 'holding_reply']) assert.match(svg, new RegExp(`data-id="${id}"`));
  assert.match(svg, /worst case \$0\.2511/);
  const stdout = run(['render', EXAMPLE, '--direction', 'down']);
  assert.equal(stdout.code, 0, stdout.err);
  assert.match(stdout.out, /^<svg /);
  assert.notEqual(stdout.out, svg, 'top down is another picture');
});

test('render --format png (or a .png file) writes a PNG with resvg', () => {
  const r = run(['render', EXAMPLE, '-o', 'triage.png', '--scale', '1']);
  assert.equal(r.code, 0, r.err);
  const png = readFileSync(join(dir, 'triage.png'));
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const width = png.readUInt32BE(16);
  const svgWidth = Number(/width="(\d+)"/.exec(readFileSync(join(dir, 'triage.svg'), 'utf8'))?.[1]);
  assert.equal(width, svgWidth, 'scale 1: one pixel per layout unit');
  assert.equal(run(['render', EXAMPLE, '--format', 'png', '-o', 'other.img']).code, 0);
});

test('usage mistakes exit 2 with a message that says what to do; a file that is no graph exits 1', () => {
  const cases: [string[], RegExp][] = [
    [['render'], /give exactly one graph file/],
    [['render', EXAMPLE, '--format', 'gif'], /--format must be svg or png, not "gif"/],
    [['render', EXAMPLE, '--format', 'png'], /give a file with -o/],
    [['render', EXAMPLE, '--direction', 'left'], /--direction must be right or down/],
    [['render', EXAMPLE, '--scale', '40'], /--scale must be a number from 0.5 to 4/],
    [['render', 'missing.agentgraph.yaml'], /missing\.agentgraph\.yaml: no such file/],
  ];
  for (const [args, message] of cases) {
    const r = run(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, message);
  }
  writeFileSync(join(dir, 'broken.agentgraph.yaml'), 'agentgraph: 1\nname: [unclosed\n');
  const broken = run(['render', 'broken.agentgraph.yaml', '-o', 'b.svg']);
  assert.equal(broken.code, 1);
  assert.match(broken.err, /not an agent graph that can be drawn \(line \d+: .*\); run `agentgraph check`/);
});

test('the usage text lists render', () => {
  assert.match(run(['--help']).out, /render FILE .*\n.*--format svg\|png/);
});
