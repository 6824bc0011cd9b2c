// Model prices for graphs read from LangGraph code, where a model is named only by its constructor
// (`ChatOpenAI(model="gpt-4o-mini")`) or a `provider:model` string (`init_chat_model("openai:gpt-4o-mini")`).
// The figures come from the price table of @pydantic/genai-prices, bundled with the extension: no network, ever.
//
// How the table is used, and why:
// - `calcPrice` is the package's only public way to resolve a model id to a table entry with its matching rules
//   (aliases, `-latest`, dated snapshots: `gpt-4o-mini-2024-07-18`, `claude-3-5-sonnet-20241022`, and the
//   `-YYYYMMDD` → `-YYYY-MM-DD` retry), including a provider's fallbacks (Azure falls back to OpenAI's list, Vertex
//   to Anthropic's). We call it with an empty usage and read the matched entry's `model_price`, not its totals.
// - Remote refresh: the package fetches nothing by itself. Only `updatePrices(factory)` installs a refresher (the
//   `onCalc` hook `calcPrice` calls first, `R?.()`); this module never calls it, so the bundled data is used.
//   There is no `fetch`, `http` or `import()` anywhere in the package's dist/index.js.
// - Base prices only: a tiered price (`{ base, tiers: [{ start: 200000, price }] }`, for prompts over 200k tokens)
//   gives its `base`, and cache-read/cache-write prices are ignored, as the cost model counts plain input tokens.
// - Worst case over the day: a few entries (DeepSeek) have time-of-day prices (off-peak discounts), so `calcPrice`
//   answers differently by the hour. We evaluate the entry at every time-of-day boundary of the day and keep the
//   highest input and output price, so a figure does not depend on when the editor computed it. Start-date price
//   changes are honoured: the price is the one in effect on the (UTC) day of the lookup.
// - Free entries (`…:free`, an empty price) cost 0; an entry priced only in other units (audio hours, OCR pages)
//   has no token price and gives undefined; an input-only entry (embeddings) has output 0.
// - Ollama runs models locally: every `ollama` model costs 0 USD per token (source "local model"), whatever its
//   name, as the table has no Ollama provider. (Ollama's hosted `-cloud` models are billed by subscription, not per
//   token, so 0 is the per-call figure there too.) A bare model id is never taken to be local.
// - `provider` and `model` of the answer are the table's ids of the entry that matched (`gpt-4o-mini` for
//   `gpt-4o-mini-2024-07-18`), so a hover can say what was priced.
import { calcPrice, type ModelInfo, type ModelPrice as TablePrice } from '@pydantic/genai-prices';

/** The bundled table's version; the unit test checks it against node_modules/@pydantic/genai-prices/package.json. */
export const PRICE_TABLE_VERSION = '0.1.8';
const SOURCE = `genai-prices ${PRICE_TABLE_VERSION}`;

export interface ModelPrice {
  provider: string;
  model: string;
  inputUsdPerMtok: number;
  outputUsdPerMtok: number;
  source: string;
}

const LOCAL = 'local';

/**
 * Provider ids as LangChain spells them (Python `init_chat_model`, JS `initChatModel`, after LangChain's own
 * normalisation: lower case, `-` → `_`) and a few common spellings, to the table's provider ids. `null`: LangChain
 * knows the provider, the table does not price it. `LOCAL`: runs on the user's machine.
 */
const PROVIDERS: ReadonlyMap<string, string | null> = new Map<string, string | null>([
  ['openai', 'openai'],
  ['anthropic', 'anthropic'],
  // Azure's own list, which falls back to OpenAI's (the table's provider_match would take `azure_openai` for OpenAI).
  ['azure_openai', 'azure'],
  ['azure_ai', 'azure'],
  ['azure', 'azure'],
  ['google_genai', 'google'],
  ['google_vertexai', 'google'],
  ['google_vertexai_web', 'google'],
  // Claude on Vertex: Google's list, which falls back to Anthropic's (provider_match would say anthropic).
  ['google_anthropic_vertex', 'google'],
  ['google', 'google'],
  ['gemini', 'google'],
  ['vertex', 'google'],
  ['vertexai', 'google'],
  ['bedrock', 'aws'],
  ['bedrock_converse', 'aws'],
  ['aws', 'aws'],
  ['amazon', 'aws'],
  ['mistralai', 'mistral'],
  ['mistral', 'mistral'],
  ['groq', 'groq'],
  ['deepseek', 'deepseek'],
  ['xai', 'x-ai'],
  ['x_ai', 'x-ai'],
  ['grok', 'x-ai'],
  ['fireworks', 'fireworks'],
  ['together', 'together'],
  ['together_ai', 'together'],
  ['togetherai', 'together'],
  ['cohere', 'cohere'],
  ['perplexity', 'perplexity'],
  ['cerebras', 'cerebras'],
  ['moonshot', 'moonshotai'],
  ['moonshotai', 'moonshotai'],
  ['openrouter', 'openrouter'],
  ['ollama', LOCAL],
  ['huggingface', null],
  ['ibm', null],
  ['nvidia', null],
  ['upstage', null],
]);

/** The prefixes LangChain's `init_chat_model` / `initChatModel` split off a `provider:model` string. */
const LANGCHAIN_PREFIXES: ReadonlySet<string> = new Set([
  'openai', 'anthropic', 'azure_openai', 'azure_ai', 'cohere', 'google_vertexai', 'google_genai', 'fireworks',
  'ollama', 'together', 'mistralai', 'huggingface', 'groq', 'bedrock', 'bedrock_converse', 'google_anthropic_vertex',
  'deepseek', 'ibm', 'nvidia', 'xai', 'perplexity', 'upstage',
  // JS spellings (initChatModel): google-genai, google-vertexai, google-vertexai-web, cerebras.
  'google-genai', 'google-vertexai', 'google-vertexai-web', 'cerebras',
]);

/** Chat model classes, Python (langchain_*) and JS (@langchain/*), to LangChain's provider ids. */
const CONSTRUCTORS: ReadonlyMap<string, string> = new Map([
  ['ChatOpenAI', 'openai'],
  ['AzureChatOpenAI', 'azure_openai'],
  ['AzureAIChatCompletionsModel', 'azure_ai'],
  ['ChatAnthropic', 'anthropic'],
  ['ChatAnthropicMessages', 'anthropic'],
  ['ChatAnthropicVertex', 'google_anthropic_vertex'],
  ['ChatGoogleGenerativeAI', 'google_genai'],
  ['ChatVertexAI', 'google_vertexai'],
  ['ChatBedrock', 'bedrock'],
  ['BedrockChat', 'bedrock'],
  ['ChatBedrockConverse', 'bedrock_converse'],
  ['ChatOllama', 'ollama'],
  ['ChatMistralAI', 'mistralai'],
  ['ChatGroq', 'groq'],
  ['ChatDeepSeek', 'deepseek'],
  ['ChatXAI', 'xai'],
  ['ChatFireworks', 'fireworks'],
  ['ChatTogether', 'together'],
  ['ChatTogetherAI', 'together'],
  ['ChatCohere', 'cohere'],
  ['ChatPerplexity', 'perplexity'],
  ['ChatCerebras', 'cerebras'],
  ['ChatHuggingFace', 'huggingface'],
  ['ChatNVIDIA', 'nvidia'],
  ['ChatWatsonx', 'ibm'],
  ['ChatUpstage', 'upstage'],
]);

/** The provider id (LangChain's spelling) of a chat model class, `ChatOpenAI` or `langchain_openai.ChatOpenAI`. */
export function providerOfConstructor(name: string): string | undefined {
  if (typeof name !== 'string' || name.length > 200) return undefined;
  const trimmed = name.trim();
  return CONSTRUCTORS.get(trimmed.slice(trimmed.lastIndexOf('.') + 1));
}

/**
 * `openai:gpt-4o-mini` → `{ provider: 'openai', model: 'gpt-4o-mini' }`. As in LangChain, the string is split at its
 * first colon only when what precedes it is a provider LangChain knows, so Ollama tags (`llama3.1:8b`) and Bedrock
 * versions (`anthropic.claude-3-5-sonnet-20240620-v1:0`) stay bare model ids.
 */
export function parseModelString(s: string): { provider?: string; model: string } {
  if (typeof s !== 'string') return { model: '' };
  const text = s.trim();
  const colon = text.indexOf(':');
  if (colon > 0) {
    const prefix = text.slice(0, colon).toLowerCase();
    if (LANGCHAIN_PREFIXES.has(prefix)) return { provider: prefix, model: text.slice(colon + 1).trim() };
  }
  return { model: text };
}

// --- lookup ------------------------------------------------------------------------------------------------------

/** Longer than any model id; garbage (a whole file pasted into `model=`) is refused before it reaches the table. */
const MAX_MODEL_ID = 256;
const MAX_CACHE = 4096;
const DAY_MS = 86_400_000;

/** Memo of lookups, misses included (`null`), for one UTC day: start-date price changes take effect at midnight. */
const cache = new Map<string, ModelPrice | null>();
let cacheDay = -1;

/**
 * The price per million tokens of a model, or undefined when the table has none. `provider` as LangChain spells it
 * (`openai`, `google_genai`, `bedrock_converse`, `ollama`, …, or a table id); undefined: inferred from the model id
 * (`gpt-…` → OpenAI, `claude…` → Anthropic, `gemini…` → Google, …). `at`: the day whose prices apply (default: today).
 * Never throws.
 */
export function lookupPrice(provider: string | undefined, model: string, at?: Date): ModelPrice | undefined {
  try {
    if (typeof model !== 'string') return undefined;
    const id = model.trim();
    if (id === '' || id.length > MAX_MODEL_ID) return undefined;
    const time = at instanceof Date && !Number.isNaN(at.getTime()) ? at.getTime() : Date.now();
    const day = Math.floor(time / DAY_MS);

    let tableProvider: string | undefined;
    if (typeof provider === 'string' && provider.trim() !== '') {
      const raw = provider.trim().toLowerCase();
      if (raw.length > 100) return undefined;
      const mapped = PROVIDERS.get(raw.replace(/-/g, '_'));
      if (mapped === null) return undefined;
      if (mapped === LOCAL) return Object.freeze({ provider: 'ollama', model: id, inputUsdPerMtok: 0, outputUsdPerMtok: 0, source: 'local model' });
      // A provider we do not map is passed as given: the table matches its own ids (`github-copilot`) and names.
      tableProvider = mapped ?? raw;
    }

    if (day !== cacheDay || cache.size >= MAX_CACHE) {
      cache.clear();
      cacheDay = day;
    }
    const key = `${tableProvider ?? ''}\u0000${id.toLowerCase()}`;
    const hit = cache.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const found = resolve(tableProvider, id, day * DAY_MS) ?? null;
    cache.set(key, found);
    return found ?? undefined;
  } catch {
    return undefined;
  }
}

/** Model ids LangChain infers a provider for that the table's own model patterns do not cover. */
const INFER: readonly [string, string][] = [
  ['amazon.', 'aws'],
  ['sonar', 'perplexity'],
];

function resolve(tableProvider: string | undefined, id: string, dayStart: number): ModelPrice | undefined {
  // LangChain's google_genai accepts `models/gemini-2.5-flash`, the form Google's API lists.
  const modelId = tableProvider === 'google' && id.startsWith('models/') ? id.slice('models/'.length) : id;
  let providerId = tableProvider;
  let first = match(providerId, modelId, new Date(dayStart));
  if (!first && providerId === undefined) {
    const lower = modelId.toLowerCase();
    providerId = INFER.find(([prefix]) => lower.startsWith(prefix))?.[1];
    if (providerId) first = match(providerId, modelId, new Date(dayStart));
  }
  if (!first) return undefined;

  let input = first.input;
  let output = first.output;
  for (const t of timeOfDayInstants(first.info, dayStart)) {
    const other = match(providerId, modelId, new Date(t));
    if (!other) continue;
    input = max(input, other.input);
    output = max(output, other.output);
  }
  if (input === undefined && output === undefined && !first.free) return undefined;
  return Object.freeze({
    provider: first.provider,
    model: first.info.id,
    inputUsdPerMtok: input ?? 0,
    outputUsdPerMtok: output ?? 0,
    source: SOURCE,
  });
}

interface Match {
  provider: string;
  info: ModelInfo;
  input: number | undefined;
  output: number | undefined;
  /** The entry has no price at all: the table's way of saying free. */
  free: boolean;
}

function match(providerId: string | undefined, modelId: string, timestamp: Date): Match | undefined {
  const r = calcPrice({}, modelId, providerId === undefined ? { timestamp } : { providerId, timestamp });
  if (!r) return undefined;
  const p: TablePrice = r.model_price;
  return {
    provider: r.provider.id,
    info: r.model,
    input: base(p.input_mtok),
    output: base(p.output_mtok),
    free: Object.values(p).every((v) => v === undefined),
  };
}

/** A flat price, or the first tier (`base`) of a tiered one. */
function base(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'object' && v !== null ? (v as { base?: unknown }).base : undefined;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

function max(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.max(a, b);
}

/** The instants of the day at which one of the entry's time-of-day prices starts or ends (empty for most entries). */
function timeOfDayInstants(info: ModelInfo, dayStart: number): number[] {
  if (!Array.isArray(info.prices)) return [];
  const out = new Set<number>();
  for (const c of info.prices) {
    const k = c.constraint;
    if (!k || k.type !== 'time_of_date') continue;
    for (const s of [k.start_time, k.end_time]) {
      const sec = secondsOfDayUtc(s);
      if (sec !== undefined) out.add(dayStart + sec * 1000);
    }
  }
  return [...out];
}

/** `HH:MM:SS[.fff](Z|±HH:MM)` → seconds after midnight UTC. */
function secondsOfDayUtc(s: unknown): number | undefined {
  const m = typeof s === 'string' ? /^(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|([+-])(\d{2}):(\d{2}))$/.exec(s) : null;
  if (!m) return undefined;
  const local = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
  const offset = m[4] === 'Z' ? 0 : (m[5] === '+' ? 1 : -1) * (Number(m[6]) * 3600 + Number(m[7]) * 60);
  return (((local - offset) % 86_400) + 86_400) % 86_400;
}
