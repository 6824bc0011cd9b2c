// Hover, go to definition, references, rename, the outline, workspace symbols and the cost lens and hints,
// over the examples (support-triage, and onboarding with its kyc subgraph for names shared across files).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Workspace } from '../../../server/src/analysis/workspace.ts';
import { diskHost } from '../../../server/src/node/diskHost.ts';
import { pathToUri } from '../../../server/src/core/uris.ts';
import { buildIndex, definition, outline, prepareRename, references, renameEdits, workspaceSymbols, type GraphSource } from '../../../server/src/features/symbols.ts';
import { hoverAt } from '../../../server/src/features/hover.ts';
import { costInlayHints, costLens } from '../../../server/src/features/costHints.ts';
import { applyEdits, isPlainString, stringAt, stringItemsAt } from '../../../server/src/frontends/yaml/textEdits.ts';
import { codes } from '../../support/lint.ts';

const TRIAGE = pathToUri(resolve('examples/support-triage.agentgraph.yaml'));
const ONBOARDING = pathToUri(resolve('examples/handoff/onboarding.agentgraph.yaml'));
const KYC = pathToUri(resolve('examples/handoff/kyc.agentgraph.yaml'));

function setup(overrides: Record<string, string> = {}) {
  const ws = new Workspace({ read: (u) => overrides[u] ?? diskHost.read(u) });
  const full = (uri: string) => {
    const a = ws.analyze(uri);
    return { ...a, index: a.graph ? buildIndex(a.graph, a.text, { policyTools: stringItemsAt(a.text, ['policies', '*', 'tools']), defaultsOnError: stringAt(a.text, ['defaults', 'on_error']) }) : undefined };
  };
  const source: GraphSource = { get: (uri) => full(uri), parents: (uri) => ws.dependentsOf(uri) };
  return { ws, full, source };
}

/** The offset of the `nth` occurrence of `needle` in the text, plus `delta`. */
function offsetOf(text: string, needle: string, nth = 1, delta = 1): number {
  let i = -1;
  for (let k = 0; k < nth; k++) i = text.indexOf(needle, i + 1);
  assert.ok(i >= 0, `"${needle}" not found`);
  return i + delta;
}

test('hover on a node: kind, cost per visit and worst case, loop bound, failure, guaranteed state', () => {
  const { full } = setup();
  const a = full(TRIAGE);
  const h = hoverAt({ text: a.text, graph: a.graph, queries: a.queries, worstCase: a.worstCase, index: a.index }, offsetOf(a.text, '  review:', 1, 3))!;
  assert.match(h.markdown, /^\*\*review\*\* · llm node/);
  assert.match(h.markdown, /\*\*Cost per visit\*\*: \$0\.0198 · 4,200 tokens \(worst case, 3 attempts\)/);
  assert.match(h.markdown, /\*\*Worst case per run\*\*: \$0\.0594 · 12,600 tokens \(3 visits\), on the most expensive path/);
  assert.match(h.markdown, /\*\*Loop\*\*: `draft`, `review`; bounded here: max_visits 3, then → `escalate`/);
  assert.match(h.markdown, /\*\*Can fail\*\*: 3 attempts, exponential \(from defaults\); then → `holding_reply` \(the graph's on_error\)/);
  assert.match(h.markdown, /\*\*Guaranteed state here\*\*: `ticket`, `category`, `answer`/);
  assert.equal(a.text.slice(h.range.start, h.range.end), 'review');
  // The same node where it is referred to.
  const ref = hoverAt({ text: a.text, graph: a.graph, queries: a.queries, worstCase: a.worstCase, index: a.index }, offsetOf(a.text, 'next: review', 1, 7))!;
  assert.match(ref.markdown, /^\*\*review\*\*/);
});

test('hover on a model and a tool: prices, limits, the nodes that use it', () => {
  const { full } = setup();
  const a = full(TRIAGE);
  const input = { text: a.text, graph: a.graph, queries: a.queries, worstCase: a.worstCase, index: a.index };
  const model = hoverAt(input, offsetOf(a.text, '  smart:', 1, 3))!.markdown;
  assert.match(model, /\*\*smart\*\* · model · anthropic claude-sonnet-4-5/);
  assert.match(model, /\$3 in, \$15 out per million tokens/);
  assert.match(model, /\*\*Used by\*\*: `draft`, `review` · up to \$/);
  assert.match(model, /`pii`/);
  const tool = hoverAt(input, offsetOf(a.text, 'tool: issue_refund', 1, 7))!.markdown;
  assert.match(tool, /\*\*issue_refund\*\* · tool · effect write · not idempotent/);
  assert.match(tool, /timeout 10 s · rate limit 1\/s/);
  assert.match(tool, /\*\*Used by\*\*: `refund`/);
  assert.match(tool, /\*\*Policies\*\*: `refunds-need-approval`/);
  const key = hoverAt(input, offsetOf(a.text, 'max_visits: 3', 1, 3))!;
  assert.match(key.markdown, /\*\*max_visits\*\*: integer\n\nLoop guard/);
  const state = hoverAt(input, offsetOf(a.text, 'reads: [answer]', 1, 9))!.markdown;
  assert.match(state, /\*\*answer\*\* · state key · string/);
  assert.match(state, /\*\*Written by\*\*: `draft`/);
  assert.match(state, /\*\*Data classes\*\*: `pii`/, 'pii flows from order into answer');
});

test('go to definition: a target, a model, a state key, a subgraph file', () => {
  const { full, source } = setup();
  const a = full(TRIAGE);
  const def = (needle: string, delta: number) => definition(source, TRIAGE, a.index!, offsetOf(a.text, needle, 1, delta));
  assert.equal(a.text.slice(def('next: review', 7)[0].range.start).split('\n')[0], 'review:');
  assert.equal(a.text.slice(def('model: smart', 8)[0].range.start).split(':')[0], 'smart');
  assert.deepEqual(def('next: END', 7), [], 'END is no symbol');
  const o = full(ONBOARDING);
  const file = definition(source, ONBOARDING, o.index!, offsetOf(o.text, './kyc', 1, 3));
  assert.deepEqual(file, [{ uri: KYC, range: { start: 0, end: 0 } }]);
  // A key passed to a subgraph that takes it as input: defined in both files.
  const customer = definition(source, ONBOARDING, o.index!, offsetOf(o.text, 'passes: [customer]', 1, 10));
  assert.deepEqual(customer.map((p) => p.uri), [ONBOARDING, KYC]);
});

test('references of a node: every transition, entry and recovery edge that names it', () => {
  const { full, source } = setup();
  const a = full(TRIAGE);
  const refs = references(source, TRIAGE, a.index!, offsetOf(a.text, '  escalate:', 1, 3));
  const lines = refs.map((r) => a.lines.position(r.range.start).line + 1);
  // Classify's route "other", review's on_exhausted, refund's on_error, the definition.
  assert.equal(refs.length, 4, lines.join(','));
  assert.ok(refs.every((r) => a.text.slice(r.range.start, r.range.end) === 'escalate'));
  const tool = references(source, TRIAGE, a.index!, offsetOf(a.text, 'tool: issue_refund', 1, 7));
  assert.equal(tool.length, 3, 'definition, node, policy');
});

test('rename a node id: every transition in the file, and the result lints the same', () => {
  const { full, source } = setup();
  const a = full(TRIAGE);
  const at = offsetOf(a.text, 'revise: draft', 1, 9);
  assert.deepEqual(prepareRename(a.index!, at), { range: { start: at - 1, end: at + 4 }, placeholder: 'draft', kind: 'node' });
  const r = renameEdits(source, TRIAGE, a.index!, at, 'compose', isPlainString);
  assert.ok('edits' in r);
  const edits = r.edits.get(TRIAGE)!;
  assert.equal(edits.length, 4, "the definition, classify's technical route, lookup's next, review's revise route");
  const after = applyEdits(a.text, edits);
  assert.ok(!/\bdraft\b(?!ed)/.test(after.replace(/#.*$/gm, '')), after);
  const { full: fullAfter } = setup({ [TRIAGE]: after });
  assert.deepEqual(codes(fullAfter(TRIAGE).diagnostics), codes(a.diagnostics));
});

test('rename checks the new name: the id pattern, END, names that YAML reads as other types, collisions', () => {
  const { full, source } = setup();
  const a = full(TRIAGE);
  const at = offsetOf(a.text, '  draft:', 1, 3);
  const err = (name: string) => {
    const r = renameEdits(source, TRIAGE, a.index!, at, name, isPlainString);
    return 'error' in r ? r.error : '';
  };
  assert.match(err('END'), /END is reserved/);
  assert.match(err('Draft Two'), /not a valid node id/);
  assert.match(err('review'), /already exists/);
  assert.match(err('123'), /read as a number/);
  assert.match(err('null'), /boolean or null/);
  const nothing = prepareRename(a.index!, offsetOf(a.text, 'agentgraph: 1', 1, 2));
  assert.ok('error' in nothing && /put the cursor on/.test(nothing.error));
});

test('rename a state key shared with a subgraph: both files change, nothing else', () => {
  const { full, source } = setup();
  const o = full(ONBOARDING);
  const r = renameEdits(source, ONBOARDING, o.index!, offsetOf(o.text, 'passes: [customer]', 1, 10), 'client', isPlainString);
  assert.ok('edits' in r, 'error' in r ? r.error : '');
  assert.deepEqual([...r.edits.keys()].sort(), [KYC, ONBOARDING].sort());
  const kycAfter = applyEdits(readFileSync(resolve('examples/handoff/kyc.agentgraph.yaml'), 'utf8'), r.edits.get(KYC)!);
  const onbAfter = applyEdits(o.text, r.edits.get(ONBOARDING)!);
  assert.match(kycAfter, /  client: +\{ type: object, input: true/);
  assert.match(onbAfter, /passes: \[client\]/);
  const { full: fullAfter } = setup({ [KYC]: kycAfter, [ONBOARDING]: onbAfter });
  assert.deepEqual(codes(fullAfter(ONBOARDING).diagnostics), codes(o.diagnostics), 'the contract still holds');
  // From the subgraph's side, the parent is found once it is known to refer to it.
  const { ws, full: f2, source: s2 } = setup();
  ws.analyze(ONBOARDING);
  const k = f2(KYC);
  const up = renameEdits(s2, KYC, k.index!, offsetOf(k.text, '  customer:', 1, 3), 'client', isPlainString);
  assert.ok('edits' in up && up.edits.has(ONBOARDING));
  // A node id is never shared: renaming kyc's "score" stays in kyc.
  const node = renameEdits(s2, KYC, k.index!, offsetOf(k.text, '  score:', 1, 3), 'rate', isPlainString);
  assert.ok('edits' in node && [...node.edits.keys()].join() === KYC);
});

test('the outline: sections with their nodes, models, tools and state keys; workspace symbols', () => {
  const { full } = setup();
  const a = full(TRIAGE);
  const o = outline(a.graph!, a.text);
  assert.deepEqual(o.map((s) => s.name), ['state', 'models', 'tools', 'budget', 'defaults', 'nodes', 'success', 'tracing', 'policies']);
  const nodes = o.find((s) => s.name === 'nodes')!;
  assert.deepEqual(nodes.children!.map((n) => `${n.name}:${n.detail}`), ['classify:llm', 'lookup:tool', 'draft:llm', 'review:llm', 'refund:tool', 'escalate:handoff', 'holding_reply:function']);
  for (const s of o) for (const c of s.children ?? []) assert.ok(c.range.start >= s.range.start && c.range.end <= s.range.end && c.selectionRange.start >= c.range.start, `${c.name} is outside ${s.name}`);
  assert.deepEqual(o.find((s) => s.name === 'models')!.children!.map((m) => m.name), ['fast', 'smart']);
  assert.deepEqual(workspaceSymbols(a.graph!, 'rvw').map((s) => `${s.container}/${s.name}`), ['support-triage/review']);
  assert.equal(workspaceSymbols(a.graph!, '').length, 7 + 2 + 2);
});

test('the cost lens and the inlay hints of llm nodes', () => {
  const { full } = setup();
  const a = full(TRIAGE);
  const lens = costLens(a.graph, a.worstCase)!;
  assert.match(lens.title, /^Worst case per run: \$0\.\d+ · [\d,]+ tokens \(budget \$0\.40\)$/);
  assert.match(lens.tooltip, /classify -> .*review x3/);
  const hints = costInlayHints(a.graph, a.worstCase, a.text);
  assert.deepEqual(hints.map((h) => a.text.slice(a.text.lastIndexOf('\n', h.offset - 1) + 1, h.offset).trim()), ['classify:', 'draft:', 'review:']);
  assert.match(hints[2].label, /^≤ \$0\.0594\/run \(3 × \$0\.0198\)$/);
  const research = full(pathToUri(resolve('examples/research-agent.agentgraph.yaml')));
  assert.match(costLens(research.graph, research.worstCase)!.title, /^Worst case per run: unbounded/);
});

test('rename in JSON keeps the quotes; a read marked optional keeps its ?', () => {
  const text = JSON.stringify({ agentgraph: 1, name: 'j', entry: 'a', state: { k: 'string' }, nodes: { a: { kind: 'function', writes: ['k'], next: 'b' }, b: { kind: 'function', reads: ['k?'], next: 'END' } } }, null, 2);
  const uri = pathToUri(resolve('test/fixtures/inline.agentgraph.json'));
  const { full, source } = setup({ [uri]: text });
  const a = full(uri);
  const node = renameEdits(source, uri, a.index!, offsetOf(a.text, '"next": "b"', 1, 10), 'second', isPlainString);
  assert.ok('edits' in node);
  const after = applyEdits(text, node.edits.get(uri)!);
  assert.match(after, /"second": \{/);
  assert.match(after, /"next": "second"/);
  const key = renameEdits(source, uri, a.index!, offsetOf(a.text, '"k?"', 1, 1), 'key', isPlainString);
  assert.ok('edits' in key);
  const k = applyEdits(text, key.edits.get(uri)!);
  assert.match(k, /"reads": \[\n\s*"key\?"/);
  assert.match(k, /"key": "string"/);
});
