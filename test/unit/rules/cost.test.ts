// AG301-AG306 (cost control): which findings, where (the text under the range), and the figures in AG303.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintText } from '../../support/lint.ts';

function found(text: string, code: string): string[] {
  return lintText(text).diagnostics.filter((d) => d.code === code).map((d) => text.slice(d.range.start, d.range.end));
}

const g = (top: string, nodes: string) => `agentgraph: 1
name: cost-check
models:
  smart: { input_usd_per_mtok: 3, output_usd_per_mtok: 15 }
  local: { provider: vllm }
  half:  { input_usd_per_mtok: 1 }
tools:
  lookup: { effect: read, timeout_s: 5, rate_limit: 10/s }
  slow:   { effect: read, rate_limit: 10/s }
  refund: { effect: write, timeout_s: 5 }
  fmt:    { effect: none }
  vague:  {}
${top}entry: a
nodes:
${nodes}`;

const llm = `  a: { kind: llm, model: smart, input_tokens: 3000, max_output_tokens: 800, retry: { attempts: 3 }, next: END }\n`;

const cases: [string, string, string, string, string[]][] = [
  ['AG301', 'no budget: at the name', '', llm, ['cost-check']],
  ['AG301', 'budget with steps only: at budget', 'budget: { steps: 10 }\n', llm, ['budget']],
  ['AG301', 'budget.tokens is enough', 'budget: { tokens: 10000 }\n', llm, []],
  ['AG302', 'llm without cap', 'budget: { usd: 1 }\n', `  a: { kind: llm, model: smart, next: END }\n`, ['a']],
  ['AG302', 'agent without cap', 'budget: { usd: 1 }\n', `  a: { kind: agent, model: smart, max_iterations: 2, next: END }\n`, ['a']],
  ['AG302', 'tool nodes have no output', 'budget: { usd: 1 }\n', `  a: { kind: tool, tool: lookup, next: END }\n`, []],
  // 3000 * 3/1e6 + 800 * 15/1e6 = 0.021 per attempt, 3 attempts = 0.063; 3800 x 3 = 11,400 tokens.
  ['AG303', 'over budget.usd: at usd', 'budget: { usd: 0.05, tokens: 20000 }\n', llm, ['usd']],
  ['AG303', 'over budget.tokens: at tokens', 'budget: { usd: 0.10, tokens: 10000 }\n', llm, ['tokens']],
  ['AG303', 'within both', 'budget: { usd: 0.063, tokens: 11400 }\n', llm, []],
  ['AG303', 'unbounded loop: no worst case (AG201)', 'budget: { usd: 0.01 }\n', `  a: { kind: llm, model: smart, input_tokens: 3000, max_output_tokens: 800, routes: { again: a, done: END } }\n`, []],
  ['AG304', 'unpriced model: at its key', '', `  a: { kind: llm, model: local, max_output_tokens: 10, next: b }\n  b: { kind: llm, model: local, max_output_tokens: 10, next: END }\n`, ['local']],
  ['AG304', 'half-priced model', '', `  a: { kind: llm, model: half, max_output_tokens: 10, next: END }\n`, ['half']],
  ['AG304', 'only reachable callers count', '', `  a: { kind: function, next: END }\n  x: { kind: llm, model: local, max_output_tokens: 10, next: END }\n`, []],
  ['AG304', 'undeclared model is AG002', '', `  a: { kind: llm, model: nowhere, max_output_tokens: 10, next: END }\n`, []],
  ['AG305', 'tool node, no timeout anywhere: at the node', '', `  a: { kind: tool, tool: slow, next: END }\n`, ['a']],
  ['AG305', 'node timeout covers the tool', '', `  a: { kind: tool, tool: slow, timeout_s: 5, next: END }\n`, []],
  ['AG305', 'defaults timeout covers the tool', 'defaults: { timeout_s: 30 }\n', `  a: { kind: tool, tool: slow, next: END }\n`, []],
  ['AG305', 'agent tools: at the tool name in its list', '', `  a: { kind: agent, model: smart, max_iterations: 3, max_output_tokens: 9, tools: [lookup, slow], next: END }\n`, ['slow']],
  ['AG306', 'read and write tools without rate_limit; none and unknown effects are not', '', `  a: { kind: function, next: END }\n`, ['refund']],
];

for (const [code, name, top, nodes, expected] of cases) {
  test(`${code}: ${name}`, () => assert.deepEqual(found(g(top, nodes), code), expected));
}

test('AG303 gives both figures and the path, and says "at least" when a model is unpriced', () => {
  const over = lintText(g('budget: { usd: 0.05, tokens: 10000 }\n', llm)).diagnostics.filter((d) => d.code === 'AG303').map((d) => d.message);
  assert.match(over[0], /^the worst-case run costs \$0\.063 \(path a\), over budget\.usd \$0\.05: /);
  assert.match(over[1], /^the worst-case run uses 11,400 tokens \(path a\), over budget\.tokens 10,000: /);
  const nodes = `  a: { kind: llm, model: local, input_tokens: 10, max_output_tokens: 10, next: b }\n  b: { kind: tool, tool: lookup, next: c }\n` +
    `  c: { kind: llm, model: smart, input_tokens: 3000, max_output_tokens: 800, routes: { ok: END, again: b }, max_visits: 2, on_exhausted: d }\n  d: { kind: human, next: END }\n`;
  const [lower] = lintText(g('budget: { usd: 0.03 }\n', nodes)).diagnostics.filter((d) => d.code === 'AG303');
  assert.match(lower.message, /costs at least \$0\.042 \(path a -> b x2 -> c x2 -> d, counting unpriced models as free\), over budget\.usd \$0\.03/);
  assert.deepEqual(lower.data?.lowerBound, true);
});

test('AG303 keeps figures apart that round alike', () => {
  const [d] = lintText(g('budget: { usd: 0.0629999 }\n', llm)).diagnostics.filter((x) => x.code === 'AG303');
  assert.match(d.message, /costs \$0\.063 \(path a\), over budget\.usd \$0\.0629999:/);
});
