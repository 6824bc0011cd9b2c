// Editor intelligence over the protocol: the bundled server on stdio answers completion, hover, definition,
// references, rename, document and workspace symbols, code actions, code lenses and inlay hints, as an editor
// would ask for them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspTestClient, type PublishedDiagnostics } from '../support/lspClient.ts';

type Pos = { line: number; character: number };
type Range = { start: Pos; end: Pos };
type TextEdit = { range: Range; newText: string };

let client: LspTestClient;
let dir: string;
const uriOf = (name: string) => pathToFileURL(join(dir, name)).toString();
const TRIAGE = readFileSync('examples/support-triage.agentgraph.yaml', 'utf8');
const RESEARCH = readFileSync('examples/research-agent.agentgraph.yaml', 'utf8');

/** Applies LSP text edits to a text. */
function apply(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: Pos) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start)).reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

/** Opens a document and waits for its first diagnostics. */
async function openDoc(name: string, text: string): Promise<{ uri: string; published: PublishedDiagnostics }> {
  const uri = uriOf(name);
  const published = client.next(uri);
  await client.open(uri, text);
  return { uri, published: await published };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'agentgraph-intel-'));
  for (const f of ['onboarding', 'kyc']) copyFileSync(`examples/handoff/${f}.agentgraph.yaml`, join(dir, `${f}.agentgraph.yaml`));
  writeFileSync(join(dir, 'research.agentgraph.yaml'), RESEARCH);
  client = new LspTestClient(dir);
  client.workspaceFolders = [{ uri: pathToFileURL(dir).toString(), name: 'ws' }];
  const init = (await client.initialize(pathToFileURL(dir).toString())) as { capabilities: Record<string, unknown> };
  for (const cap of ['completionProvider', 'hoverProvider', 'definitionProvider', 'referencesProvider', 'renameProvider', 'documentSymbolProvider', 'workspaceSymbolProvider', 'codeActionProvider', 'codeLensProvider', 'inlayHintProvider']) {
    assert.ok(init.capabilities[cap], `the server does not announce ${cap}`);
  }
});

after(async () => {
  await client.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

test('completion offers node ids after next:, also while the document is broken at the cursor', async () => {
  const { uri } = await openDoc('triage.agentgraph.yaml', TRIAGE);
  const marked = TRIAGE.replace('    next: review\n', '    next: |\n');
  const version = 2;
  const published = client.next(uri, (p) => p.version === version);
  await client.change(uri, version, [{ text: marked.replace('|', '') }]);
  await published;
  const list = await client.requestAt<{ items: { label: string; textEdit: TextEdit; kind: number }[] }>('textDocument/completion', uri, marked);
  assert.deepEqual(list.items.map((i) => i.label), ['classify', 'lookup', 'draft', 'review', 'refund', 'escalate', 'holding_reply', 'END']);
  // A long list stays small: the documentation of a node comes when the editor shows the item.
  const resolved = await client.request<{ documentation?: { value: string } }>('completionItem/resolve', list.items[3]);
  assert.match(resolved.documentation!.value, /\*\*llm\*\* node · model `smart`/);
  // Broken YAML right at the cursor: an unclosed list. Names come from the last good analysis.
  const broken = TRIAGE.replace('    reads: [answer]', '    reads: [answer, |');
  const p3 = client.next(uri, (p) => p.version === 3);
  await client.change(uri, 3, [{ text: broken.replace('|', '') }]);
  assert.equal((await p3).diagnostics[0].code, 'AG001');
  const keys = await client.requestAt<{ items: { label: string }[] }>('textDocument/completion', uri, broken);
  assert.deepEqual(keys.items.map((i) => i.label), ['ticket', 'category', 'order', 'answer']);
  // A key with its documentation and a snippet, and the retrigger command after a target key.
  const keyPlace = TRIAGE.replace('  refund:\n    kind: tool\n', '  refund:\n    kind: tool\n    |\n');
  const p4 = client.next(uri, (p) => p.version === 4);
  await client.change(uri, 4, [{ text: keyPlace.replace('|', '') }]);
  await p4;
  const k = await client.requestAt<{ items: { label: string; documentation?: { value: string }; insertTextFormat?: number; command?: { command: string } }[] }>('textDocument/completion', uri, keyPlace);
  const onExhausted = k.items.find((i) => i.label === 'on_exhausted')!;
  assert.match(onExhausted.documentation!.value, /max_visits is reached/);
  assert.equal(onExhausted.command?.command, 'editor.action.triggerSuggest');
  assert.equal(k.items.find((i) => i.label === 'reads')!.insertTextFormat, 2, 'a snippet');
  // A space typed in prose does not open the list.
  const prose = await client.request<unknown[]>('textDocument/completion', { textDocument: { uri }, position: { line: 2, character: 20 }, context: { triggerKind: 2, triggerCharacter: ' ' } });
  assert.deepEqual(prose, []);
  const p5 = client.next(uri, (p) => p.version === 5);
  await client.change(uri, 5, [{ text: TRIAGE }]);
  await p5;
});

test('hover on a node, a model and a key of the format', async () => {
  const uri = uriOf('triage.agentgraph.yaml');
  const hover = (marked: string) => client.requestAt<{ contents: { kind: string; value: string }; range: Range } | null>('textDocument/hover', uri, marked);
  const node = await hover(TRIAGE.replace('  review:\n', '  re|view:\n'));
  assert.equal(node!.contents.kind, 'markdown');
  assert.match(node!.contents.value, /\*\*review\*\* · llm node/);
  assert.match(node!.contents.value, /\*\*Worst case per run\*\*: \$0\.0594/);
  assert.match(node!.contents.value, /bounded here: max_visits 3/);
  const model = await hover(TRIAGE.replace('  smart: {', '  sm|art: {'));
  assert.match(model!.contents.value, /\$3 in, \$15 out per million tokens/);
  const key = await hover(TRIAGE.replace('    max_visits: 3', '    max_vi|sits: 3'));
  assert.match(key!.contents.value, /Loop guard/);
  assert.equal(await hover(TRIAGE.replace('# the keys', '# the k|eys')), null);
});

test('go to definition, references and highlights of a node id', async () => {
  const uri = uriOf('triage.agentgraph.yaml');
  const defs = await client.requestAt<{ uri: string; range: Range }[]>('textDocument/definition', uri, TRIAGE.replace('next: review', 'next: rev|iew'));
  const reviewLine = TRIAGE.split('\n').indexOf('  review:');
  assert.deepEqual(defs, [{ uri, range: { start: { line: reviewLine, character: 2 }, end: { line: reviewLine, character: 8 } } }]);
  const refs = await client.requestAt<{ uri: string }[]>('textDocument/references', uri, TRIAGE.replace('  escalate:', '  esc|alate:'), { context: { includeDeclaration: true } });
  // Its declaration, classify's route, review's on_exhausted and refund's on_error.
  assert.equal(refs.length, 4);
  const withoutDecl = await client.requestAt<unknown[]>('textDocument/references', uri, TRIAGE.replace('  escalate:', '  esc|alate:'), { context: { includeDeclaration: false } });
  assert.equal(withoutDecl.length, 3);
  const highlights = await client.requestAt<{ kind: number }[]>('textDocument/documentHighlight', uri, TRIAGE.replace('  escalate:', '  esc|alate:'));
  assert.equal(highlights.length, 4);
  // A subgraph file path leads to the file.
  const onboarding = uriOf('onboarding.agentgraph.yaml');
  const text = readFileSync(join(dir, 'onboarding.agentgraph.yaml'), 'utf8');
  await openDoc('onboarding.agentgraph.yaml', text);
  const file = await client.requestAt<{ uri: string }[]>('textDocument/definition', onboarding, text.replace('./kyc', './k|yc'));
  assert.equal(file[0].uri, uriOf('kyc.agentgraph.yaml'));
});

test('rename a node id updates every transition; a bad name is refused with the reason', async () => {
  const uri = uriOf('triage.agentgraph.yaml');
  const marked = TRIAGE.replace('revise: draft', 'revise: dr|aft');
  const prepared = await client.requestAt<{ placeholder: string }>('textDocument/prepareRename', uri, marked);
  assert.equal(prepared.placeholder, 'draft');
  const edit = await client.requestAt<{ changes: Record<string, TextEdit[]> }>('textDocument/rename', uri, marked, { newName: 'compose' });
  assert.deepEqual(Object.keys(edit.changes), [uri]);
  const renamed = apply(TRIAGE, edit.changes[uri]);
  assert.equal((renamed.match(/\bcompose\b/g) ?? []).length, 4);
  await assert.rejects(client.requestAt('textDocument/rename', uri, marked, { newName: 'END' }), /END is reserved/);
  await assert.rejects(client.requestAt('textDocument/rename', uri, marked, { newName: 'Not Valid' }), /not a valid node id/);
  await assert.rejects(client.requestAt('textDocument/prepareRename', uri, TRIAGE.replace('agentgraph: 1', 'agent|graph: 1')), /put the cursor on/);
});

test('rename a state key passed to a subgraph renames it in both files', async () => {
  const onboarding = uriOf('onboarding.agentgraph.yaml');
  const text = readFileSync(join(dir, 'onboarding.agentgraph.yaml'), 'utf8');
  const edit = await client.requestAt<{ changes: Record<string, TextEdit[]> }>('textDocument/rename', onboarding, text.replace('passes: [customer]', 'passes: [cust|omer]'), { newName: 'client' });
  assert.deepEqual(Object.keys(edit.changes).sort(), [uriOf('kyc.agentgraph.yaml'), onboarding].sort());
  assert.match(apply(readFileSync(join(dir, 'kyc.agentgraph.yaml'), 'utf8'), edit.changes[uriOf('kyc.agentgraph.yaml')]), /  client: +\{ type: object, input: true/);
});

test('document symbols (the outline) and workspace symbols', async () => {
  const uri = uriOf('triage.agentgraph.yaml');
  const symbols = await client.request<{ name: string; detail?: string; children?: { name: string; detail?: string }[] }[]>('textDocument/documentSymbol', { textDocument: { uri } });
  assert.deepEqual(symbols.map((s) => s.name), ['state', 'models', 'tools', 'budget', 'defaults', 'nodes', 'success', 'tracing', 'policies']);
  assert.deepEqual(symbols.find((s) => s.name === 'nodes')!.children!.map((c) => `${c.name} (${c.detail})`), ['classify (llm)', 'lookup (tool)', 'draft (llm)', 'review (llm)', 'refund (tool)', 'escalate (handoff)', 'holding_reply (function)']);
  // Files on disk that are not open are found too (research.agentgraph.yaml, kyc.agentgraph.yaml).
  const ws = await client.request<{ name: string; containerName: string; location: { uri: string } }[]>('workspace/symbol', { query: 'crit' });
  assert.deepEqual(ws.map((s) => `${s.containerName}/${s.name}`), ['research-agent/critique']);
  const score = await client.request<{ name: string; location: { uri: string } }[]>('workspace/symbol', { query: 'score' });
  assert.ok(score.some((s) => s.name === 'score' && s.location.uri === uriOf('kyc.agentgraph.yaml')));
});

test('a quick fix removes the diagnostic it targets and leaves a valid file', async () => {
  let { uri, published } = await openDoc('research.agentgraph.yaml', RESEARCH);
  let text = RESEARCH;
  for (const code of ['AG201', 'AG205', 'AG302', 'AG301', 'AG101']) {
    const d = published.diagnostics.find((x) => x.code === code)!;
    assert.ok(d, `no ${code} in ${published.diagnostics.map((x) => x.code).join(' ')}`);
    const actions = await client.request<{ title: string; kind: string; isPreferred?: boolean; diagnostics: { code: string }[]; edit: { changes: Record<string, TextEdit[]> } }[]>('textDocument/codeAction', {
      textDocument: { uri }, range: d.range, context: { diagnostics: [d], only: ['quickfix'] },
    });
    const action = actions.find((a) => a.diagnostics[0].code === code && a.isPreferred);
    assert.ok(action, `no preferred fix for ${code}: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(action.kind, 'quickfix');
    text = apply(text, action.edit.changes[uri]);
    const version = (client.latest.get(uri)?.version ?? 1) + 1;
    const next = client.next(uri, (p) => p.version === version);
    await client.change(uri, version, [{ text }]);
    published = await next;
    const same = published.diagnostics.filter((x) => x.code === code && x.message === d.message);
    assert.deepEqual(same, [], `"${action.title}" did not remove ${code}`);
    assert.deepEqual(published.diagnostics.filter((x) => x.code === 'AG001'), [], `"${action.title}" broke the file:\n${text}`);
  }
  // Other kinds of action are not ours.
  const none = await client.request<unknown[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 200, character: 0 } }, context: { diagnostics: [], only: ['source.organizeImports'] } });
  assert.deepEqual(none, []);
});

test('code lens: the worst-case cost per run against the budget', async () => {
  const uri = uriOf('triage.agentgraph.yaml');
  const lenses = await client.request<{ range: Range; command: { title: string } }[]>('textDocument/codeLens', { textDocument: { uri } });
  const cost = lenses.find((l) => l.command.title.startsWith('Worst case per run'));
  assert.ok(cost, lenses.map((l) => l.command.title).join(' | '));
  assert.match(cost.command.title, /^Worst case per run: \$0\.\d+ · [\d,]+ tokens \(budget \$0\.40\)$/);
  assert.equal(cost.range.start.line, 0);
});

test('inlay hints with the worst-case cost of each llm node, switchable by setting', async () => {
  const uri = uriOf('triage.agentgraph.yaml');
  const range = { start: { line: 0, character: 0 }, end: { line: 500, character: 0 } };
  const hints = await client.request<{ position: Pos; label: string }[]>('textDocument/inlayHint', { textDocument: { uri }, range });
  const lines = TRIAGE.split('\n');
  assert.deepEqual(hints.map((h) => lines[h.position.line].trim()), ['classify:', 'draft:', 'review:']);
  assert.match(hints[2].label, /≤ \$0\.0594\/run \(3 × \$0\.0198\)/);
  client.settings = { inlayHints: { cost: false } };
  assert.deepEqual(await client.request('textDocument/inlayHint', { textDocument: { uri }, range }), []);
  // A settings change re-analyses the open files; the server then asks the editor to fetch the hints again.
  await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  client.settings = {};
  const deadline = Date.now() + 5000;
  while (!client.refreshes.includes('workspace/inlayHint/refresh') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.ok(client.refreshes.includes('workspace/inlayHint/refresh'));
});
