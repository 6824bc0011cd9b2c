// Quick fixes: every fix offered on every fixture and example is applied and the file linted again. The
// diagnostic it targets must be gone and no AG001 may appear: a fix always leaves a valid file. Then each
// style of file (block YAML, flow maps, JSON) gets the exact text of a fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { quickFixes, FIXABLE, type Fix } from '../../../server/src/features/fixes.ts';
import { applyEdits } from '../../../server/src/frontends/yaml/textEdits.ts';
import { lintText, codes } from '../../support/lint.ts';

function fixesOf(text: string, path: string): { fixes: Fix[]; lint: ReturnType<typeof lintText> } {
  const lint = lintText(text, path);
  assert.ok(lint.graph, `${path} has no graph`);
  return { fixes: quickFixes({ uri: lint.uri, text, graph: lint.graph, queries: lint.queries, worstCase: lint.worstCase }, lint.diagnostics), lint };
}

/** Applies a fix and checks its diagnostic is gone (same code, same facts) and no AG001 came. */
function applyAndCheck(text: string, path: string, fix: Fix): string {
  const after = applyEdits(text, fix.edits);
  const lint = lintText(after, path);
  const ag001 = lint.diagnostics.filter((d) => d.code === 'AG001');
  assert.deepEqual(ag001.map((d) => d.message), [], `"${fix.title}" broke ${path}:\n${after}`);
  const same = (d: { code: string; data?: unknown }) => d.code === fix.diagnostic.code && JSON.stringify(d.data) === JSON.stringify(fix.diagnostic.data);
  assert.ok(!lint.diagnostics.some((d) => same(d) && !d.suppressed), `"${fix.title}" left its ${fix.diagnostic.code} in ${path}:\n${after}`);
  return after;
}

const files: string[] = [];
for (const code of readdirSync('test/fixtures/rules')) for (const f of readdirSync(join('test/fixtures/rules', code))) if (/\.agentgraph\.(ya?ml|json)$/.test(f)) files.push(join('test/fixtures/rules', code, f));
files.push('examples/research-agent.agentgraph.yaml', 'examples/support-triage.agentgraph.yaml', 'examples/handoff/onboarding.agentgraph.yaml');

test('every fix offered on the fixtures and examples removes its diagnostic and leaves a valid file', () => {
  const fixedCodes = new Set<string>();
  let count = 0;
  for (const path of files) {
    const text = readFileSync(path, 'utf8');
    const lint = lintText(text, resolve(path));
    if (!lint.graph || codes(lint.diagnostics).includes('AG001')) continue;
    for (const fix of fixesOf(text, resolve(path)).fixes) {
      applyAndCheck(text, resolve(path), fix);
      fixedCodes.add(fix.diagnostic.code);
      count++;
    }
  }
  assert.ok(count > 20, `only ${count} fixes were tried`);
  for (const code of ['AG101', 'AG102', 'AG103', 'AG201', 'AG203', 'AG205', 'AG301', 'AG302', 'AG501']) assert.ok(fixedCodes.has(code), `no fixture exercised a ${code} fix`);
  assert.ok([...fixedCodes].every((c) => FIXABLE.has(c)));
});

const base = (nodes: string, extra = '') => `agentgraph: 1
name: t
${extra}models:
  m: { input_usd_per_mtok: 1, output_usd_per_mtok: 2 }
tools:
  pay: { effect: write, timeout_s: 5, rate_limit: 1/s, idempotent: false }
entry: a
nodes:
${nodes}`;

function only(text: string, code: string): Fix[] {
  return fixesOf(text, resolve('test/fixtures/inline.agentgraph.yaml')).fixes.filter((f) => f.diagnostic.code === code);
}

test('block style: keys go in at the node\'s indentation, before its transitions', () => {
  const text = base(`  a:
    kind: llm
    model: m
    input_tokens: 100
    max_output_tokens: 10
    retry: { attempts: 2 }
    next: b
  b:
    kind: human
    next: END
`);
  const [fix] = only(text, 'AG101');
  assert.equal(fix.title, 'Add on_error: b to "a"');
  const after = applyAndCheck(text, 'x.agentgraph.yaml', fix);
  assert.match(after, /    retry: \{ attempts: 2 \}\n    on_error: b\n    next: b\n/);
});

test('flow style: keys go inside the braces', () => {
  const text = base(`  a: { kind: llm, model: m, input_tokens: 100, retry: none, on_error: b, next: b }
  b: { kind: human, next: END }
`, 'budget: { usd: 1, tokens: 1000 }\n');
  const [fix] = only(text, 'AG302');
  const after = applyAndCheck(text, 'x.agentgraph.yaml', fix);
  assert.match(after, /a: \{ kind: llm, model: m, input_tokens: 100, max_output_tokens: 1000, retry: none, on_error: b, next: b \}/);
});

test('JSON: quoted keys inside the braces, one per line when the map is laid out that way', () => {
  const text = JSON.stringify({
    agentgraph: 1, name: 'j', entry: 'a',
    nodes: { a: { kind: 'agent', model: 'm', max_output_tokens: 10, retry: 'none', on_error: 'b', next: 'b' }, b: { kind: 'human', next: 'END' } },
    models: { m: { input_usd_per_mtok: 1, output_usd_per_mtok: 1 } },
  }, null, 2);
  const path = resolve('test/fixtures/inline.agentgraph.json');
  const lint = lintText(text, path);
  const fixes = quickFixes({ uri: lint.uri, text, graph: lint.graph!, queries: lint.queries, worstCase: lint.worstCase }, lint.diagnostics);
  const ag205 = fixes.find((f) => f.diagnostic.code === 'AG205')!;
  const after = applyAndCheck(text, path, ag205);
  assert.match(after, /"kind": "agent",\n      "max_iterations": 10,\n/);
  const ag301 = fixes.find((f) => f.diagnostic.code === 'AG301')!;
  assert.match(applyAndCheck(text, path, ag301), /"budget": \{ "usd": [0-9.]+, "tokens": \d+, "steps": \d+ \},\n  "entry"/);
});

test('a retried non-idempotent write gets retry: none in place of its retry', () => {
  const text = base(`  a:
    kind: tool
    tool: pay
    approval: human
    retry:
      attempts: 3
      backoff: exponential
    on_error: b
    next: END
  b: { kind: human, next: END }
`);
  const [fix] = only(text, 'AG103');
  const after = applyAndCheck(text, 'x.agentgraph.yaml', fix);
  assert.match(after, /    retry: none\n    on_error: b\n/);
});

test('a missing subgraph input is appended to passes, block or flow', () => {
  const path = resolve('examples/handoff/onboarding.agentgraph.yaml');
  const text = readFileSync(path, 'utf8').replace('passes: [customer]\n    writes: [risk_score]', 'passes: [risk_score]\n    writes: [risk_score]');
  const fixes = fixesOf(text, path).fixes.filter((f) => f.diagnostic.code === 'AG501');
  assert.equal(fixes[0].title, 'Add "customer" to the passes of "kyc"');
  assert.match(applyAndCheck(text, path, fixes[0]), /passes: \[risk_score, customer\]/);
  const block = text.replace('passes: [risk_score]', 'passes:\n      - risk_score');
  const [fix] = fixesOf(block, path).fixes.filter((f) => f.diagnostic.code === 'AG501');
  assert.match(applyAndCheck(block, path, fix), /passes:\n      - risk_score\n      - customer\n/);
});

test('a graph with nowhere to recover gets a human node as its on_error', () => {
  const text = base(`  a:
    kind: llm
    model: m
    max_output_tokens: 10
    retry: none
    next: END
`);
  const [fix] = only(text, 'AG101');
  assert.match(fix.title, /human node "escalate"/);
  const after = applyAndCheck(text, 'x.agentgraph.yaml', fix);
  assert.match(after, /entry: a\non_error: escalate\n/);
  assert.match(after, /  escalate: \{ kind: human, next: END \}/);
});

test('a misspelt reference is changed to the close existing name', () => {
  const text = base(`  a:
    kind: function
    next: reviw
  review: { kind: function, next: END }
`);
  const [fix] = only(text, 'AG002');
  assert.equal(fix.title, 'Change "reviw" to "review"');
  assert.match(applyAndCheck(text, 'x.agentgraph.yaml', fix), /next: review\n/);
});

test('no fix is offered when the text cannot be parsed', () => {
  const text = base('  a: { kind: llm, model: m }\n');
  const lint = lintText(text);
  const broken = text + '  b: [unclosed\n';
  assert.deepEqual(quickFixes({ uri: lint.uri, text: broken, graph: lint.graph!, queries: lint.queries, worstCase: lint.worstCase }, lint.diagnostics), []);
});
