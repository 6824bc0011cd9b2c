// Generates realistic agent graphs of any size for benchmarks: llm, tool, router and agent nodes in stages,
// guarded review loops, fan-out, recovery targets, state keys with data classes, and subgraph references.
// Deterministic for a given size and seed.

export interface GenerateOptions {
  readonly nodes: number;
  readonly seed?: number;
  /** Relative paths of subgraph files that subgraph nodes may refer to. */
  readonly subgraphs?: readonly string[];
  readonly name?: string;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

export function generateGraph(opts: GenerateOptions): string {
  const rand = rng(opts.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const n = Math.max(3, opts.nodes);
  const keys = Array.from({ length: Math.max(4, Math.ceil(n / 8)) }, (_, i) => `k${i}`);
  const lines: string[] = [];
  lines.push('agentgraph: 1', `name: ${opts.name ?? `generated-${n}`}`, `description: A generated graph of ${n} nodes for benchmarks.`, '', 'state:');
  lines.push('  request: { type: string, input: true }');
  keys.forEach((k, i) => lines.push(`  ${k}: { type: ${pick(['string', 'object', 'array'])}${i % 7 === 3 ? ', data: [pii]' : ''} }`));
  lines.push('', 'models:');
  lines.push('  fast: { provider: openai, model: gpt-4o-mini, input_usd_per_mtok: 0.15, output_usd_per_mtok: 0.60, allows: [pii] }');
  lines.push('  smart: { provider: anthropic, model: claude-sonnet-4-5, input_usd_per_mtok: 3.00, output_usd_per_mtok: 15.00, allows: [pii] }');
  lines.push('', 'tools:');
  for (let i = 0; i < 6; i++) lines.push(`  tool${i}: { effect: ${i % 3 === 2 ? 'write' : 'read'}, timeout_s: 10, rate_limit: 10/s, usd_per_call: 0.001 }`);
  lines.push('', 'budget: { usd: 50, tokens: 5000000, steps: ' + n * 4 + ' }', '', 'defaults:', '  retry: { attempts: 3, backoff: exponential }', '  timeout_s: 30', '', 'entry: n0', 'on_error: fallback', '', 'nodes:');

  const id = (i: number) => (i >= n - 1 ? 'END' : `n${i}`);
  for (let i = 0; i < n - 1; i++) {
    const r = rand();
    const kind = i === 0 ? 'llm' : r < 0.45 ? 'llm' : r < 0.7 ? 'tool' : r < 0.82 ? 'router' : r < 0.9 ? 'function' : r < 0.96 ? 'agent' : opts.subgraphs?.length ? 'subgraph' : 'function';
    lines.push(`  n${i}:`, `    kind: ${kind}`);
    // Nodes read the request and, optionally, what an earlier node wrote; every tenth also relies on the key
    // its predecessor writes, which a route that skips the predecessor leaves unwritten (a realistic AG502).
    const reads = ['request'];
    if (i % 10 === 5) reads.push(keys[(i - 1) % keys.length]);
    if (kind === 'llm' || kind === 'agent') {
      lines.push(`    model: ${pick(['fast', 'smart'])}`, `    input_tokens: ${500 + Math.floor(rand() * 3000)}`, `    max_output_tokens: ${100 + Math.floor(rand() * 900)}`);
      if (kind === 'agent') lines.push(`    tools: [tool${Math.floor(rand() * 2)}]`, '    max_iterations: 5');
    } else if (kind === 'tool') {
      const t = Math.floor(rand() * 6);
      lines.push(`    tool: tool${t}`);
      if (t % 3 === 2) lines.push('    retry: none', '    approval: human');
    } else if (kind === 'subgraph') {
      lines.push(`    graph: ${pick(opts.subgraphs!)}`, `    passes: [request]`);
    }
    lines.push(`    reads: [${reads.join(', ')}${i > 0 ? `, ${pick(keys)}?` : ''}]`, `    writes: [${keys[i % keys.length]}]`);
    // Transitions: mostly forward; every tenth node closes a guarded loop back a few nodes; routers fan out.
    if (kind === 'router') {
      const a = id(i + 1);
      const b = id(Math.min(n - 1, i + 2 + Math.floor(rand() * 5)));
      lines.push(`    routes: { primary: ${a}, secondary: ${b} }`);
    } else if (i % 10 === 9 && i > 3) {
      lines.push(`    routes: { done: ${id(i + 1)}, retry: n${i - 3} }`, '    max_visits: 3', `    on_exhausted: ${id(i + 1)}`);
    } else if (rand() < 0.05 && i + 3 < n) {
      lines.push(`    next: [${id(i + 1)}, ${id(i + 2)}]`);
    } else {
      lines.push(`    next: ${id(i + 1)}`);
    }
    lines.push('');
  }
  lines.push('  fallback:', '    kind: human', '    reads: [request]', '    next: END', '');
  lines.push('success:', '  - { metric: task_success_rate, target: ">= 0.9", eval: evals/generated.jsonl }', '', 'tracing:', '  exporter: otlp', '  node_attribute: langgraph_node', '');
  lines.push('policies:', '  - { id: pii-models, data: [pii], require: model_allows }', '');
  return lines.join('\n');
}
