// A trace rule's doc cannot show its finding with a graph alone: each docs/rules/AG8xx.md holds one ```yaml graph
// block and trace excerpts tagged ```jsonl trace incorrect / ```jsonl trace correct (optionally `min-runs=N`).
// An incorrect trace must produce the rule's code against the graph, a correct one must not; the graph itself must
// lint without errors. (test/unit/docs.test.ts checks the other rules' pages, strictly, as before.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { RULES } from '../../../server/src/rules/index.ts';
import { TRACE_RULES, checkConformance } from '../../../server/src/traces/conformance.ts';
import { aggregate, createTraceState, reduce, setGraph } from '../../../server/src/traces/aggregate.ts';
import { graphContext } from '../../../server/src/traces/graphContext.ts';
import { readTraceText } from '../../../server/src/traces/traceText.ts';
import { lintText } from '../../support/lint.ts';
import type { AgDiagnostic } from '../../../server/src/core/diagnostic.ts';

const GRAPH = /```ya?ml\s+graph\s*\n([\s\S]*?)```/g;
const TRACE = /```jsonl\s+trace\s+(incorrect|correct)((?:[ \t]+[a-z-]+=\d+)*)\s*\n([\s\S]*?)```/g;

for (const rule of TRACE_RULES) {
  test(`docs/rules/${rule.code}.md`, () => {
    const path = `docs/rules/${rule.code}.md`;
    assert.ok(existsSync(path), `${path} is missing`);
    const doc = readFileSync(path, 'utf8');
    const graphs = [...doc.matchAll(GRAPH)];
    assert.equal(graphs.length, 1, `${path} must hold exactly one \`\`\`yaml graph block`);
    const analysis = lintText(graphs[0][1]);
    assert.deepEqual(analysis.diagnostics.filter((d) => d.severity === 'error' && !d.suppressed).map((d) => `${d.code} ${d.message}`), [], `the graph in ${path} has errors`);
    assert.ok(analysis.graph && analysis.queries);
    const traces = [...doc.matchAll(TRACE)];
    assert.ok(traces.some((t) => t[1] === 'incorrect'), `${path} has no \`\`\`jsonl trace incorrect block`);
    assert.ok(traces.some((t) => t[1] === 'correct'), `${path} has no \`\`\`jsonl trace correct block`);
    for (const [, kind, opts, text] of traces) {
      const minRuns = Number(/min-runs=(\d+)/.exec(opts)?.[1] ?? 10);
      const read = readTraceText(text, 'doc.jsonl');
      assert.equal(read.malformed + read.rejected, 0, `a trace in ${path} has lines that are not traces: ${read.reasons.join('; ')}`);
      const ctx = graphContext(analysis.uri, analysis.graph!, analysis.queries!);
      const state = createTraceState();
      setGraph(state, ctx);
      reduce(state, read.events);
      const found: AgDiagnostic[] = checkConformance(analysis.graph!, ctx, aggregate(state, ctx), { minRunsForUnseen: minRuns }).filter((d) => d.code === rule.code);
      if (kind === 'incorrect') assert.ok(found.length > 0, `an incorrect trace in ${path} does not produce ${rule.code}`);
      else assert.deepEqual(found.map((d) => d.message), [], `a correct trace in ${path} produces ${rule.code}`);
    }
  });
}

test('every page in docs/rules belongs to a rule of the catalog or a trace rule', () => {
  const codes = new Set([...RULES.map((r) => r.code), ...TRACE_RULES.map((r) => r.code)]);
  for (const f of readdirSync('docs/rules').filter((f) => f.endsWith('.md'))) assert.ok(codes.has(f.slice(0, -3)), `docs/rules/${f} documents no rule`);
});

test('trace rule codes are in the AG8xx range and unused by the catalog', () => {
  const catalog = new Set(RULES.map((r) => r.code));
  for (const r of TRACE_RULES) {
    assert.match(r.code, /^AG8\d\d$/);
    assert.ok(!catalog.has(r.code), `${r.code} is also a graph rule`);
  }
});
