// Readiness fixtures: each graph under test/fixtures/readiness/ has a `.out` beside it with the exact report that
// `agentgraph readiness --no-color` prints for it (its path relative to the fixture folder), and its name says
// what it must be: `ready*` ready, `fails-<N>-*` failing checkpoint N and no other, `invalid-*` not readable.
// UPDATE_FIXTURES=1 rewrites the .out files from the current output (review the diff before committing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkReadiness } from '../../../server/src/readiness/check.ts';
import { renderText } from '../../../server/src/readiness/render.ts';
import { lintFile } from '../../support/lint.ts';

const root = 'test/fixtures/readiness';
const graphs = readdirSync(root).filter((f) => /\.agentgraph\.(ya?ml|json)$/.test(f)).sort();

for (const file of graphs) {
  test(`readiness/${file}`, () => {
    const analysis = lintFile(join(root, file));
    const report = checkReadiness(analysis);
    const failed = report.checkpoints.filter((c) => !c.passed).map((c) => c.id);
    const fails = /^fails-(\d)-/.exec(file);
    if (file.startsWith('ready')) {
      assert.equal(report.verdict, 'ready', `${file} should be ready; fails ${failed.join(', ')}`);
    } else if (fails) {
      assert.equal(report.verdict, 'not-ready');
      assert.deepEqual(failed, [Number(fails[1])], `${file} should fail checkpoint ${fails[1]} alone`);
      assert.deepEqual(report.blockers, []);
    } else if (file.startsWith('invalid-')) {
      assert.equal(report.verdict, 'not-ready');
      assert.ok(report.blockers.length > 0, `${file} should have blockers`);
    } else assert.fail(`${file}: name it ready*, fails-<N>-* or invalid-*`);

    const actual = renderText([{ report, file, lines: analysis.lines }], { color: false });
    const outPath = join(root, file.replace(/\.agentgraph\.(ya?ml|json)$/, '.out'));
    if (process.env.UPDATE_FIXTURES) writeFileSync(outPath, actual + '\n');
    assert.ok(existsSync(outPath), `missing ${outPath}`);
    assert.equal(actual, readFileSync(outPath, 'utf8').trimEnd());
  });
}

test('every checkpoint has a fixture that fails it alone, and one graph passes them all', () => {
  for (const id of [1, 2, 3, 4, 5]) assert.ok(graphs.some((f) => f.startsWith(`fails-${id}-`)), `no fixture fails checkpoint ${id}`);
  assert.ok(graphs.includes('ready.agentgraph.yaml'));
});
