// LangGraph JS itself judges the AG102 quick fix: a module with a node in every form the fix edits (two
// arguments, an options object on one line and over several, a tuple of addNode([...]) and of addSequence([...]),
// all in one chained builder) and one it must leave alone (the object form) gets every fix offered, one after
// the other as a user would apply them. The fixed module must then
//  - type-check with TypeScript against the real `@langchain/langgraph` declarations (1.7.3, a devDependency):
//    the option's name and shape are LangGraph's (a misspelt `maxAttempt` is shown to fail the same check);
//  - run with the real library: the compiled graph's nodes carry `retryPolicy: { maxAttempts: 3 }`, and a node
//    that fails twice with a 503 now succeeds on its third attempt, where the unfixed module's run fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import ts from 'typescript';
import { Workspace, type FileHost } from '../../server/src/analysis/workspace.ts';
import { codeFixes } from '../../server/src/features/codeFixes.ts';
import { applyEdits } from '../../server/src/frontends/yaml/textEdits.ts';
import { pathToUri } from '../../server/src/core/uris.ts';

const MODULE = `import { Annotation, END, START, StateGraph } from "@langchain/langgraph";
import { FakeListChatModel } from "@langchain/core/utils/testing";

// A stand-in for @langchain/openai's ChatOpenAI (not installed): the name AgentGraph reads, a fake model's answers.
class ChatOpenAI extends FakeListChatModel {
  constructor(_options: { model: string; maxTokens?: number }) {
    super({ responses: ["ok"] });
  }
}

const State = Annotation.Root({ steps: Annotation<string[]>({ reducer: (a, b) => a.concat(b), default: () => [] }) });
const model = new ChatOpenAI({ model: "gpt-4o-mini", maxTokens: 100 });

let failures = 0;
async function flaky(_state: typeof State.State) {
  // The provider's 503, twice: a retry absorbs it.
  if (failures++ < 2) throw Object.assign(new Error("503 Service Unavailable"), { status: 503 });
  return { steps: ["flaky:" + String((await model.invoke("go")).content)] };
}
async function review(_state: typeof State.State) {
  return { steps: ["review:" + String((await model.invoke("review")).content)] };
}
async function polish(_state: typeof State.State) {
  return { steps: ["polish:" + String((await model.invoke("polish")).content)] };
}
async function tidy(_state: typeof State.State) {
  return { steps: ["tidy:" + String((await model.invoke("tidy")).content)] };
}
async function sign(_state: typeof State.State) {
  return { steps: ["sign:" + String((await model.invoke("sign")).content)] };
}
async function ship(_state: typeof State.State) {
  return { steps: ["ship:" + String((await model.invoke("ship")).content)] };
}
async function summarize(_state: typeof State.State) {
  return { steps: ["summarize:" + String((await model.invoke("summarize")).content)] };
}

export const graph = new StateGraph(State)
  .addNode("flaky", flaky)
  .addNode("review", review, { timeout: 30_000 })
  .addNode(
    "polish",
    polish,
    {
      timeout: 30_000,
    },
  )
  .addNode([["tidy", tidy]])
  .addSequence([["sign", sign], ["ship", ship]])
  .addNode({ summarize })
  .addEdge(START, "flaky")
  .addEdge("flaky", "review")
  .addEdge("review", "polish")
  .addEdge("polish", "tidy")
  .addEdge("tidy", "sign")
  .addEdge("ship", "summarize")
  .addEdge("summarize", END)
  .compile();
`;

// A name under the repository, so that the module resolves @langchain/langgraph from its node_modules; the file
// itself is never written (type-checked from memory, run from stdin).
const PATH = resolve('test/integration/__retry_fixed__.ts');
const URI = pathToUri(PATH);

function analyse(text: string) {
  const map = new Map([[URI, text]]);
  const host: FileHost = { read: (u) => map.get(u), list: () => [...map.keys()] };
  return new Workspace(host).analyze(URI);
}

/** Every AG102 fix applied, one at a time, the module analysed again after each. */
function fixAll(text: string): { text: string; fixed: string[] } {
  const fixed: string[] = [];
  for (let i = 0; i < 20; i++) {
    const a = analyse(text);
    const ag102 = a.diagnostics.filter((d) => d.code === 'AG102');
    const [fix] = codeFixes({ uri: URI, text, graphs: a.graphs.map((g) => g.graph), worstCase: a.worstCase, exists: () => false }, ag102);
    if (!fix) return { text, fixed };
    fixed.push(String(fix.diagnostic.data?.node));
    text = applyEdits(text, fix.edits);
  }
  throw new Error('the fixes never end');
}

/** TypeScript's errors in the module, type-checked against the installed declarations. */
function typeErrors(text: string): string[] {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true, noEmit: true, skipLibCheck: true, types: ['node'], lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) => (resolve(name) === PATH ? ts.createSourceFile(name, text, lang) : getSourceFile(name, lang, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => resolve(name) === PATH || fileExists(name);
  const program = ts.createProgram([PATH], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

interface Run { retry: Record<string, unknown>; steps?: string[]; error?: string }

/** The module run with the real library: each compiled node's retry policy, and one invoke. */
function run(text: string): Run {
  const js = ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  const footer = `
console.log = (...a) => console.error(...a); // LangGraph logs its retries; stdout is the answer alone
const retry = Object.fromEntries(Object.entries(graph.nodes).filter(([k]) => !k.startsWith("__")).map(([k, n]) => [k, n.retryPolicy ?? null]));
try {
  const out = await graph.invoke({ steps: [] });
  process.stdout.write(JSON.stringify({ retry, steps: out.steps }));
} catch (e) {
  process.stdout.write(JSON.stringify({ retry, error: String(e.message) }));
}
`;
  // From stdin, a module resolves its imports from the working directory: the repository's node_modules.
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module'], { input: js + footer, encoding: 'utf8', timeout: 60_000, stdio: ['pipe', 'pipe', 'pipe'] })) as Run;
}

test('the AG102 fix in JS/TS: LangGraph JS type-checks the fixed module, sets the retry policies and retries the failing node', { timeout: 180_000 }, () => {
  const { text, fixed } = fixAll(MODULE);
  // Every node got its fix but the object form's, which takes no options.
  assert.deepEqual(fixed.sort(), ['flaky', 'polish', 'review', 'ship', 'sign', 'tidy']);
  assert.deepEqual(analyse(text).diagnostics.filter((d) => d.code === 'AG102').map((d) => d.data?.node), ['summarize']);

  assert.deepEqual(typeErrors(MODULE), [], 'the module as written type-checks');
  assert.deepEqual(typeErrors(text), [], `the fixed module type-checks:\n${text}`);
  // The check is not blind to the option's shape.
  assert.ok(typeErrors(text.replace('{ maxAttempts: 3 }', '{ maxAttempt: 3 }')).length > 0, 'a misspelt option is a type error');

  const before = run(MODULE);
  assert.match(before.error ?? '', /503/, 'unfixed, the flaky node fails the run');
  const after = run(text);
  const three = { maxAttempts: 3 };
  assert.deepEqual(after.retry, { flaky: three, review: three, polish: three, tidy: three, sign: three, ship: three, summarize: null });
  assert.equal(after.error, undefined, 'fixed, the run succeeds');
  assert.deepEqual(after.steps, ['flaky:ok', 'review:ok', 'polish:ok', 'tidy:ok', 'sign:ok', 'ship:ok', 'summarize:ok']);
});
