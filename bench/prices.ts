// Price lookup benchmark (node --import tsx bench/prices.ts): what resolving the models of a LangGraph file costs.
//   import     time to load the module and the bundled genai-prices table (once per process)
//   cold       median per lookup on a cache miss: the table's matching rules run (each round is a new day, which
//              empties the memo); known models of several providers, then ids the table does not have
//   memoised   median per lookup once a (provider, model) pair has been seen
import type { lookupPrice as Lookup } from '../server/src/core/prices.ts';

let lookupPrice: typeof Lookup;

const known: [string | undefined, string][] = [
  ['openai', 'gpt-4o-mini'], ['openai', 'gpt-4o-mini-2024-07-18'], [undefined, 'gpt-4.1'], ['azure_openai', 'gpt-4o'],
  ['anthropic', 'claude-sonnet-4-5'], ['anthropic', 'claude-3-5-sonnet-latest'], [undefined, 'claude-3-5-haiku-20241022'],
  ['google_genai', 'gemini-2.5-flash'], ['google_vertexai', 'gemini-2.5-pro'], ['bedrock_converse', 'anthropic.claude-3-5-sonnet-20240620-v1:0'],
  ['mistralai', 'mistral-large-latest'], ['groq', 'llama-3.3-70b-versatile'], ['deepseek', 'deepseek-chat'], ['xai', 'grok-4'],
  ['cohere', 'command-r-plus'], ['together', 'meta-llama/Llama-3.3-70B-Instruct-Turbo'],
];
const unknown: [string | undefined, string][] = [
  ['openai', 'gpt-nonexistent'], [undefined, 'my-finetune'], ['azure_openai', 'my-deployment'], ['bedrock', 'nope.nope-v1:0'],
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Median microseconds per lookup of `pairs`; `cold`: every round on a fresh day, so every lookup misses the memo. */
function perLookup(pairs: [string | undefined, string][], cold: boolean, rounds = 200): number {
  const samples: number[] = [];
  const base = Date.UTC(2026, 0, 1);
  for (let r = 0; r < rounds; r++) {
    const at = new Date(base + (cold ? r : 0) * 86_400_000);
    if (cold) lookupPrice('openai', 'warm-the-day', at); // the day changes here: the memo is emptied outside the timing
    for (const [p, m] of pairs) {
      const t = performance.now();
      lookupPrice(p, m, at);
      samples.push((performance.now() - t) * 1000);
    }
  }
  return median(samples);
}

async function main(): Promise<void> {
  const t0 = performance.now();
  ({ lookupPrice } = await import('../server/src/core/prices.ts'));
  const importMs = performance.now() - t0;
  perLookup(known, false, 5); // JIT warm-up
  const rows = [
    ['import (module + table)', `${importMs.toFixed(1)} ms`],
    ['cold, known models', `${perLookup(known, true).toFixed(1)} µs`],
    ['cold, unknown models', `${perLookup(unknown, true).toFixed(1)} µs`],
    ['memoised', `${perLookup([...known, ...unknown], false, 2000).toFixed(2)} µs`],
  ];
  for (const [k, v] of rows) console.log(`${k.padEnd(26)} ${v}`);
}

void main();
