// The outline over the protocol: VS Code rejects the whole answer of textDocument/documentSymbol ("No symbols
// found", an error in its log) when one symbol's selectionRange is not inside its range, so every symbol of
// every example and fixture graph must nest properly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspTestClient } from '../support/lspClient.ts';

type Pos = { line: number; character: number };
type Range = { start: Pos; end: Pos };
type Symbol = { name: string; range: Range; selectionRange: Range; children?: Symbol[] };

const before_ = (a: Pos, b: Pos) => a.line < b.line || (a.line === b.line && a.character <= b.character);
const inside = (inner: Range, outer: Range) => before_(outer.start, inner.start) && before_(inner.end, outer.end);

function graphFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) graphFiles(p, out);
    else if (/\.agentgraph\.(ya?ml|json)$/.test(name)) out.push(p);
  }
  return out;
}

let client: LspTestClient;
before(async () => {
  client = new LspTestClient();
  await client.initialize(pathToFileURL(resolve('.')).toString());
});
after(() => client.shutdown());

test('every symbol of the outline has its selectionRange inside its range, and each child inside its parent, in every example and fixture', async () => {
  const files = [...graphFiles('examples'), ...graphFiles('test/fixtures')];
  assert.ok(files.length > 50, `only ${files.length} graph files found`);
  const problems: string[] = [];
  let flagship = 0;
  for (const f of files) {
    const uri = pathToFileURL(resolve(f)).toString();
    await client.open(uri, readFileSync(f, 'utf8'));
    const symbols = (await client.request<Symbol[] | null>('textDocument/documentSymbol', { textDocument: { uri } })) ?? [];
    const walk = (s: Symbol, parent?: Symbol) => {
      if (!inside(s.selectionRange, s.range)) problems.push(`${f}: ${s.name}: selectionRange ${JSON.stringify(s.selectionRange)} outside range ${JSON.stringify(s.range)}`);
      if (parent && !inside(s.range, parent.range)) problems.push(`${f}: ${s.name}: range outside its parent ${parent.name}`);
      for (const c of s.children ?? []) walk(c, s);
    };
    for (const s of symbols) walk(s);
    if (f.endsWith('support-triage.agentgraph.yaml')) flagship = symbols.flatMap((s) => [s, ...(s.children ?? [])]).length;
    await client.close(uri);
  }
  assert.deepEqual(problems, []);
  assert.ok(flagship > 20, `the flagship example's outline has only ${flagship} symbols`);
});
