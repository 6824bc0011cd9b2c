// Worst-case cost (server/src/core/cost.ts) against figures computed by hand. The interpretation under test:
// - a model call costs input_tokens * input price + max_output_tokens * output price (per million) per attempt;
//   retry.attempts counts every attempt (the first included), for the primary model and for each fallback;
// - a tool call costs usd_per_call per attempt; an agent node costs its model call and its dearest tool per
//   iteration, max_iterations times;
// - a node in a loop counts its own max_visits; a loop node without one counts the sum of the loop's guards;
//   a node on a cycle that no guard cuts counts budget.steps, else it is unbounded (and counted once);
// - the path is the most expensive from entry, failure and exhaustion transitions included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lintText } from '../support/lint.ts';
import { formatPath, formatTokens, formatUsd } from '../../server/src/core/cost.ts';

const wc = (text: string) => lintText(text).worstCase!;
const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} != ${b}`);

test('the complete example of FORMAT.md: $0.251115 and 52,200 tokens', () => {
  // Every call has 3 attempts (defaults.retry); draft and review run 3 times (review's max_visits: 3).
  //   classify (fast):  1500 * 0.15/1e6 + 300 * 0.60/1e6 = 0.000405 per attempt, x3             = 0.001215, 1800 x3 =  5,400
  //   lookup (tool):    0.0005 per call, x3                                                       = 0.0015
  //   draft (smart):    3000 * 3/1e6 + 800 * 15/1e6 = 0.021 per attempt, x3 attempts x3 visits    = 0.189,    3800 x9 = 34,200
  //   review (smart):   1200 * 3/1e6 + 200 * 15/1e6 = 0.0066 per attempt, x3 x3                   = 0.0594,   1400 x9 = 12,600
  //   refund, escalate: no price                                                                  = 0
  // classify -> lookup -> draft/review -> escalate: 0.001215 + 0.0015 + 0.189 + 0.0594 = 0.251115; 52,200 tokens.
  const w = wc(readFileSync('test/fixtures/ok/support-triage.agentgraph.yaml', 'utf8'));
  close(w.usd, 0.251115);
  assert.equal(w.tokens, 52200);
  assert.deepEqual(w.path.slice(0, 4), ['classify', 'lookup', 'draft', 'review']);
  assert.equal(w.perNode.get('draft')!.visits, 3);
  assert.equal(w.perNode.get('review')!.visits, 3);
  assert.equal(w.perNode.get('classify')!.visits, 1);
  close(w.perNode.get('draft')!.perVisit.usd, 0.063);
  assert.deepEqual([w.unbounded, [...w.unpriced], w.uncapped], [[], [], []]);
  assert.equal(formatPath(w.path.slice(0, 4), w.perNode), 'classify -> lookup -> draft x3 -> review x3');
  assert.equal(formatUsd(w.usd), '$0.2511');
  assert.equal(formatTokens(w.tokens), '52,200');
});

const g = (body: string, top = '') => `agentgraph: 1
name: t
models:
  a: { input_usd_per_mtok: 1, output_usd_per_mtok: 10 }
  b: { input_usd_per_mtok: 2, output_usd_per_mtok: 20 }
  free: {}
tools:
  paid: { effect: read, usd_per_call: 0.01 }
  dear: { effect: read, usd_per_call: 0.05 }
${top}entry: n1
nodes:
${body}`;

test('retries multiply every attempt, fallback models add their own attempts', () => {
  // a: 1000 * 1/1e6 + 100 * 10/1e6 = 0.002; b: 1000 * 2/1e6 + 100 * 20/1e6 = 0.004; 3 attempts each: 0.018.
  const w = wc(g(`  n1: { kind: llm, model: a, fallback_models: [b], input_tokens: 1000, max_output_tokens: 100, retry: { attempts: 3 }, next: END }\n`));
  close(w.usd, 0.018);
  assert.equal(w.tokens, 6600);
});

test('retry: none is one attempt, and defaults.retry applies otherwise', () => {
  const nodes = `  n1: { kind: tool, tool: paid, retry: none, next: n2 }\n  n2: { kind: tool, tool: paid, next: END }\n`;
  close(wc(g(nodes, 'defaults: { retry: { attempts: 4 } }\n')).usd, 0.01 + 0.04);
});

test('an agent counts its model call and its dearest tool per iteration', () => {
  // per iteration: 0.002 (model a) + 0.05 (dear); 5 iterations, 2 attempts: (0.002 * 2) * 5 + 0.05 * 5 * 2 = 0.52.
  const w = wc(g(`  n1: { kind: agent, model: a, tools: [paid, dear], max_iterations: 5, input_tokens: 1000, max_output_tokens: 100, retry: { attempts: 2 }, next: END }\n`));
  close(w.usd, 0.52);
  assert.equal(w.tokens, 1100 * 2 * 5);
});

test('an agent without max_iterations is unbounded', () => {
  assert.deepEqual(wc(g(`  n1: { kind: agent, model: a, max_output_tokens: 1, next: END }\n`)).unbounded, ['n1']);
});

test('a loop node without its own guard counts the sum of the loop\'s guards', () => {
  // n1 <-> n2 (guard 2 on n1) and n2 <-> n3 (guard 3 on n3): every cycle through n2 passes a guard, and n2 can
  // run between any two guarded visits, so it counts 2 + 3 = 5 times.
  const body = `  n1: { kind: tool, tool: paid, next: n2, max_visits: 2, on_exhausted: n4 }
  n2: { kind: router, routes: { x: n1, y: n3, z: END } }
  n3: { kind: tool, tool: dear, next: n2, max_visits: 3, on_exhausted: n4 }
  n4: { kind: tool, tool: paid, next: END }
`;
  const w = wc(g(body));
  assert.equal(w.perNode.get('n2')!.visits, 5);
  close(w.usd, 0.01 * 2 + 0.05 * 3 + 0.01);
});

test('a cycle that no guard cuts counts budget.steps, or is unbounded without it', () => {
  const body = `  n1: { kind: tool, tool: paid, next: n2, max_visits: 2, on_exhausted: n3 }
  n2: { kind: router, routes: { back: n1, self: n2, done: END } }
  n3: { kind: function, next: END }
`;
  // n2's self-loop is not cut by n1's guard.
  const bounded = wc(g(body, 'budget: { steps: 7 }\n'));
  assert.equal(bounded.perNode.get('n2')!.visits, 7);
  assert.deepEqual(bounded.unbounded, []);
  assert.deepEqual(wc(g(body)).unbounded, ['n2']);
});

test('failure transitions are paths too: an expensive recovery counts', () => {
  const body = `  n1: { kind: tool, tool: paid, on_error: n2, next: END }
  n2: { kind: tool, tool: dear, next: END }
`;
  const w = wc(g(body));
  close(w.usd, 0.06);
  assert.deepEqual(w.path, ['n1', 'n2']);
});

test('unpriced models count as free and are listed with the reachable nodes that call them', () => {
  const body = `  n1: { kind: llm, model: free, input_tokens: 1000, max_output_tokens: 100, next: END }
  n9: { kind: llm, model: free, input_tokens: 1000, max_output_tokens: 100, next: END }
`;
  const w = wc(g(body));
  assert.equal(w.usd, 0);
  assert.equal(w.tokens, 1100);
  assert.deepEqual([...w.unpriced], [['free', ['n1']]]);
});

test('tokens may peak on another path than dollars', () => {
  // n2: $0.05 and no tokens; n3: 10,100 tokens for 10000 * 1/1e6 + 100 * 10/1e6 = $0.011.
  const body = `  n1: { kind: router, routes: { x: n2, y: n3 } }
  n2: { kind: tool, tool: dear, next: END }
  n3: { kind: llm, model: a, input_tokens: 10000, max_output_tokens: 100, next: END }
`;
  const w = wc(g(body));
  close(w.usd, 0.05);
  assert.deepEqual(w.path, ['n1', 'n2']);
  assert.equal(w.tokens, 10100);
  assert.deepEqual(w.tokenPath, ['n1', 'n3']);
});

test('formatUsd keeps two to four decimals', () => {
  assert.deepEqual([0.4, 0.62, 0.251115, 12, 0.00005].map(formatUsd), ['$0.40', '$0.62', '$0.2511', '$12.00', '$0.000050']);
});
