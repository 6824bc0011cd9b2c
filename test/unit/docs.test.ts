// A doc that lies fails the build: every ```yaml block in docs/rules/<CODE>.md tagged `incorrect` must produce
// <CODE>; every block tagged `correct` must produce no <CODE> and no error at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { RULES } from '../../server/src/rules/index.ts';
import { lintText } from '../support/lint.ts';

const FENCE = /```ya?ml\s+(incorrect|correct)\s*\n([\s\S]*?)```/g;

for (const rule of RULES) {
  test(`docs/rules/${rule.code}.md`, () => {
    const path = `docs/rules/${rule.code}.md`;
    assert.ok(existsSync(path), `${path} is missing`);
    const doc = readFileSync(path, 'utf8');
    const blocks = [...doc.matchAll(FENCE)];
    assert.ok(blocks.some((b) => b[1] === 'incorrect'), `${path} has no \`\`\`yaml incorrect block`);
    assert.ok(blocks.some((b) => b[1] === 'correct'), `${path} has no \`\`\`yaml correct block`);
    for (const [, kind, text] of blocks) {
      const found = lintText(text).diagnostics.filter((d) => !d.suppressed);
      if (kind === 'incorrect') assert.ok(found.some((d) => d.code === rule.code), `an incorrect example in ${path} does not produce ${rule.code}:\n${text}`);
      else {
        assert.deepEqual(found.filter((d) => d.code === rule.code).map((d) => d.message), [], `a correct example in ${path} produces ${rule.code}`);
        assert.deepEqual(found.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`), [], `a correct example in ${path} has errors`);
      }
    }
  });
}
