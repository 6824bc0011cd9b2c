// The cost figures of the editor (lens, inlay hints, hover) against the panel and the readiness report: where
// one says a node is unbounded, all of them do, and they name the same nodes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { costInlayHints, costLens } from '../../../server/src/features/costHints.ts';
import { describeNode } from '../../../server/src/features/describe.ts';
import { buildGraphView } from '../../../server/src/view/graphView.ts';
import { checkReadiness } from '../../../server/src/readiness/check.ts';
import { lintFile, lintText } from '../../support/lint.ts';

// The outer loop is bounded (max_visits 3); the agent in it has no max_iterations.
const AGENT_IN_BOUNDED_LOOP = `agentgraph: 1
name: t
models:
  a: { input_usd_per_mtok: 10, output_usd_per_mtok: 10 }
budget: { usd: 1, steps: 20 }
entry: research
nodes:
  research:
    kind: agent
    model: a
    input_tokens: 2000
    max_output_tokens: 1000
    next: check
  check:
    kind: router
    routes: { again: research, done: END }
    max_visits: 3
    on_exhausted: END
`;

test('an agent without max_iterations is unbounded in the hint and the hover, as in the lens and the panel', () => {
  const a = lintText(AGENT_IN_BOUNDED_LOOP);
  const wc = a.worstCase!;
  assert.deepEqual(wc.unbounded, ['research']);
  assert.equal(wc.perNode.get('research')!.unbounded, true);
  assert.match(costLens(a.graph, wc)!.title, /^Worst case per run: unbounded \("research" can run without limit\)$/);
  assert.equal(buildGraphView(a).header.worstCase!.unbounded, true);
  const [hint] = costInlayHints(a.graph, wc, a.text);
  assert.equal(hint.label, '$0.03/iteration, unbounded (no max_iterations)');
  assert.match(hint.tooltip, /unbounded/);
  assert.match(describeNode({ graph: a.graph!, queries: a.queries, worstCase: wc }, 'research'), /\*\*Worst case per run\*\*: unbounded/);
});

test('the lens names every unbounded node the readiness report names, in the same order', () => {
  const a = lintFile('examples/research-agent.agentgraph.yaml');
  const lens = costLens(a.graph, a.worstCase)!;
  const named = (s: string) => [...s.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  const report = checkReadiness(a).checkpoints.flatMap((c) => c.evidence).find((e) => /cannot be compared with the budget/.test(e.message))!;
  assert.deepEqual(named(lens.title), named(report.message.split(':')[1]));
  assert.ok(named(lens.title).includes('critique'));
});
