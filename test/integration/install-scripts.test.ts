// The set-up scripts pass npm only settings it knows: npm 11 warns about every unknown one (such as
// unsafe-perm, gone since npm 7) on each install, and a later npm will refuse them. Comments are not read, nor text
// in single quotes: that is what a script writes for another program (install-vscode.sh's shell for
// code-server's postinstall), not npm's environment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

for (const script of ['scripts/install-vscode.sh', 'scripts/main.sh', 'scripts/test.sh', 'scripts/e2e/run.sh']) {
  test(`${script} sets only npm settings that npm knows`, () => {
    const names = [...new Set([...readFileSync(script, 'utf8').replace(/^\s*#.*$/gm, '').replace(/'[^'\n]*'/g, "''").matchAll(/\bnpm_config_(\w+)=/g)].map((m) => m[1]))];
    for (const name of names) {
      const r = spawnSync('npm', ['config', 'get', name.replace(/_/g, '-')], { encoding: 'utf8', env: { ...process.env, [`npm_config_${name}`]: 'true' } });
      assert.doesNotMatch(r.stderr, /Unknown (env )?config/i, `${script}: npm_config_${name}: ${r.stderr}`);
    }
  });
}
