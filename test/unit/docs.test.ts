// A doc that lies fails the build: every ```yaml block in docs/rules/<CODE>.md tagged `incorrect` must produce
// <CODE>; every block tagged `correct` must produce no <CODE> and no error at all. ```python blocks (the rules
// for code-defined graphs, and the code side of the others) are read as LangGraph code through the same
// Workspace, as an `example.py` beside the fixtures. A page needs at least one incorrect and one correct
// example, in either language.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RULES } from '../../server/src/rules/index.ts';
import { lintText } from '../support/lint.ts';

const FENCE = /```(ya?ml|python)\s+(incorrect|correct)\s*\n([\s\S]*?)```/g;
const PATH: Record<string, string> = {
  yaml: resolve('test/fixtures/inline.agentgraph.yaml'),
  yml: resolve('test/fixtures/inline.agentgraph.yaml'),
  python: resolve('test/fixtures/example.py'),
};

for (const rule of RULES) {
  test(`docs/rules/${rule.code}.md`, () => {
    const path = `docs/rules/${rule.code}.md`;
    assert.ok(existsSync(path), `${path} is missing`);
    const doc = readFileSync(path, 'utf8');
    const blocks = [...doc.matchAll(FENCE)];
    assert.ok(blocks.some((b) => b[2] === 'incorrect'), `${path} has no \`\`\`yaml (or \`\`\`python) incorrect block`);
    assert.ok(blocks.some((b) => b[2] === 'correct'), `${path} has no \`\`\`yaml (or \`\`\`python) correct block`);
    for (const [, lang, kind, text] of blocks) {
      const analysis = lintText(text, PATH[lang]);
      if (lang === 'python') assert.ok(analysis.graphs.length > 0, `a python example in ${path} holds no graph that AgentGraph reads:\n${text}`);
      const found = analysis.diagnostics.filter((d) => !d.suppressed);
      if (kind === 'incorrect') assert.ok(found.some((d) => d.code === rule.code), `an incorrect example in ${path} does not produce ${rule.code}:\n${text}`);
      else {
        assert.deepEqual(found.filter((d) => d.code === rule.code).map((d) => d.message), [], `a correct example in ${path} produces ${rule.code}`);
        assert.deepEqual(found.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`), [], `a correct example in ${path} has errors`);
      }
    }
  });
}
