// Which parser engine reads LangGraph sources (Python now, TypeScript later): lezer (@lezer/python,
// @lezer/javascript) or tree-sitter (web-tree-sitter with VS Code's pinned grammar wasm). Run with
// `npm run bench:parsers`. Prints one table, with every tree-sitter figure also as a ratio against lezer run in
// the same process, and a verdict computed from the figures.
//   full parse     CPU ms of a from-scratch parse of the ~700-line fixture (median, p95 of 50 after warm-up)
//   reparse        a one-character insertion in the middle, reusing the previous tree (median)
//   load           importing the engine and, for tree-sitter, instantiating the runtime and grammar wasm
//                  (fresh `node` processes without tsx; median of 5)
//   recovery       one call's closing `)` deleted (the user is typing it): how many of the graph-building calls
//                  after it are still read exactly as written: call node, receiver, method name and a closed,
//                  error-free argument list with the original text. Once for `builder.add_node("plan", plan)` in
//                  the first third, then once for every graph-building call in the file in turn.
//   bundle         minified esbuild output of the engine's JS, plus the wasm files shipped beside it
//   5 MB           the Python fixture repeated (renamed) to 5 MB, parsed in a child process: time, heap, peak RSS
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { TreeFragment, type Tree as LezerTree, type SyntaxNode } from '@lezer/common';
import type { LRParser } from '@lezer/lr';
import { parser as python } from '@lezer/python';
import { parser as javascript } from '@lezer/javascript';
import { Parser, Language, Edit, type Node as TsNode, type Tree as TsTree } from 'web-tree-sitter';
import * as esbuild from 'esbuild';

// Engines are imported statically here; their load time is measured in fresh processes (loadTimes).
const root = join(__dirname, '..');
const fixtures = join(root, 'bench', 'fixtures');
const tsWasmDir = join(root, 'node_modules', '@vscode', 'tree-sitter-wasm', 'wasm');
const runtimeWasm = join(root, 'node_modules', 'web-tree-sitter', 'web-tree-sitter.wasm');

type Lang = 'python' | 'typescript';
const LANGS: Lang[] = ['python', 'typescript'];
const TARGETS: Record<Lang, Set<string>> = {
  python: new Set(['add_node', 'add_edge', 'add_conditional_edges']),
  typescript: new Set(['addNode', 'addEdge', 'addConditionalEdges']),
};
/** The call whose closing bracket is deleted for the headline recovery figure (first third of each fixture). */
const HEADLINE_BREAK: Record<Lang, string> = {
  python: 'builder.add_node("plan", plan)',
  typescript: 'builder.addNode("plan", plan)',
};

/** One graph-building call as an engine's tree presents it. */
interface CallInfo {
  name: string;
  nameFrom: number;
  argsFrom: number;
  argsTo: number;
  /** Leftmost expression of the receiver chain: `builder`, `new StateGraph(SupportState)`. */
  receiver: string;
  /** No error node among the callee's own children (object . property). */
  calleeClean: boolean;
  /** The argument list ends in a real `)` and holds no error or missing node. */
  argsClean: boolean;
}

/** A function definition (`def` / `function`) as an engine's tree presents it. */
interface DefInfo {
  name: string;
  nameFrom: number;
  /** Text of the return annotation (`Literal["a", "b"]`, `"a" | "b"`), '' when none. */
  returns: string;
  /** Parameter list and body present, no error node directly under the definition. */
  clean: boolean;
}

interface Engine {
  name: string;
  parse(lang: Lang, text: string): unknown;
  /** Reparse after replacing [from, to) of oldText with `insert`, reusing `old`. */
  reparse(lang: Lang, old: unknown, oldText: string, from: number, to: number, insert: string): unknown;
  calls(lang: Lang, tree: unknown, text: string): CallInfo[];
  defs(lang: Lang, tree: unknown, text: string): DefInfo[];
  errorCount(tree: unknown): number;
  firstError(tree: unknown): number;
  dump(tree: unknown): string;
  free(tree: unknown): void;
}

// ---------------------------------------------------------------------------------------------------------------
// Engines

async function lezerEngine(): Promise<Engine> {
  const parsers: Record<Lang, LRParser> = { python, typescript: javascript.configure({ dialect: 'ts' }) };
  const fragments = new WeakMap<LezerTree, readonly TreeFragment[]>();
  const CHAIN = new Set(['MemberExpression', 'CallExpression']);
  const hasError = (n: SyntaxNode): boolean => {
    let found = false;
    n.toTree().iterate({ enter: (c) => { if (c.type.isError) found = true; return !found; } });
    return found;
  };
  return {
    name: 'lezer',
    parse: (lang, text) => parsers[lang].parse(text),
    reparse(lang, old, oldText, from, to, insert) {
      const tree = old as LezerTree;
      const base = fragments.get(tree) ?? TreeFragment.addTree(tree);
      const changed = TreeFragment.applyChanges(base, [{ fromA: from, toA: to, fromB: from, toB: from + insert.length }]);
      const next = parsers[lang].parse(oldText.slice(0, from) + insert + oldText.slice(to), changed);
      fragments.set(next, TreeFragment.addTree(next, changed));
      return next;
    },
    calls(lang, t, text) {
      const out: CallInfo[] = [];
      (t as LezerTree).iterate({
        enter(ref) {
          if (ref.name !== 'CallExpression') return;
          const node = ref.node;
          const callee = node.firstChild;
          const args = node.getChild('ArgList');
          if (!callee || callee.name !== 'MemberExpression' || !args) return;
          const prop = callee.lastChild;
          if (!prop || prop.name !== 'PropertyName') return;
          const name = text.slice(prop.from, prop.to);
          if (!TARGETS[lang].has(name)) return;
          let r = callee.firstChild;
          while (r && CHAIN.has(r.name) && r.firstChild) r = r.firstChild;
          let calleeClean = true;
          for (let c = callee.firstChild; c; c = c.nextSibling) if (c.type.isError) calleeClean = false;
          out.push({
            name, nameFrom: prop.from, argsFrom: args.from, argsTo: args.to,
            receiver: r ? text.slice(r.from, r.to) : '',
            calleeClean,
            argsClean: args.lastChild?.name === ')' && !hasError(args),
          });
        },
      });
      return out;
    },
    defs(lang, t, text) {
      const out: DefInfo[] = [];
      const [defName, nameName, bodyName, retName] = lang === 'python'
        ? ['FunctionDefinition', 'VariableName', 'Body', 'TypeDef'] : ['FunctionDeclaration', 'VariableDefinition', 'Block', 'TypeAnnotation'];
      (t as LezerTree).iterate({
        enter(ref) {
          if (ref.name !== defName) return;
          const node = ref.node;
          const name = node.getChild(nameName);
          if (!name) return;
          const ret = node.getChild(retName);
          let clean = !!node.getChild('ParamList') && !!node.getChild(bodyName);
          for (let c = node.firstChild; c; c = c.nextSibling) if (c.type.isError) clean = false;
          out.push({ name: text.slice(name.from, name.to), nameFrom: name.from, returns: ret ? text.slice(ret.from, ret.to).replace(/^(->|:)\s*/, '') : '', clean });
        },
      });
      return out;
    },
    errorCount(t) {
      let n = 0;
      (t as LezerTree).iterate({ enter: (c) => { if (c.type.isError) n++; } });
      return n;
    },
    firstError(t) {
      let at = -1;
      (t as LezerTree).iterate({ enter: (c) => { if (at < 0 && c.type.isError) at = c.from; return at < 0; } });
      return at;
    },
    dump: (t) => (t as LezerTree).toString(),
    free() {},
  };
}

async function treeSitterEngine(): Promise<Engine & { abi: Record<string, number> }> {
  await Parser.init({ locateFile: () => runtimeWasm });
  const load = (file: string): Promise<Language> => Language.load(readFileSync(join(tsWasmDir, file)));
  const languages: Record<Lang, Language> = {
    python: await load('tree-sitter-python.wasm'),
    typescript: await load('tree-sitter-typescript.wasm'),
  };
  const tsx = await load('tree-sitter-tsx.wasm');
  const parsers = {} as Record<Lang, Parser>;
  for (const lang of LANGS) {
    parsers[lang] = new Parser();
    parsers[lang].setLanguage(languages[lang]);
  }
  const shape: Record<Lang, { call: string; member: string; prop: string; chain: Set<string> }> = {
    python: { call: 'call', member: 'attribute', prop: 'attribute', chain: new Set(['attribute', 'call']) },
    typescript: { call: 'call_expression', member: 'member_expression', prop: 'property', chain: new Set(['member_expression', 'call_expression']) },
  };
  const point = (text: string, index: number) => {
    const before = text.slice(0, index);
    const row = before.split('\n').length - 1;
    return { row, column: index - (before.lastIndexOf('\n') + 1) };
  };
  return {
    name: 'tree-sitter',
    abi: { python: languages.python.abiVersion, typescript: languages.typescript.abiVersion, tsx: tsx.abiVersion },
    parse: (lang, text) => parsers[lang].parse(text),
    reparse(lang, old, oldText, from, to, insert) {
      const newText = oldText.slice(0, from) + insert + oldText.slice(to);
      const edited = (old as TsTree).copy();
      edited.edit(new Edit({
        startIndex: from, oldEndIndex: to, newEndIndex: from + insert.length,
        startPosition: point(oldText, from), oldEndPosition: point(oldText, to), newEndPosition: point(newText, from + insert.length),
      }));
      const next = parsers[lang].parse(newText, edited);
      edited.delete();
      return next;
    },
    calls(lang, t, text) {
      const s = shape[lang];
      const out: CallInfo[] = [];
      for (const node of (t as TsTree).rootNode.descendantsOfType(s.call)) {
        const fn = node.childForFieldName('function');
        const args = node.childForFieldName('arguments');
        if (!fn || fn.type !== s.member || !args) continue;
        const prop = fn.childForFieldName(s.prop);
        if (!prop) continue;
        const name = text.slice(prop.startIndex, prop.endIndex);
        if (!TARGETS[lang].has(name)) continue;
        let r: TsNode | null = fn.child(0);
        while (r && s.chain.has(r.type) && r.child(0)) r = r.child(0);
        const close = args.lastChild;
        out.push({
          name, nameFrom: prop.startIndex, argsFrom: args.startIndex, argsTo: args.endIndex,
          receiver: r ? text.slice(r.startIndex, r.endIndex) : '',
          calleeClean: fn.children.every((c) => !c.isError && !c.isMissing),
          argsClean: !!close && close.type === ')' && !close.isMissing && !args.hasError,
        });
      }
      return out;
    },
    defs(lang, t, text) {
      const out: DefInfo[] = [];
      for (const node of (t as TsTree).rootNode.descendantsOfType(lang === 'python' ? 'function_definition' : 'function_declaration')) {
        const name = node.childForFieldName('name');
        if (!name) continue;
        const ret = node.childForFieldName('return_type');
        const clean = !!node.childForFieldName('parameters') && !!node.childForFieldName('body') &&
          node.children.every((c) => !c.isError && !c.isMissing);
        out.push({ name: text.slice(name.startIndex, name.endIndex), nameFrom: name.startIndex,
          returns: ret ? text.slice(ret.startIndex, ret.endIndex).replace(/^(->|:)\s*/, '') : '', clean });
      }
      return out;
    },
    errorCount(t) {
      const r = (t as TsTree).rootNode;
      let n = 0;
      const cursor = r.walk();
      let more = true;
      while (more) {
        if (cursor.nodeType === 'ERROR' || cursor.nodeIsMissing) n++;
        if (cursor.gotoFirstChild()) continue;
        while (!cursor.gotoNextSibling()) {
          if (!cursor.gotoParent()) { more = false; break; }
        }
      }
      cursor.delete();
      return n;
    },
    firstError(t) {
      const r = (t as TsTree).rootNode;
      if (!r.hasError) return -1;
      let n: TsNode | null = r;
      while (n && !(n.isError || n.isMissing)) n = n.children.find((c) => c.hasError || c.isError || c.isMissing) ?? null;
      return n ? n.startIndex : -1;
    },
    dump: (t) => (t as TsTree).rootNode.toString(),
    free: (t) => (t as TsTree).delete(),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Measurement helpers

function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))];
}
function repeat(warmup: number, runs: number, fn: () => void): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) out.push(cpuMs(fn));
  return out;
}
const fmt = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '—');
const kb = (bytes: number) => bytes / 1024;

/** The closing `)` of `snippet`'s first occurrence. */
function breakPoint(text: string, snippet: string): number {
  const at = text.indexOf(snippet);
  if (at < 0) throw new Error(`fixture lacks ${snippet}`);
  return at + snippet.length - 1;
}

interface Recovery { kept: number; loose: number; of: number; lostLines: number[]; defsKept: number; defsOf: number; lostDefs: string[] }

/** Delete the character at `pos` (a call's `)`) and count the graph-building calls after it still read as written. */
function recovery(engine: Engine, lang: Lang, text: string, pos: number, before: CallInfo[], defsBefore: DefInfo[]): Recovery {
  const broken = text.slice(0, pos) + text.slice(pos + 1);
  const tree = engine.parse(lang, broken);
  const after = engine.calls(lang, tree, broken);
  const defsAfter = new Map(engine.defs(lang, tree, broken).map((d) => [d.nameFrom, d]));
  engine.free(tree);
  let defsKept = 0;
  const lostDefs: string[] = [];
  const laterDefs = defsBefore.filter((d) => d.nameFrom > pos);
  for (const d of laterDefs) {
    const b = defsAfter.get(d.nameFrom - 1);
    if (b && b.name === d.name && b.clean && b.returns === d.returns) defsKept++;
    else lostDefs.push(d.name);
  }
  const byName = new Map(after.map((c) => [c.nameFrom, c]));
  const later = before.filter((c) => c.nameFrom > pos);
  let kept = 0;
  let loose = 0;
  const lostLines: number[] = [];
  for (const c of later) {
    const b = byName.get(c.nameFrom - 1);
    if (b && b.name === c.name) loose++;
    const exact = b && b.name === c.name && b.calleeClean && b.argsClean && b.receiver === c.receiver &&
      b.argsFrom === c.argsFrom - 1 && b.argsTo === c.argsTo - 1;
    if (exact) kept++;
    else lostLines.push(text.slice(0, c.nameFrom).split('\n').length);
  }
  return { kept, loose, of: later.length, lostLines, defsKept, defsOf: laterDefs.length, lostDefs };
}

function lineRanges(unsorted: number[]): string {
  const lines = [...unsorted].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] - lines[j] <= 3) j++;
    out.push(i === j ? `${lines[i]}` : `${lines[i]}–${lines[j]}`);
    i = j;
  }
  return out.join(', ');
}

// ---------------------------------------------------------------------------------------------------------------
// The 5 MB module (parsed in a child process so that its peak memory is its own)

function bigPython(): { text: string; copies: number } {
  const base = readFileSync(join(fixtures, 'agents.py'), 'utf8');
  const names = [...new Set([...base.matchAll(/^(?:def|class) (\w+)|^(\w+) = /gm)].map((m) => m[1] ?? m[2]))];
  const re = new RegExp(`\\b(${names.join('|')})\\b`, 'g');
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < 5 * 1024 * 1024; i++) {
    const copy = base.replace(re, `$1_${i}`);
    parts.push(copy);
    size += copy.length;
  }
  return { text: parts.join('\n\n'), copies: parts.length };
}

async function bigChild(which: string): Promise<void> {
  const engine = which === 'lezer' ? await lezerEngine() : await treeSitterEngine();
  const { text, copies } = bigPython();
  const expected = (readFileSync(join(fixtures, 'agents.py'), 'utf8').match(/\.(add_node|add_edge|add_conditional_edges)\(/g) ?? []).length * copies;
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
  gc();
  const m0 = process.memoryUsage();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const tree = engine.parse('python', text);
  const c = process.cpuUsage(c0);
  const wall = performance.now() - t0;
  gc();
  const m1 = process.memoryUsage();
  const calls = engine.calls('python', tree, text).length;
  const errors = engine.errorCount(tree);
  const firstError = engine.firstError(tree);
  process.stdout.write(JSON.stringify({
    bytes: text.length,
    lines: text.split('\n').length,
    cpuMs: (c.user + c.system) / 1000,
    wallMs: wall,
    // lezer keeps most of a tree in typed arrays (arrayBuffers); tree-sitter's tree is in wasm linear memory,
    // which neither figure shows, so peak RSS is the comparable one.
    heapMB: (m1.heapUsed + m1.arrayBuffers - m0.heapUsed - m0.arrayBuffers) / 2 ** 20,
    firstError,
    peakRssMB: (process.resourceUsage().maxRSS * 1024 - m0.rss) / 2 ** 20,
    calls,
    expected,
    copies,
    errors,
  }));
  engine.free(tree);
}

// ---------------------------------------------------------------------------------------------------------------
// Load time and bundle weight

function loadTimes(which: 'lezer' | 'tree-sitter'): number[] {
  const script = which === 'lezer'
    ? `const t=performance.now();await import('@lezer/common');await import('@lezer/lr');const {parser:p}=await import('@lezer/python');` +
      `const {parser:j}=await import('@lezer/javascript');j.configure({dialect:'ts'});console.log(performance.now()-t);`
    : `const t=performance.now();const {Parser,Language}=await import('web-tree-sitter');await Parser.init();` +
      `for (const l of ['python','typescript','tsx']) await Language.load(${JSON.stringify(tsWasmDir)}+'/tree-sitter-'+l+'.wasm');` +
      `console.log(performance.now()-t);`;
  const out: number[] = [];
  for (let i = 0; i < 5; i++) {
    out.push(Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' }).trim()));
  }
  return out;
}

async function bundleWeight(): Promise<Record<'lezer' | 'tree-sitter', { js: number; wasm: number; gz: number; parts: string }>> {
  const bundle = async (contents: string) => {
    const r = await esbuild.build({
      stdin: { contents, resolveDir: root, loader: 'js' }, bundle: true, platform: 'node', target: 'node20',
      format: 'cjs', minify: true, write: false, logLevel: 'silent',
    });
    return r.outputFiles[0].contents;
  };
  const lezerJs = await bundle(`import {parser as p} from '@lezer/python'; import {parser as j} from '@lezer/javascript';
    import {TreeFragment} from '@lezer/common'; globalThis.x = [p, j.configure({dialect:'ts'}), TreeFragment];`);
  const tsJs = await bundle(`import {Parser, Language, Edit} from 'web-tree-sitter'; globalThis.x = [Parser, Language, Edit];`);
  const wasm = [runtimeWasm, ...['python', 'typescript', 'tsx'].map((l) => join(tsWasmDir, `tree-sitter-${l}.wasm`))];
  const wasmBytes = wasm.map((f) => readFileSync(f));
  return {
    lezer: { js: lezerJs.length, wasm: 0, gz: gzipSync(lezerJs).length, parts: 'python+javascript+lr+common (+highlight, their dependency)' },
    'tree-sitter': {
      js: tsJs.length,
      wasm: wasmBytes.reduce((a, b) => a + b.length, 0),
      gz: gzipSync(tsJs).length + wasmBytes.reduce((a, b) => a + gzipSync(b).length, 0),
      parts: wasm.map((f, i) => `${f.split('/').pop()} ${fmt(kb(statSync(f).size), 0)}`).join(', ') + ` (${wasmBytes.length} wasm)`,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------

interface LangFigures {
  full: number[];
  reparse: number[];
  incrementalMatches: boolean;
  cleanErrors: number;
  calls: number;
  headline: Recovery;
  all: { kept: number; of: number; breaks: number; worst: number; defsKept: number; defsOf: number; worstDefs: number };
  defs: number;
  detail: string[];
}

async function measure(engine: Engine, lang: Lang, text: string): Promise<LangFigures> {
  const full = repeat(20, 50, () => engine.free(engine.parse(lang, text)));
  const base = engine.parse(lang, text);
  // One character typed into a string in the middle of the file.
  const mid = text.indexOf('"', Math.floor(text.length / 2)) + 1;
  const reparse = repeat(20, 50, () => engine.free(engine.reparse(lang, base, text, mid, mid, 'x')));
  const inc = engine.reparse(lang, base, text, mid, mid, 'x');
  const fresh = engine.parse(lang, text.slice(0, mid) + 'x' + text.slice(mid));
  const incrementalMatches = engine.dump(inc) === engine.dump(fresh);
  engine.free(inc);
  engine.free(fresh);
  const calls = engine.calls(lang, base, text).sort((a, b) => a.nameFrom - b.nameFrom);
  const defs = engine.defs(lang, base, text);
  const cleanErrors = engine.errorCount(base);
  engine.free(base);
  const headline = recovery(engine, lang, text, breakPoint(text, HEADLINE_BREAK[lang]), calls, defs);
  let kept = 0;
  let of = 0;
  let worst = 1;
  let defsKept = 0;
  let defsOf = 0;
  let worstDefs = 1;
  const detail: string[] = [];
  for (const c of calls) {
    const r = recovery(engine, lang, text, c.argsTo - 1, calls, defs);
    kept += r.kept;
    of += r.of;
    defsKept += r.defsKept;
    defsOf += r.defsOf;
    if (r.of > 0) worst = Math.min(worst, r.kept / r.of);
    if (r.defsOf > 0) worstDefs = Math.min(worstDefs, r.defsKept / r.defsOf);
    const line = text.slice(0, c.nameFrom).split('\n').length;
    detail.push(`${engine.name} ${lang} break line ${line} ${c.name}: calls ${r.kept}/${r.of}` +
      (r.lostLines.length ? ` (lost lines ${lineRanges(r.lostLines)})` : '') + `, defs ${r.defsKept}/${r.defsOf}` +
      (r.lostDefs.length ? ` (lost ${r.lostDefs.join(' ')})` : ''));
  }
  return { full, reparse, incrementalMatches, cleanErrors, calls: calls.length, defs: defs.length, headline, detail,
    all: { kept, of, breaks: calls.length, worst, defsKept, defsOf, worstDefs } };
}

async function main(): Promise<void> {
  if (process.argv[2] === '--big-child') return bigChild(process.argv[3]);
  const detail = process.argv.includes('--detail');

  const texts: Record<Lang, string> = {
    python: readFileSync(join(fixtures, 'agents.py'), 'utf8'),
    typescript: readFileSync(join(fixtures, 'agents.ts'), 'utf8'),
  };
  const lezer = await lezerEngine();
  const ts = await treeSitterEngine();
  const engines: Engine[] = [lezer, ts];
  console.log(`# Parser engines for LangGraph sources (node ${process.version})\n`);
  console.log(`lezer: @lezer/python ${ver('@lezer/python')}, @lezer/javascript ${ver('@lezer/javascript')} (dialect ts), @lezer/lr ${ver('@lezer/lr')}, @lezer/common ${ver('@lezer/common')}`);
  console.log(`tree-sitter: web-tree-sitter ${ver('web-tree-sitter')} runtime; grammars from @vscode/tree-sitter-wasm ${ver('@vscode/tree-sitter-wasm')} ` +
    `(language ABI python ${ts.abi.python}, typescript ${ts.abi.typescript}, tsx ${ts.abi.tsx}: all load)`);
  for (const lang of LANGS) console.log(`fixture ${lang}: ${texts[lang].split('\n').length} lines, ${fmt(kb(texts[lang].length), 1)} KB`);

  const fig: Record<string, Record<Lang, LangFigures>> = {};
  for (const e of engines) {
    fig[e.name] = {} as Record<Lang, LangFigures>;
    for (const lang of LANGS) fig[e.name][lang] = await measure(e, lang, texts[lang]);
  }
  const load = { lezer: loadTimes('lezer'), 'tree-sitter': loadTimes('tree-sitter') };
  const bundle = await bundleWeight();
  const big: Record<string, ReturnType<typeof JSON.parse>> = {};
  for (const e of engines) {
    big[e.name] = JSON.parse(execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', __filename, '--big-child', e.name],
      { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 }));
  }

  const L = fig.lezer;
  const T = fig['tree-sitter'];
  const ratio = (t: number, l: number) => (l > 0 ? `${fmt(t / l, 2)}×` : '—');
  const rows: string[][] = [];
  const row = (label: string, l: string, t: string, r: string) => rows.push([label, l, t, r]);
  for (const lang of LANGS) {
    const tag = lang === 'python' ? 'Py' : 'TS';
    row(`${tag} full parse, CPU ms median`, fmt(median(L[lang].full)), fmt(median(T[lang].full)), ratio(median(T[lang].full), median(L[lang].full)));
    row(`${tag} full parse, CPU ms p95`, fmt(p95(L[lang].full)), fmt(p95(T[lang].full)), ratio(p95(T[lang].full), p95(L[lang].full)));
    row(`${tag} reparse after 1-char edit, CPU ms median`, fmt(median(L[lang].reparse), 3), fmt(median(T[lang].reparse), 3), ratio(median(T[lang].reparse), median(L[lang].reparse)));
    row(`${tag} incremental tree = fresh tree`, String(L[lang].incrementalMatches), String(T[lang].incrementalMatches), '');
    row(`${tag} error nodes in the clean fixture`, String(L[lang].cleanErrors), String(T[lang].cleanErrors), '');
    row(`${tag} graph calls / function definitions found in the clean fixture`, `${L[lang].calls} / ${L[lang].defs}`, `${T[lang].calls} / ${T[lang].defs}`, '');
    const h = (r: Recovery) => `${r.kept} of ${r.of}`;
    row(`${tag} calls kept through an unclosed bracket (${HEADLINE_BREAK[lang].replace(/\)$/, '')})`, h(L[lang].headline), h(T[lang].headline), '');
    row(`${tag}   same, counting any call node of that name`, `${L[lang].headline.loose} of ${L[lang].headline.of}`, `${T[lang].headline.loose} of ${T[lang].headline.of}`, '');
    const hd = (r: Recovery) => `${r.defsKept} of ${r.defsOf}`;
    row(`${tag}   function definitions after it still read (name, params, body, return annotation)`, hd(L[lang].headline), hd(T[lang].headline), '');
    const a = (x: LangFigures['all']) => `${x.kept} of ${x.of} (${fmt((100 * x.kept) / Math.max(1, x.of), 0)}%), worst ${fmt(100 * x.worst, 0)}%`;
    const ad = (x: LangFigures['all']) => `${x.defsKept} of ${x.defsOf} (${fmt((100 * x.defsKept) / Math.max(1, x.defsOf), 0)}%), worst ${fmt(100 * x.worstDefs, 0)}%`;
    row(`${tag} calls kept over all ${L[lang].all.breaks} break points (each call's \`)\` deleted in turn)`, a(L[lang].all), a(T[lang].all), '');
    row(`${tag} function definitions kept over the same break points`, ad(L[lang].all), ad(T[lang].all), '');
  }
  row('load + init (fresh process), ms median of 5', fmt(median(load.lezer), 1), fmt(median(load['tree-sitter']), 1), ratio(median(load['tree-sitter']), median(load.lezer)));
  const bl = bundle.lezer;
  const bt = bundle['tree-sitter'];
  row('bundle: minified JS, KB', fmt(kb(bl.js), 0), fmt(kb(bt.js), 0), ratio(bt.js, bl.js));
  row('bundle: wasm files, KB', fmt(kb(bl.wasm), 0), fmt(kb(bt.wasm), 0), '');
  row('bundle: total, KB (gzip)', `${fmt(kb(bl.js + bl.wasm), 0)} (${fmt(kb(bl.gz), 0)})`, `${fmt(kb(bt.js + bt.wasm), 0)} (${fmt(kb(bt.gz), 0)})`,
    ratio(bt.js + bt.wasm, bl.js + bl.wasm));
  const bL = big.lezer;
  const bT = big['tree-sitter'];
  row(`5 MB Python (${fmt(bL.bytes / 2 ** 20, 1)} MB, ${bL.lines} lines): parse CPU ms`, fmt(bL.cpuMs, 0), fmt(bT.cpuMs, 0), ratio(bT.cpuMs, bL.cpuMs));
  row('5 MB: JS heap + ArrayBuffers retained by the tree (after gc), MB', fmt(bL.heapMB, 1), fmt(bT.heapMB, 1) + ' (tree is in wasm memory)', '');
  row('5 MB: peak RSS over pre-parse RSS, MB', fmt(bL.peakRssMB, 1), fmt(bT.peakRssMB, 1), ratio(bT.peakRssMB, bL.peakRssMB));
  const errAt = (b: typeof bL) => (b.errors ? `, first at byte ${b.firstError}` : '');
  row(`5 MB (${bL.copies} renamed copies, all valid Python): graph calls found / expected; error nodes`,
    `${bL.calls}/${bL.expected}; ${bL.errors}${errAt(bL)}`, `${bT.calls}/${bT.expected}; ${bT.errors}${errAt(bT)}`, '');

  const header = ['measure', 'lezer', 'tree-sitter', 'tree-sitter ÷ lezer'];
  console.log('\n| ' + header.join(' | ') + ' |');
  console.log('|---|---:|---:|---:|');
  for (const r of rows) console.log('| ' + r.join(' | ') + ' |');
  console.log(`\nbundle parts — lezer: ${bl.parts}; tree-sitter: web-tree-sitter JS + ${bt.parts}`);
  for (const lang of LANGS) {
    for (const e of engines) {
      const h = fig[e.name][lang].headline;
      console.log(`${lang} ${e.name}, after the unclosed bracket: calls not read as written: ${h.lostLines.length ? 'lines ' + lineRanges(h.lostLines) : 'none'}; ` +
        `definitions lost: ${h.lostDefs.length ? h.lostDefs.join(' ') : 'none'}`);
    }
  }
  if (detail) for (const lang of LANGS) for (const e of engines) for (const d of fig[e.name][lang].detail) console.log(d);
  console.log(`\nCalls "kept" = the call is read exactly as written: call node at the same place, same receiver, same method, and a closed argument list with no error node. ` +
    `Times are process.cpuUsage() per run on this process; ratios are tree-sitter over lezer.`);

  // Verdict, from the figures.
  // Recovery score: the mean share kept of calls and of definitions, for the headline break and over all breaks,
  // in both languages (eight shares, equally weighted).
  const keptShare = (f: Record<Lang, LangFigures>, lang: Lang) => f[lang].all.kept / Math.max(1, f[lang].all.of);
  const defShare = (f: Record<Lang, LangFigures>, lang: Lang) => f[lang].all.defsKept / Math.max(1, f[lang].all.defsOf);
  const headShare = (f: Record<Lang, LangFigures>, lang: Lang) => f[lang].headline.kept / Math.max(1, f[lang].headline.of);
  const headDefShare = (f: Record<Lang, LangFigures>, lang: Lang) => f[lang].headline.defsKept / Math.max(1, f[lang].headline.defsOf);
  const recoveryScore = (f: Record<Lang, LangFigures>) =>
    LANGS.reduce((s, l) => s + headShare(f, l) + keptShare(f, l) + defShare(f, l) + headDefShare(f, l), 0) / (4 * LANGS.length);
  const rl = recoveryScore(L);
  const rt = recoveryScore(T);
  const speed = (f: Record<Lang, LangFigures>) => LANGS.reduce((s, l) => s + median(f[l].reparse) + median(f[l].full), 0);
  const sl = speed(L);
  const st = speed(T);
  const wl = bl.js + bl.wasm;
  const wt = bt.js + bt.wasm;
  const margin = 0.05;
  let winner: 'lezer' | 'tree-sitter';
  let why: string;
  if (Math.abs(rl - rt) > margin) {
    winner = rl > rt ? 'lezer' : 'tree-sitter';
    why = `it keeps more of the file readable while a bracket is open (recovery score ${fmt(100 * Math.max(rl, rt), 0)}% against ${fmt(100 * Math.min(rl, rt), 0)}%), which outweighs speed and size`;
  } else {
    const pointsL = (sl <= st ? 1 : 0) + (wl <= wt ? 1 : 0) + (median(load.lezer) <= median(load['tree-sitter']) ? 1 : 0);
    winner = pointsL >= 2 ? 'lezer' : 'tree-sitter';
    why = `error recovery is a tie within ${fmt(100 * margin, 0)} points (${fmt(100 * rl, 0)}% against ${fmt(100 * rt, 0)}%), so speed, weight and start-up decide`;
  }
  const wf = winner === 'lezer' ? L : T;
  const of = winner === 'lezer' ? T : L;
  const other = winner === 'lezer' ? 'tree-sitter' : 'lezer';
  console.log(`\n## Verdict\n`);
  console.log(`Use ${winner}: ${why}. With the closing bracket of ${HEADLINE_BREAK.python} missing, ${winner} still reads ` +
    `${wf.python.headline.kept} of ${wf.python.headline.of} later Python graph calls as written (${other}: ${of.python.headline.kept}) and ` +
    `${wf.python.headline.defsKept} of ${wf.python.headline.defsOf} later function definitions (${other}: ${of.python.headline.defsKept}), and ` +
    `${wf.typescript.headline.kept} of ${wf.typescript.headline.of} TypeScript calls (${other}: ${of.typescript.headline.kept}); over every call broken in turn it keeps ` +
    `${fmt(100 * keptShare(wf, 'python'), 0)}% (Python) and ${fmt(100 * keptShare(wf, 'typescript'), 0)}% (TypeScript) against ` +
    `${fmt(100 * keptShare(of, 'python'), 0)}% and ${fmt(100 * keptShare(of, 'typescript'), 0)}%, and of the function definitions after the break ` +
    `${fmt(100 * defShare(wf, 'python'), 0)}% and ${fmt(100 * defShare(wf, 'typescript'), 0)}% against ${fmt(100 * defShare(of, 'python'), 0)}% and ${fmt(100 * defShare(of, 'typescript'), 0)}%. ` +
    `Full parse plus reparse of both fixtures costs ${fmt(winner === 'lezer' ? sl : st)} ms against ${fmt(winner === 'lezer' ? st : sl)} ms, ` +
    `it adds ${fmt(kb(winner === 'lezer' ? wl : wt), 0)} KB to the bundle against ${fmt(kb(winner === 'lezer' ? wt : wl), 0)} KB, ` +
    `starts in ${fmt(median(load[winner]), 0)} ms against ${fmt(median(load[other]), 0)} ms, and parses the ${fmt(bL.bytes / 2 ** 20, 1)} MB module in ` +
    `${fmt(big[winner].cpuMs, 0)} ms (${other}: ${fmt(big[other].cpuMs, 0)} ms).`);
}

function ver(pkg: string): string {
  return JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
