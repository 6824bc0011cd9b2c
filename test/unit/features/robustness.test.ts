// Bad input never crashes the editing features: completion, hover and the symbol index are asked at every
// place of every fixture (broken YAML, JSON, binary-looking text included) and of truncated copies of them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { complete } from '../../../server/src/features/completion.ts';
import { hoverAt } from '../../../server/src/features/hover.ts';
import { buildIndex, outline } from '../../../server/src/features/symbols.ts';
import { costInlayHints, costLens } from '../../../server/src/features/costHints.ts';
import { lintText } from '../../support/lint.ts';

const files: string[] = ['examples/support-triage.agentgraph.yaml'];
for (const code of readdirSync('test/fixtures/rules')) for (const f of readdirSync(join('test/fixtures/rules', code))) if (/\.agentgraph\.(ya?ml|json)$/.test(f)) files.push(join('test/fixtures/rules', code, f));

test('completion and hover answer at every place of every fixture, and of the fixture cut short there', () => {
  const good = lintText(readFileSync('examples/support-triage.agentgraph.yaml', 'utf8')).graph;
  let asked = 0;
  for (const path of files) {
    const text = readFileSync(path, 'utf8');
    const a = lintText(text, resolve(path));
    const index = a.graph ? buildIndex(a.graph, a.text) : undefined;
    if (a.graph) {
      outline(a.graph, a.text);
      costLens(a.graph, a.worstCase);
      costInlayHints(a.graph, a.worstCase, a.text);
    }
    for (let offset = 0; offset <= text.length; offset += 3) {
      const items = complete({ text, offset, graph: a.graph ?? good });
      assert.ok(Array.isArray(items));
      for (const i of items) assert.ok(i.range.start <= offset && i.range.end >= offset - 1 && i.range.start >= 0, `${path}@${offset}: ${i.label}`);
      hoverAt({ text, graph: a.graph, queries: a.queries, worstCase: a.worstCase, index }, offset);
      // Typing in progress: everything after the cursor not written yet.
      complete({ text: text.slice(0, offset), offset, graph: good });
      asked++;
    }
  }
  assert.ok(asked > 1000);
});

test('odd text: empty, one character, unclosed quotes and brackets, tabs, CRLF', () => {
  for (const text of ['', '"', "'", '{', '[', '{"a": ["', 'nodes:\n\t- x: [', 'a: |\n', 'nodes:\r\n  a:\r\n    next: ', '- - - ', ': : :', '#', 'x: "unterminated\n  next: ']) {
    for (let offset = 0; offset <= text.length; offset++) {
      assert.doesNotThrow(() => complete({ text, offset }), JSON.stringify(text));
      assert.doesNotThrow(() => hoverAt({ text }, offset), JSON.stringify(text));
    }
  }
  // CRLF: the value context is found and the range stays on the line.
  const crlf = 'agentgraph: 1\r\nnodes:\r\n  a:\r\n    kind: llm\r\n    next: ';
  const items = complete({ text: crlf, offset: crlf.length, graph: lintText(readFileSync('examples/support-triage.agentgraph.yaml', 'utf8')).graph });
  assert.ok(items.some((i) => i.label === 'END'));
});
