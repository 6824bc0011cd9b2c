// Fixture pairs: every graph file under test/fixtures/rules/<CODE>/ (an agent graph file, or LangGraph code in a
// `.py`, `.ts` or `.js` file) has a `.out` beside it with the exact lines that `agentgraph check --format text --no-source`
// prints for it (its path relative to the fixture folder): `name.agentgraph.yaml` -> `name.out`, `py-name.py` ->
// `py-name.out`, `ts-name.ts` -> `ts-name.out`.
// Every file under test/fixtures/ok/ must produce nothing at all. A new case is a new pair of files.
// UPDATE_FIXTURES=1 rewrites the .out files from the current output (review the diff before committing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { formatText } from '../../server/src/cli/formatters.ts';
import { RULES } from '../../server/src/rules/index.ts';
import { lintFile } from '../support/lint.ts';

const root = 'test/fixtures/rules';
const GRAPH_FILE = /\.agentgraph\.(ya?ml|json)$/;
const CODE_FILE = /\.(py|ts|tsx|js|mjs|cjs|mts|cts)$/;
const isGraph = (f: string) => GRAPH_FILE.test(f);
const isFixture = (f: string) => GRAPH_FILE.test(f) || CODE_FILE.test(f);
const outOf = (f: string) => f.replace(GRAPH_FILE, '.out').replace(CODE_FILE, '.out');

for (const code of readdirSync(root).sort()) {
  const dir = join(root, code);
  for (const file of readdirSync(dir).filter(isFixture).sort()) {
    test(`${code}/${file}`, () => {
      const analysis = lintFile(join(dir, file));
      // Code the frontend does not take for a graph would pass with an empty .out: say so instead.
      if (CODE_FILE.test(file)) assert.ok(analysis.graphs.length > 0, `${file} holds no graph that AgentGraph reads`);
      const actual = formatText([{ file, analysis }], { color: false, source: false });
      const outPath = join(dir, outOf(file));
      if (process.env.UPDATE_FIXTURES) writeFileSync(outPath, actual ? actual + '\n' : '');
      assert.ok(existsSync(outPath), `missing ${outPath}`);
      assert.equal(actual, readFileSync(outPath, 'utf8').trimEnd());
    });
  }
}

test('every rule has fixtures that trigger it and fixtures that do not', () => {
  for (const rule of RULES) {
    const dir = join(root, rule.code);
    assert.ok(existsSync(dir), `${rule.code} has no fixture folder ${dir}`);
    const outs = readdirSync(dir).filter((f) => f.endsWith('.out')).map((f) => readFileSync(join(dir, f), 'utf8'));
    assert.ok(outs.some((o) => o.includes(`[${rule.code}]`)), `${rule.code}: no fixture produces it`);
    assert.ok(outs.some((o) => !o.includes(`[${rule.code}]`)), `${rule.code}: no fixture shows a correct case`);
  }
});

for (const file of readdirSync('test/fixtures/ok').filter(isGraph)) {
  test(`ok/${file} produces nothing`, () => {
    const analysis = lintFile(join('test/fixtures/ok', file));
    assert.deepEqual(analysis.diagnostics.map((d) => `${d.code} ${d.message}`), []);
  });
}
