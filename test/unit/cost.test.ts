// Worst-case cost (server/src/core/cost.ts) against figures computed by hand. The interpretation under test:
// - a model call costs input_tokens * input price + max_output_tokens * output price (per million) per attempt;
//   retry.attempts counts every attempt (the first included), for the primary model and for each fallback;
// - a tool call costs usd_per_call per attempt; an agent node costs its model call and its dearest tool per
//   iteration, max_iterations times;
// - a node in a loop counts its own max_visits; a loop node without one counts the sum of the loop's guards;
//   a node on a cycle that no guard cuts counts budget.steps, else it is unbounded (and counted once);
// - a run takes at most budget.steps visits in all: a node runs at most as often as the steps leave room for
//   (after the shortest way to it, once per shortest cycle through it), and the run takes the dearest visits
//   that fit;
// - the path is the most expensive from entry, failure and exhaustion transitions included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { codes } from '../support/lint.ts';
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
  // n2's self-loop is not cut by n1's guard; n1 takes the first of the 7 steps, so n2 runs at most 6 times.
  const bounded = wc(g(body, 'budget: { steps: 7 }\n'));
  assert.equal(bounded.perNode.get('n2')!.visits, 6);
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

// --- budget.steps: at most that many visits in all ------------------------------------------------------------

const loop = (steps: number, usd = 1.5) => `agentgraph: 1
name: t
models:
  a: { input_usd_per_mtok: 1, output_usd_per_mtok: 10 }
budget: { usd: ${usd}, steps: ${steps} }
entry: plan
nodes:
  plan: { kind: function, next: draft }
  draft: { kind: llm, model: a, input_tokens: 1000, max_output_tokens: 1000, next: critique }
  critique: { kind: llm, model: a, input_tokens: 1000, max_output_tokens: 100, routes: { more: draft, ok: publish } }
  publish: { kind: function, next: END }
`;

test('a two-node loop bounded only by budget.steps shares the steps: draft x30 -> critique x29 under steps: 60', () => {
  // draft $0.011 (1000 * 1/1e6 + 1000 * 10/1e6), critique $0.002. The dearest run of 60 visits:
  // plan, (draft, critique) x29, draft = 1 + 59 visits: 30 * 0.011 + 29 * 0.002 = $0.388 (not 60 * 0.013 = $0.78).
  const w = wc(loop(60));
  close(w.usd, 0.388);
  assert.equal(w.tokens, 30 * 2000 + 29 * 1100);
  assert.equal(formatPath(w.path, w.pathVisits), 'plan -> draft x30 -> critique x29');
  assert.equal(formatPath(w.tokenPath, w.tokenPathVisits), 'plan -> draft x30 -> critique x29');
  assert.deepEqual([w.perNode.get('draft')!.visits, w.perNode.get('critique')!.visits], [30, 29]);
  // A budget between the true figure and the doubled one: no AG303.
  assert.ok(!codes(lintText(loop(60, 0.5)).diagnostics).includes('AG303'));
  assert.ok(codes(lintText(loop(60, 0.38)).diagnostics).includes('AG303'));
});

test('max_visits figures are capped by budget.steps too', () => {
  const body = `  n1: { kind: tool, tool: paid, next: n2 }
  n2: { kind: tool, tool: dear, routes: { again: n2, done: END }, max_visits: 50, on_exhausted: END }
`;
  const w = wc(g(body, 'budget: { steps: 10 }\n'));
  // n1 takes one step; n2 (a self-loop) the other 9, not its max_visits 50.
  assert.equal(w.perNode.get('n2')!.visits, 9);
  close(w.usd, 0.01 + 9 * 0.05);
});

test('the step limit takes the dearest visits: a cheap loop before a dear one', () => {
  // n1 <-> n2 (cheap, $0.01 each), then n3 <-> n4 ($0.05 each), 20 steps: the dearest run spends as few steps
  // as it can in the cheap loop (n1, n2 once each) and the other 18 in the dear one: 2 * 0.01 + 18 * 0.05.
  const body = `  n1: { kind: tool, tool: paid, next: n2 }
  n2: { kind: tool, tool: paid, routes: { back: n1, on: n3 } }
  n3: { kind: tool, tool: dear, next: n4 }
  n4: { kind: tool, tool: dear, routes: { back: n3, done: END } }
`;
  const w = wc(g(body, 'budget: { steps: 20 }\n'));
  assert.ok(w.usd >= 2 * 0.01 + 18 * 0.05 - 1e-9, `${w.usd} is below a real run`);
  assert.ok(w.usd <= 20 * 0.05 + 1e-9, `${w.usd} is above 20 visits of the dearest node`);
});

/** The dearest walk from entry of at most `steps` visits, by enumeration (small graphs only). */
function bruteForce(succ: ReadonlyMap<string, readonly string[]>, price: ReadonlyMap<string, number>, entry: string, steps: number): number {
  let best = 0;
  const walk = (at: string, left: number, sum: number) => {
    sum += price.get(at)!;
    best = Math.max(best, sum);
    if (left > 1) for (const to of succ.get(at)!) walk(to, left - 1, sum);
  };
  walk(entry, steps, 0);
  return best;
}

test('under budget.steps the figure is never below a real run, and exact for one loop', () => {
  const rand = ((s) => () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31))(7);
  for (let round = 0; round < 60; round++) {
    const size = 2 + Math.floor(rand() * 4);
    const ids = Array.from({ length: size }, (_, i) => `n${i + 1}`);
    const succ = new Map<string, string[]>();
    const price = new Map<string, number>();
    const lines: string[] = [];
    for (const [i, id] of ids.entries()) {
      const targets = new Set<string>();
      if (i + 1 < size) targets.add(ids[i + 1]);
      if (rand() < 0.5) targets.add(ids[Math.floor(rand() * size)]);
      const cost = [0.01, 0.05, 0][Math.floor(rand() * 3)];
      price.set(id, cost);
      succ.set(id, [...targets]);
      const tool = cost === 0.01 ? 'paid' : cost === 0.05 ? 'dear' : undefined;
      const routes = [...targets].map((t, j) => `r${j}: ${t}`).concat(i + 1 === size ? ['end: END'] : []);
      lines.push(`  ${id}: { kind: ${tool ? `tool, tool: ${tool}` : 'function'}, routes: { ${routes.join(', ')} } }`);
    }
    const steps = 1 + Math.floor(rand() * 9);
    const w = wc(g(lines.join('\n') + '\n', `budget: { steps: ${steps} }\n`));
    const real = bruteForce(succ, price, 'n1', steps);
    assert.ok(w.usd >= real - 1e-9, `round ${round}: ${w.usd} < ${real} for\n${lines.join('\n')}\nsteps ${steps}`);
  }
  // One loop between straight parts: exactly the dearest run, for every step limit.
  for (let steps = 1; steps <= 12; steps++) {
    const succ = new Map([['plan', ['draft']], ['draft', ['critique']], ['critique', ['draft', 'publish']], ['publish', []]]);
    const price = new Map([['plan', 0], ['draft', 0.011], ['critique', 0.002], ['publish', 0]]);
    close(wc(loop(steps)).usd, bruteForce(succ, price, 'plan', steps));
  }
});
