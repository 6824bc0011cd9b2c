// What the README says about setting up and running AgentGraph holds: the port variable of scripts/main.sh and
// its default, the example run's exit status and the findings it names, the .vsix path and the CLI's name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const README = readFileSync('README.md', 'utf8');
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

test('scripts/main.sh: the port variable and its default are the README\'s', () => {
  const main = readFileSync('scripts/main.sh', 'utf8');
  const m = /^PORT="\$\{PORT:-(\d+)\}"$/m.exec(main);
  assert.ok(m, 'main.sh reads PORT');
  assert.match(README, new RegExp(`serves VS Code on 127\\.0\\.0\\.1:${m[1]}`));
  assert.match(README, /`PORT=\d+ bash scripts\/main\.sh`/);
});

test('the example run exits 1, with the errors the README names and no other', () => {
  const r = spawnSync(process.execPath, [resolve('dist/cli.js'), 'check', '--format', 'json', 'examples'], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(README, /node dist\/cli\.js check examples`\. It exits 1, on purpose/);
  const errors = (JSON.parse(r.stdout) as { file: string; code: string; severity: string }[]).filter((f) => f.severity === 'error');
  assert.deepEqual([...new Set(errors.map((e) => `${e.file} ${e.code}`))].sort(), ['examples/research-agent.agentgraph.yaml AG201', 'examples/research-agent.agentgraph.yaml AG205']);
  for (const code of ['AG201', 'AG205']) assert.match(README, new RegExp(`examples/research-agent\\.agentgraph\\.yaml\` keeps two errors[^]*${code}`));
});

test('the .vsix the README installs is the one `npm run package` writes; `agentgraph` is the package\'s bin', () => {
  const vsix = /-o (\S+\.vsix)/.exec(pkg.scripts.package)?.[1];
  assert.ok(vsix);
  assert.ok(README.includes(`code --install-extension ${vsix}`));
  assert.equal(pkg.bin.agentgraph, './dist/cli.js');
  assert.match(README, /`npm link` in the clone links `agentgraph` to\s+`dist\/cli\.js`/);
  assert.match(README, /`npx agentgraph check examples`/);
});

test('the prerequisites the scripts rely on are stated: apt, root or sudo, Node 20', () => {
  const install = readFileSync('scripts/install-vscode.sh', 'utf8');
  assert.match(install, /apt-get install/);
  assert.match(install, /SUDO="sudo"/);
  assert.match(install, /node_major" != 20/);
  assert.match(README, /\*\*Debian or Ubuntu with apt\*\*, \*\*root\*\* \(or sudo, for the apt step\) and\s+\*\*Node 20\*\*/);
});
