// Model prices from the bundled genai-prices table (server/src/core/prices.ts). Figures are checked against the
// package's own data read through its API (calcPrice), never against numbers copied here, so a table update does
// not break the tests; a sanity range catches a unit mistake (per token vs per million).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { calcPrice } from '@pydantic/genai-prices';
import { lookupPrice, parseModelString, providerOfConstructor, PRICE_TABLE_VERSION } from '../../server/src/core/prices.ts';

const AT = new Date(Date.UTC(2026, 11, 1, 12, 0, 0));

/** The table's base (first tier) price of a matched entry, read through the package's API. */
function table(providerId: string | undefined, model: string, at = AT): { input: number; output: number; model: string } {
  const r = calcPrice({}, model, providerId ? { providerId, timestamp: at } : { timestamp: at });
  assert.ok(r, `the table has ${providerId}:${model}`);
  const base = (v: unknown) => (typeof v === 'number' ? v : (v as { base: number }).base);
  return { input: base(r.model_price.input_mtok), output: base(r.model_price.output_mtok), model: r.model.id };
}

function sane(p: { inputUsdPerMtok: number; outputUsdPerMtok: number }): void {
  assert.ok(p.inputUsdPerMtok > 0 && p.inputUsdPerMtok < 100, `input ${p.inputUsdPerMtok}`);
  assert.ok(p.outputUsdPerMtok > 0 && p.outputUsdPerMtok < 200, `output ${p.outputUsdPerMtok}`);
}

test('the version in the source line is the installed package', () => {
  const pkg = JSON.parse(readFileSync('node_modules/@pydantic/genai-prices/package.json', 'utf8'));
  assert.equal(PRICE_TABLE_VERSION, pkg.version);
  assert.equal(lookupPrice('openai', 'gpt-4o-mini', AT)!.source, `genai-prices ${pkg.version}`);
});

test('known models of several providers give the table figures (LangChain provider ids → table ids)', () => {
  const cases: [string, string, string][] = [
    // [LangChain provider, model, table provider]
    ['openai', 'gpt-4o-mini', 'openai'],
    ['openai', 'gpt-4.1', 'openai'],
    ['anthropic', 'claude-sonnet-4-5', 'anthropic'],
    ['google_genai', 'gemini-2.5-flash', 'google'],
    ['google_vertexai', 'gemini-2.5-pro', 'google'],
    ['bedrock', 'amazon.nova-pro-v1:0', 'aws'],
    ['bedrock_converse', 'anthropic.claude-3-5-sonnet-20240620-v1:0', 'aws'],
    ['azure_openai', 'gpt-4o', 'azure'],
    ['mistralai', 'mistral-large-latest', 'mistral'],
    ['groq', 'llama-3.3-70b-versatile', 'groq'],
    ['xai', 'grok-4', 'x-ai'],
    ['cohere', 'command-r-plus', 'cohere'],
    ['together', 'meta-llama/Llama-3.3-70B-Instruct-Turbo', 'together'],
  ];
  for (const [provider, model, tableProvider] of cases) {
    const p = lookupPrice(provider, model, AT);
    assert.ok(p, `${provider}:${model}`);
    const t = table(tableProvider, model);
    assert.equal(p.provider, tableProvider, `${provider}:${model}`);
    assert.equal(p.model, t.model);
    assert.equal(p.inputUsdPerMtok, t.input, `${provider}:${model} input`);
    assert.equal(p.outputUsdPerMtok, t.output, `${provider}:${model} output`);
    sane(p);
  }
});

test('spellings of one provider agree: google_genai, google, gemini, google-genai (JS)', () => {
  const ref = lookupPrice('google_genai', 'gemini-2.5-flash', AT);
  for (const p of ['google', 'gemini', 'google-genai', 'GOOGLE_GENAI', ' google_vertexai ']) assert.deepEqual(lookupPrice(p, 'gemini-2.5-flash', AT), ref, p);
  assert.deepEqual(lookupPrice('aws', 'amazon.nova-pro-v1:0', AT), lookupPrice('bedrock', 'amazon.nova-pro-v1:0', AT));
  assert.deepEqual(lookupPrice('azure', 'gpt-4o', AT), lookupPrice('azure_openai', 'gpt-4o', AT));
});

test('dated snapshots and aliases resolve to their model', () => {
  const cases: [string, string, string][] = [
    ['openai', 'gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
    ['anthropic', 'claude-3-5-sonnet-latest', 'claude-3-5-sonnet'],
    ['anthropic', 'claude-3-5-sonnet-20241022', 'claude-3-5-sonnet'],
    ['anthropic', 'claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
  ];
  for (const [provider, model, canonical] of cases) {
    const p = lookupPrice(provider, model, AT);
    assert.ok(p, model);
    assert.deepEqual({ ...p, model: canonical }, lookupPrice(provider, canonical, AT), model);
    sane(p);
  }
});

test('a tiered price gives its first tier', () => {
  // claude-sonnet-4-5 costs more above 200k prompt tokens; the base tier is the one used.
  const p = lookupPrice('anthropic', 'claude-sonnet-4-5', AT)!;
  const r = calcPrice({}, 'claude-sonnet-4-5', { providerId: 'anthropic', timestamp: AT })!;
  const tiered = r.model_price.input_mtok as { base: number; tiers: { price: number }[] };
  assert.equal(typeof tiered, 'object', 'the table still has tiers for this model');
  assert.equal(p.inputUsdPerMtok, tiered.base);
  assert.ok(tiered.tiers[0].price > tiered.base);
});

test('LangChain-only spellings: models/ prefix of google_genai, Claude on Vertex', () => {
  assert.deepEqual(lookupPrice('google_genai', 'models/gemini-2.5-flash', AT), lookupPrice('google_genai', 'gemini-2.5-flash', AT));
  const vertexClaude = lookupPrice('google_anthropic_vertex', 'claude-sonnet-4-5@20250929', AT);
  assert.ok(vertexClaude);
  assert.equal(vertexClaude.provider, 'google');
  sane(vertexClaude);
});

test('a model id without a provider is inferred from the id', () => {
  for (const [model, provider] of [['gpt-4o-mini', 'openai'], ['claude-3-5-haiku-20241022', 'anthropic'], ['gemini-2.0-flash', 'google'], ['mistral-large-latest', 'mistral'], ['deepseek-reasoner', 'deepseek'], ['grok-3-mini', 'x-ai'], ['command-r', 'cohere'], ['amazon.nova-pro-v1:0', 'aws']]) {
    const p = lookupPrice(undefined, model, AT);
    assert.ok(p, model);
    assert.equal(p.provider, provider, model);
    assert.deepEqual(p, lookupPrice(provider, model, AT), model);
  }
  assert.deepEqual(lookupPrice('', 'gpt-4o-mini', AT), lookupPrice(undefined, 'gpt-4o-mini', AT), 'an empty provider is no provider');
});

test('time-of-day prices: the dearest hour of the day, whatever the hour of the lookup', () => {
  // deepseek-chat is cheaper off-peak; calcPrice answers by the hour, the lookup by the day.
  const day = Date.UTC(2026, 11, 1);
  const hourly = Array.from({ length: 48 }, (_, i) => table('deepseek', 'deepseek-chat', new Date(day + i * 1_800_000)));
  const dearest = { input: Math.max(...hourly.map((h) => h.input)), output: Math.max(...hourly.map((h) => h.output)) };
  assert.ok(Math.min(...hourly.map((h) => h.input)) < dearest.input, 'the table still has an off-peak price');
  for (const hour of [0, 3, 12, 20, 23]) {
    const p = lookupPrice('deepseek', 'deepseek-chat', new Date(day + hour * 3_600_000))!;
    assert.equal(p.inputUsdPerMtok, dearest.input, `${hour}:00`);
    assert.equal(p.outputUsdPerMtok, dearest.output, `${hour}:00`);
  }
});

test('ollama is local: 0 USD, any model name', () => {
  for (const model of ['llama3.1:8b', 'qwen2.5-coder', 'gpt-oss:120b-cloud']) {
    assert.deepEqual(lookupPrice('ollama', model), { provider: 'ollama', model, inputUsdPerMtok: 0, outputUsdPerMtok: 0, source: 'local model' });
  }
  assert.equal(lookupPrice(undefined, 'llama3.1:8b'), undefined, 'a bare id is not assumed local');
});

test('free and non-token entries: free is 0, audio-only has no token price, embeddings have no output price', () => {
  const free = lookupPrice('mistral', 'mistral-nemo:free', AT);
  assert.deepEqual(free && [free.inputUsdPerMtok, free.outputUsdPerMtok], [0, 0]);
  assert.equal(lookupPrice('groq', 'whisper-large-v3', AT), undefined);
  const emb = lookupPrice('openai', 'text-embedding-3-small', AT)!;
  assert.ok(emb.inputUsdPerMtok > 0);
  assert.equal(emb.outputUsdPerMtok, 0);
});

test('unknown models and providers are undefined', () => {
  assert.equal(lookupPrice('openai', 'gpt-nonexistent-9000', AT), undefined);
  assert.equal(lookupPrice(undefined, 'my-finetuned-model', AT), undefined);
  assert.equal(lookupPrice('azure_openai', 'my-deployment', AT), undefined, 'an Azure deployment name is not a model id');
  assert.equal(lookupPrice('no-such-provider', 'gpt-4o-mini', AT), undefined, 'an unknown provider is not guessed from the model');
  assert.equal(lookupPrice('huggingface', 'meta-llama/Llama-3.1-8B-Instruct', AT), undefined, 'a LangChain provider the table lacks');
  assert.equal(lookupPrice('anthropic', 'gpt-4o-mini', AT), undefined, 'a model of another provider');
});

test('garbage never throws and is undefined', () => {
  const big = 'x'.repeat(10 * 1024);
  const weird = ['', '   ', big, `gpt-4o-mini${big}`, '日本語のモデル', '🤖🤖🤖', '\u0000\u0001', 'gpt-4o\uD800', '(((((a+)+)+)+)+$', '.*', '../../etc/passwd', 'openai:', ':'];
  for (const s of weird) {
    for (const p of [undefined, 'openai', 'mistralai', 'google', s]) {
      assert.doesNotThrow(() => lookupPrice(p, s, AT));
      assert.equal(lookupPrice(p, s, AT), undefined, JSON.stringify([p?.slice(0, 20), s.slice(0, 20)]));
    }
    assert.doesNotThrow(() => providerOfConstructor(s));
    assert.equal(providerOfConstructor(s), undefined);
    assert.doesNotThrow(() => parseModelString(s));
  }
  for (const bad of [null, 42, {}, [], Symbol('x')] as unknown[]) {
    assert.equal(lookupPrice(bad as string, bad as string), undefined);
    assert.equal(lookupPrice(undefined, bad as string), undefined);
    assert.equal(providerOfConstructor(bad as string), undefined);
    assert.deepEqual(parseModelString(bad as string), { model: '' });
  }
  assert.equal(lookupPrice('openai', 'gpt-4o-mini', new Date(NaN))?.model, 'gpt-4o-mini', 'an invalid date means today');
});

test('chat model classes map to provider ids, Python and JS, qualified or not', () => {
  const expected: Record<string, string> = {
    ChatOpenAI: 'openai', AzureChatOpenAI: 'azure_openai', ChatAnthropic: 'anthropic', ChatGoogleGenerativeAI: 'google_genai',
    ChatVertexAI: 'google_vertexai', ChatBedrock: 'bedrock', ChatBedrockConverse: 'bedrock_converse', BedrockChat: 'bedrock',
    ChatOllama: 'ollama', ChatMistralAI: 'mistralai', ChatGroq: 'groq', ChatDeepSeek: 'deepseek', ChatXAI: 'xai',
    ChatFireworks: 'fireworks', ChatTogether: 'together', ChatTogetherAI: 'together', ChatCohere: 'cohere',
    ChatAnthropicVertex: 'google_anthropic_vertex', ChatPerplexity: 'perplexity',
  };
  for (const [cls, provider] of Object.entries(expected)) {
    assert.equal(providerOfConstructor(cls), provider, cls);
    assert.equal(providerOfConstructor(`some_module.${cls}`), provider, `qualified ${cls}`);
  }
  for (const cls of ['ChatModel', 'chatopenai', 'OpenAI', 'Ollama', 'ChatOpenAIX']) assert.equal(providerOfConstructor(cls), undefined, cls);
  // Every class maps to a provider lookupPrice knows: a known model of each is priced (or free, for ollama).
  assert.ok(lookupPrice(providerOfConstructor('ChatOpenAI'), 'gpt-4o-mini', AT));
  assert.ok(lookupPrice(providerOfConstructor('ChatAnthropic'), 'claude-sonnet-4-5', AT));
  assert.ok(lookupPrice(providerOfConstructor('ChatGoogleGenerativeAI'), 'gemini-2.5-flash', AT));
  assert.ok(lookupPrice(providerOfConstructor('ChatBedrockConverse'), 'anthropic.claude-3-5-sonnet-20240620-v1:0', AT));
  assert.ok(lookupPrice(providerOfConstructor('AzureChatOpenAI'), 'gpt-4o-mini', AT));
  assert.ok(lookupPrice(providerOfConstructor('ChatDeepSeek'), 'deepseek-chat', AT));
  assert.ok(lookupPrice(providerOfConstructor('ChatXAI'), 'grok-4', AT));
});

test('provider:model strings split as LangChain splits them', () => {
  assert.deepEqual(parseModelString('openai:gpt-4o-mini'), { provider: 'openai', model: 'gpt-4o-mini' });
  assert.deepEqual(parseModelString('anthropic:claude-sonnet-4-5'), { provider: 'anthropic', model: 'claude-sonnet-4-5' });
  assert.deepEqual(parseModelString(' google_genai:gemini-2.5-flash '), { provider: 'google_genai', model: 'gemini-2.5-flash' });
  assert.deepEqual(parseModelString('google-genai:gemini-2.5-flash'), { provider: 'google-genai', model: 'gemini-2.5-flash' });
  assert.deepEqual(parseModelString('ollama:llama3.1:8b'), { provider: 'ollama', model: 'llama3.1:8b' });
  assert.deepEqual(parseModelString('bedrock_converse:anthropic.claude-3-5-sonnet-20240620-v1:0'), { provider: 'bedrock_converse', model: 'anthropic.claude-3-5-sonnet-20240620-v1:0' });
  // Not a provider before the colon: a bare id (Ollama tags, Bedrock versions).
  assert.deepEqual(parseModelString('gpt-4o-mini'), { model: 'gpt-4o-mini' });
  assert.deepEqual(parseModelString('llama3.1:8b'), { model: 'llama3.1:8b' });
  assert.deepEqual(parseModelString('mistral:7b'), { model: 'mistral:7b' });
  assert.deepEqual(parseModelString('anthropic.claude-3-5-sonnet-20240620-v1:0'), { model: 'anthropic.claude-3-5-sonnet-20240620-v1:0' });
  // The split feeds the lookup.
  const { provider, model } = parseModelString('openai:gpt-4o-mini');
  assert.deepEqual(lookupPrice(provider, model, AT), lookupPrice('openai', 'gpt-4o-mini', AT));
});

test('repeated lookups are memoised: the same frozen object', () => {
  const a = lookupPrice('openai', 'gpt-4o-mini-2024-07-18', AT);
  const b = lookupPrice('openai', 'gpt-4o-mini-2024-07-18', AT);
  assert.ok(a);
  assert.equal(a, b);
  assert.ok(Object.isFrozen(a));
  const n = 20_000;
  const t = performance.now();
  for (let i = 0; i < n; i++) lookupPrice('openai', 'gpt-4o-mini-2024-07-18', AT);
  const perLookupUs = ((performance.now() - t) * 1000) / n;
  assert.ok(perLookupUs < 20, `${perLookupUs.toFixed(2)} µs per memoised lookup`);
});

test('no network: lookups work with fetch stubbed to throw', () => {
  const realFetch = globalThis.fetch;
  let calls = 0;
  globalThis.fetch = (() => {
    calls++;
    throw new Error('network access in a price lookup');
  }) as typeof fetch;
  try {
    const fresh = new Date(Date.UTC(2027, 5, 1)); // a new day: the memo is emptied, the table is consulted again
    const p = lookupPrice('anthropic', 'claude-3-5-sonnet-latest', fresh);
    assert.ok(p);
    sane(p);
    assert.ok(lookupPrice(undefined, 'gemini-2.5-flash', fresh));
    assert.equal(lookupPrice('openai', 'not-a-model', fresh), undefined);
    assert.equal(calls, 0);
  } finally {
    globalThis.fetch = realFetch;
  }
});

test('no network from the first import: a process with fetch, http, https, net and dns blocked', () => {
  // The guards are installed before the module (and the package) load, so import-time code is covered too.
  const script = `
    const block = (name) => () => { throw new Error('network: ' + name); };
    globalThis.fetch = block('fetch');
    for (const m of ['http', 'https']) { const mod = require(m); mod.request = block(m + '.request'); mod.get = block(m + '.get'); }
    const net = require('net'); net.connect = net.createConnection = block('net.connect');
    const dns = require('dns'); dns.lookup = block('dns.lookup');
    const { lookupPrice } = require('./server/src/core/prices.ts');
    const p = lookupPrice('openai', 'gpt-4o-mini-2024-07-18');
    const q = lookupPrice(undefined, 'claude-3-5-sonnet-latest');
    // Anything the import scheduled has run by the time this timer fires.
    setTimeout(() => process.stdout.write(JSON.stringify([p && p.model, q && q.model])), 50);`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, JSON.stringify(['gpt-4o-mini', 'claude-3-5-sonnet']));
  assert.equal(r.stderr, '');
});
