// The keys of the format, their documentation and their allowed values, read from the zod schema (through the
// JSON Schema generated from it), so that completion and hover never repeat what the schema says. Each form of
// the format has its own keys: a graph, or an overlay (`source:`) on a graph read from code.
import { graphJsonSchema, overlayJsonSchema } from '../frontends/yaml/jsonSchema.ts';
import { OVERLAY_KEY, isOverlayDocument } from '../frontends/yaml/schema.ts';

/** The form of a document: a graph (`entry`, `nodes` with kinds and transitions), or an overlay (`source:`). */
export type Form = 'graph' | 'overlay';

/**
 * The form of a document, read from its text (which may be broken at the cursor): an overlay has a top-level
 * `source` key. When the text says neither clearly (JSON that does not parse), the last graph read from it decides.
 */
export function formOf(text: string, graph?: { readonly source?: unknown }): Form {
  if (/^\s*\{/.test(text)) {
    try {
      return isOverlayDocument(JSON.parse(text)) ? 'overlay' : 'graph';
    } catch {
      // A top-level key of a JSON document written one key a line, indented by at most 2.
      if (new RegExp(`^(\\{\\s*| {0,2})"${OVERLAY_KEY}"\\s*:`, 'm').test(text)) return 'overlay';
      return graph?.source !== undefined ? 'overlay' : 'graph';
    }
  }
  return new RegExp(`^["']?${OVERLAY_KEY}["']?[ \\t]*:`, 'm').test(text) ? 'overlay' : 'graph';
}

/** A place in a document: map keys from the root, with `*` for any key of a record and `-` for a list item. */
export type SchemaPath = readonly string[];

export interface KeyDoc {
  readonly key: string;
  /** The key's `.describe()` text, if any. */
  readonly doc?: string;
  readonly required: boolean;
  /** A short type: `string`, `integer`, `list of string`, `map`, `string or list`... */
  readonly type: string;
  /** For node keys when the kind is not known: the kinds that accept the key. */
  readonly kinds?: readonly string[];
}

export interface ValueDoc {
  readonly value: string;
  readonly doc?: string;
}

type Json = { [key: string]: unknown };

const roots: Partial<Record<Form, Json>> = {};
function schema(form: Form): Json {
  return (roots[form] ??= (form === 'overlay' ? overlayJsonSchema() : graphJsonSchema()) as Json);
}

const obj = (x: unknown): Json | undefined => (x && typeof x === 'object' && !Array.isArray(x) ? (x as Json) : undefined);

/** The alternatives of a schema (anyOf / oneOf), flattened; a plain schema is its own only alternative. */
function alternatives(s: Json | undefined): Json[] {
  if (!s) return [];
  const alts = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (!Array.isArray(alts)) return [s];
  return alts.flatMap((a) => alternatives(obj(a)));
}

interface ObjectSchema {
  readonly schema: Json;
  /** The node kind this alternative is for (`properties.kind.const`), if any. */
  readonly kind?: string;
}

/** Every schema that can sit at `path`, alternatives flattened. */
function schemasAt(path: SchemaPath, form: Form): Json[] {
  let current: Json[] = [schema(form)];
  for (const step of path) {
    const next: Json[] = [];
    for (const s of current.flatMap(alternatives)) {
      if (step === '-') {
        const items = obj(s.items);
        if (items) next.push(items);
        continue;
      }
      const props = obj(s.properties);
      const named = step !== '*' ? obj(props?.[step]) : undefined;
      if (named) next.push(named);
      else {
        const extra = obj(s.additionalProperties);
        if (extra) next.push(extra);
      }
    }
    current = next;
  }
  return current.flatMap(alternatives);
}

/** The object schemas that can sit at `path` (several for nodes, one per kind). */
function objectsAt(path: SchemaPath, form: Form): ObjectSchema[] {
  return schemasAt(path, form)
    .filter((s) => obj(s.properties))
    .map((s) => ({ schema: s, kind: obj(obj(obj(s.properties)?.kind))?.const as string | undefined }));
}

function describe(s: Json | undefined): string | undefined {
  if (!s) return undefined;
  if (typeof s.description === 'string') return s.description;
  for (const a of alternatives(s)) if (a !== s && typeof a.description === 'string') return a.description;
  return undefined;
}

function typeOf(s: Json | undefined): string {
  if (!s) return 'any';
  const alts = alternatives(s);
  if (alts.length > 1) return [...new Set(alts.map(typeOf))].join(' or ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (Array.isArray(s.enum)) return (s.enum as unknown[]).map((v) => JSON.stringify(v)).join(' | ');
  if (s.type === 'array') return `list of ${typeOf(obj(s.items))}`;
  if (s.type === 'object') return obj(s.properties) ? 'map' : `map of ${typeOf(obj(s.additionalProperties))}`;
  return Array.isArray(s.type) ? s.type.join(' or ') : String(s.type ?? 'any');
}

const cache = new Map<string, KeyDoc[]>();

/**
 * The keys a map at `path` may hold, in schema order. For a node map (`['nodes', '*']`) give its `kind` to get
 * only that kind's keys; without it, the keys of every kind, each with the kinds that accept it. In an overlay
 * (`form`), the keys the overlay form may hold: a node there has no kind, and no transitions.
 */
export function keysAt(path: SchemaPath, kind?: string, form: Form = 'graph'): readonly KeyDoc[] {
  const cacheKey = `${form}|${path.join('.')}|${kind ?? ''}`;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  let objects = objectsAt(path, form);
  if (kind !== undefined && objects.some((o) => o.kind === kind)) objects = objects.filter((o) => o.kind === kind);
  const byKey = new Map<string, { doc?: string; required: boolean; type: string; kinds: string[] }>();
  for (const o of objects) {
    const props = obj(o.schema.properties)!;
    const required = new Set((o.schema.required as string[] | undefined) ?? []);
    for (const [key, value] of Object.entries(props)) {
      const s = obj(value);
      const entry = byKey.get(key) ?? byKey.set(key, { doc: undefined, required: required.has(key), type: typeOf(s), kinds: [] }).get(key)!;
      // The `kind` key's own doc is per alternative (what that kind is); the key itself is documented here.
      entry.doc ??= key === 'kind' && o.kind !== undefined ? undefined : describe(s);
      if (o.kind !== undefined) entry.kinds.push(o.kind);
    }
  }
  const all = objects.filter((o) => o.kind !== undefined).length;
  const out: KeyDoc[] = [...byKey].map(([key, e]) => ({
    key,
    doc: key === 'kind' && all > 0 ? 'What the node is: ' + kindValues().map((k) => `\`${k.value}\``).join(', ') + '.' : e.doc,
    required: e.required,
    type: key === 'kind' && all > 0 ? 'string' : e.type,
    ...(all > 1 && e.kinds.length < all ? { kinds: e.kinds } : {}),
  }));
  cache.set(cacheKey, out);
  return out;
}

/** One key's documentation at `path`. */
export function keyDoc(path: SchemaPath, key: string, kind?: string, form: Form = 'graph'): KeyDoc | undefined {
  return keysAt(path, kind, form).find((k) => k.key === key);
}

/** The values a key accepts when they form a closed set (enums, literals): `kind`, `effect`, `retry: none`... */
export function valuesAt(path: SchemaPath, key: string, kind?: string, form: Form = 'graph'): readonly ValueDoc[] {
  if (form === 'graph' && path.length === 2 && path[0] === 'nodes' && key === 'kind') return kindValues();
  const out = new Map<string, ValueDoc>();
  let objects = objectsAt(path, form);
  if (kind !== undefined && objects.some((o) => o.kind === kind)) objects = objects.filter((o) => o.kind === kind);
  const schemas = objects.map((o) => obj(obj(o.schema.properties)?.[key])).filter((s): s is Json => s !== undefined);
  if (schemas.length === 0) schemas.push(...schemasAt([...path, key], form));
  for (const s of schemas) {
    for (const a of alternatives(s)) {
      const doc = describe(a) ?? describe(s);
      const items = a.type === 'array' ? alternatives(obj(a.items)) : [a];
      for (const i of items) {
        if (typeof i.const === 'string' || typeof i.const === 'number') out.set(String(i.const), { value: String(i.const), doc });
        if (Array.isArray(i.enum)) for (const v of i.enum as unknown[]) if (typeof v === 'string') out.set(v, { value: v, doc });
      }
    }
  }
  return [...out.values()];
}

/** The node kinds with what each is, from each alternative's `kind` literal. */
export function kindValues(): readonly ValueDoc[] {
  return objectsAt(['nodes', '*'], 'graph')
    .filter((o) => o.kind !== undefined)
    .map((o) => ({ value: o.kind!, doc: describe(obj(obj(o.schema.properties)?.kind)) }));
}
