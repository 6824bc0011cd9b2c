// The readiness report's formats: the Markdown table and sections (for a pull request comment and the VS Code
// report), JSON for scripts, and what neither may let through.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkReadiness } from '../../../server/src/readiness/check.ts';
import { renderMarkdown, toJson, type GraphResult } from '../../../server/src/readiness/render.ts';
import { lintFile, lintText } from '../../support/lint.ts';

function result(path: string): GraphResult {
  const a = lintFile(path);
  return { report: checkReadiness(a), file: path, lines: a.lines };
}
const triage = result('examples/support-triage.agentgraph.yaml');
const research = result('examples/research-agent.agentgraph.yaml');

test('markdown: a summary table, graphs that need work first, with each checkpoint as a mark', () => {
  const md = renderMarkdown([triage, research]);
  const table = md.split('\n').filter((l) => l.startsWith('|'));
  assert.deepEqual(table, [
    '| graph | file | verdict | 1 | 2 | 3 | 4 | 5 |',
    '| --- | --- | --- | :-: | :-: | :-: | :-: | :-: |',
    '| **research-agent** | `examples/research-agent.agentgraph.yaml` | **not ready** | fail | fail | fail | pass | fail |',
    '| **support-triage** | `examples/support-triage.agentgraph.yaml` | ready | pass | pass | pass | pass | pass |',
  ]);
  assert.match(md, /^\*\*1 of 2 graphs ready\.\*\*/m);
  assert.match(md, /^### research-agent: not ready, 1 of 5 checkpoints pass$/m);
  assert.match(md, /^### support-triage: ready, 5 of 5 checkpoints pass$/m);
  assert.match(md, /^\*\*4\. Governance inside the graph: pass\*\*$/m);
  assert.ok(md.indexOf('### research-agent') < md.indexOf('### support-triage'));
  assert.match(md, /^\*\*Do first:\*\* add max\\_visits and on\\_exhausted to "critique" \(`research-agent\.agentgraph\.yaml:58`\)$/m);
});

test('markdown: every piece of evidence starts with its place, a link when the caller gives one', () => {
  const md = renderMarkdown([research], { link: (g, line) => `https://example.test/blob/main/${g.file}#L${line}` });
  const bullets = md.split('\n').filter((l) => l.startsWith('- '));
  assert.ok(bullets.length > 10);
  for (const b of bullets) assert.match(b, /^- \[research-agent\.agentgraph\.yaml:\d+\]\(https:\/\/example\.test\/blob\/main\/examples\/research-agent\.agentgraph\.yaml#L\d+\) /);
  assert.ok(bullets.includes(
    '- [research-agent.agentgraph.yaml:58](https://example.test/blob/main/examples/research-agent.agentgraph.yaml#L58) fail: loop "plan" -&gt; "search" -&gt; "read" -&gt; "critique" -&gt; "plan" has no bound: no node in it has max\\_visits and there is no budget.steps, so a run that keeps taking this route never ends and is billed for every turn; add max\\_visits and on\\_exhausted to "critique" `AG201`',
  ));
});

test('markdown: text from the graph cannot break the table or inject HTML, and $ starts no formula', () => {
  const text = `agentgraph: 1
name: odd
entry: "a|b <script>"
nodes:
  "a|b <script>": { kind: function, next: END }
budget: { usd: 1, tokens: 100, steps: 5 }
tracing: { exporter: otlp }
`;
  const a = lintText(text);
  const md = renderMarkdown([{ report: checkReadiness(a), file: 'odd|<b>.agentgraph.yaml', lines: a.lines }]);
  // Outside code spans nothing is raw HTML; inside them it is shown as text.
  assert.doesNotMatch(md.replace(/`[^`]*`/g, ''), /<script>|<b>/);
  assert.match(md, /a\\\|b &lt;script&gt;/);
  assert.match(md, /\\\$1\.00/);
  const row = md.split('\n').find((l) => l.startsWith('| **odd**'))!;
  assert.equal(row.split(/(?<!\\)\|/).length - 2, 8, row);
});

test('markdown: a long list of evidence is cut with a count', () => {
  const md = renderMarkdown([research], { maxEvidence: 2 });
  assert.match(md, /^- … and 5 more \(run `agentgraph readiness examples\/research-agent\.agentgraph\.yaml` for all\)$/m);
});

test('markdown: no graph says so', () => {
  assert.match(renderMarkdown([]), /No agent graph file/);
});

test('json: verdicts, passed and failed ids, and 1-based places', () => {
  const json = toJson([triage, research]);
  assert.deepEqual(json.summary, { graphs: 2, ready: 1, notReady: 1 });
  const r = json.graphs[1];
  assert.equal(r.graph, 'research-agent');
  assert.deepEqual([r.passed, r.failed], [[4], [1, 2, 3, 5]]);
  assert.deepEqual(r.firstFix, { text: 'add max_visits and on_exhausted to "critique"', line: 58, column: 21 });
  const loop = r.checkpoints[4].evidence.find((e) => e.code === 'AG201')!;
  assert.deepEqual([loop.line, loop.column, loop.kind], [58, 21, 'fail']);
  // Plain data: it survives a round trip.
  assert.deepEqual(JSON.parse(JSON.stringify(json)), json);
});

test('markdown: readable without an emoji font, in words (no pictograph renders as an empty box)', () => {
  const md = renderMarkdown([triage, research]);
  const emoji = /[\u{2300}-\u{23FF}\u{2600}-\u{27BF}\u{2B00}-\u{2BFF}\u{FE0F}\u{1F000}-\u{1FAFF}]/u;
  const hit = md.split('\n').find((l) => emoji.test(l));
  assert.equal(hit, undefined);
  assert.match(md, /\| fail \| pass \|/);
});
