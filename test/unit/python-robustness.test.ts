// Bad Python never crashes and never hangs the LangGraph frontend: every case below is read (or refused) in
// bounded time, without a throw, and where what was read may be incomplete the result says so (`partial`, and a
// hint on the first syntax error).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { langgraphPythonFrontend, parsePythonGraphs } from '../../server/src/frontends/langgraph-python/index.ts';
import { Workspace, type Analysis } from '../../server/src/analysis/workspace.ts';
import type { FrontendResult } from '../../server/src/frontends/frontend.ts';
import { limitNesting } from '../../server/src/frontends/langgraph-python/nesting.ts';
import { generatePythonGraph } from '../../bench/generatePython.ts';

const URI = 'file:///project/graph.py';

const GRAPH = `from typing import TypedDict
from langchain_openai import ChatOpenAI
from langgraph.graph import END, START, StateGraph


class State(TypedDict):
    question: str
    answer: str


model = ChatOpenAI(model="gpt-4o-mini", max_tokens=300)


def plan(state: State) -> dict:
    """Asks the model."""
    reply = model.invoke(state["question"])
    return {"answer": reply.content}


builder = StateGraph(State)
builder.add_node("plan", plan)
builder.add_edge(START, "plan")
builder.add_edge("plan", END)
graph = builder.compile()
`;

/**
 * The frontend's result and the whole analysis (all rules, which parse again) of `text`; neither may throw.
 * `ms` is the longer of the two, each of which must be bounded.
 */
function read(text: string): { result: FrontendResult; analysis: Analysis; ms: number } {
  let start = performance.now();
  const result = langgraphPythonFrontend.mayHoldGraph(text) ? parsePythonGraphs(text, URI) : { graphs: [], diagnostics: [] };
  const parseMs = performance.now() - start;
  start = performance.now();
  const analysis = new Workspace({ read: (u) => (u === URI ? text : undefined) }).analyze(URI);
  return { result, analysis, ms: Math.max(parseMs, performance.now() - start) };
}

function bounded(ms: number, limit = 2000): void {
  assert.ok(ms < limit, `took ${ms.toFixed(0)} ms (limit ${limit} ms)`);
}

/** A partial result says so: the flag, and a hint at the first syntax error. */
function assertPartialNotice(result: FrontendResult): void {
  assert.equal(result.partial, true);
  const hint = result.diagnostics.find((d) => d.code === 'AG001' && d.severity === 'hint');
  assert.ok(hint, `no hint among ${JSON.stringify(result.diagnostics.map((d) => [d.code, d.severity]))}`);
  assert.match(hint.message, /^syntax error: /);
}

test('syntax errors everywhere: no throw, a partial result with a hint', () => {
  const lines = GRAPH.split('\n');
  const broken = lines.map((l, i) => (i % 3 === 0 ? `${l} ) ] } :: @@ def (` : l)).join('\n');
  const { result, ms } = read(broken);
  assertPartialNotice(result);
  bounded(ms);
});

test('a 5 MB module is refused at once with its size, and no graph', () => {
  const text = generatePythonGraph({ nodes: 2000, chars: 5 * 1024 * 1024 });
  assert.ok(text.length >= 5 * 1024 * 1024);
  const { result, analysis, ms } = read(text);
  assert.equal(result.graphs.length, 0);
  assert.match(result.diagnostics[0].message, /5\.0 MB/);
  assert.equal(analysis.graph, undefined);
  bounded(ms, 1000);
});

test('2,000 add_node calls: every node read, in bounded time', () => {
  const lines = ['from langgraph.graph import END, START, StateGraph', '', 'def step(state):', '    return {"n": 1}', '', 'builder = StateGraph(dict)'];
  for (let i = 0; i < 2000; i++) lines.push(`builder.add_node("n${i}", step)`);
  lines.push('builder.add_edge(START, "n0")');
  for (let i = 0; i < 2000; i++) lines.push(`builder.add_edge("n${i}", ${i === 1999 ? 'END' : `"n${i + 1}"`})`);
  const { result, analysis, ms } = read(lines.join('\n'));
  assert.equal(result.partial, false);
  assert.equal(result.graphs[0].nodes.size, 2000);
  assert.equal(analysis.graph?.nodes.size, 2000);
  bounded(ms);
});

test('StateGraph named only in a comment or a string: no graph, no findings', () => {
  for (const text of [
    '# TODO: port this to a LangGraph StateGraph\nimport json\n\ndef f(x):\n    return json.dumps(x)\n',
    'DOC = "builder = StateGraph(State); builder.add_node(\'a\', a)"\n',
    '"""\nfrom langgraph.graph import StateGraph\nbuilder = StateGraph(dict)\nbuilder.add_node("a", a)\n"""\n',
  ]) {
    assert.equal(langgraphPythonFrontend.mayHoldGraph(text), true, 'the pre-check lets it through');
    const { result, analysis, ms } = read(text);
    assert.equal(result.graphs.length, 0, text);
    assert.deepEqual(analysis.diagnostics, [], text);
    bounded(ms);
  }
});

test('mixed tabs and spaces: read, no throw', () => {
  const text = GRAPH.replace('    reply = model.invoke', '\treply = model.invoke').replace('    return {"answer"', '\t    return {"answer"');
  const { result, ms } = read(text);
  assert.equal(result.graphs.length, 1);
  assert.ok(result.graphs[0].nodes.has('plan'));
  bounded(ms);
});

/** The node `plan`'s range, its reads and writes all point at their text. */
function assertRangesPointAtText(text: string, result: FrontendResult): void {
  const node = result.graphs[0]?.nodes.get('plan');
  assert.ok(node, 'node plan read');
  assert.equal(text.slice(node.range.start, node.range.end), '"plan"');
  assert.equal(text.slice(node.reads[0].range.start, node.reads[0].range.end), '"question"');
  assert.equal(text.slice(node.writes[0].range.start, node.writes[0].range.end), '"answer"');
  assert.equal(text.slice(result.graphs[0].root.start, result.graphs[0].root.end), 'StateGraph(State)');
}

test('a BOM: ranges still point at the right text', () => {
  const text = '\ufeff' + GRAPH;
  const { result, ms } = read(text);
  assert.equal(result.partial, false);
  assertRangesPointAtText(text, result);
  bounded(ms);
});

test('CRLF line endings: ranges still point at the right text', () => {
  const text = GRAPH.replace(/\n/g, '\r\n');
  const { result, analysis, ms } = read(text);
  assert.equal(result.partial, false);
  assertRangesPointAtText(text, result);
  // Findings as well: the missing recovery path of `plan` is reported at its name.
  const ag101 = analysis.diagnostics.find((d) => d.code === 'AG101');
  assert.ok(ag101);
  assert.equal(text.slice(ag101.range.start, ag101.range.end), '"plan"');
  bounded(ms);
});

test('an unterminated triple-quoted string: no throw, a partial result with a hint', () => {
  const text = GRAPH.replace('builder = StateGraph(State)', 'NOTE = """never closed\nbuilder = StateGraph(State)');
  const { result, ms } = read(text);
  assertPartialNotice(result);
  bounded(ms);
});

test('10,000 nested parentheses (and other deep nesting) do not overflow the stack', () => {
  const deep = [
    `y = ${'('.repeat(10_000)}1${')'.repeat(10_000)}\n`,
    `y = ${'('.repeat(10_000)}1\n`,
    `builder.add_edge(${'('.repeat(10_000)}"plan"${')'.repeat(10_000)}, END)\n`,
    `builder.add_node("deep", ${'['.repeat(10_000)}${']'.repeat(10_000)})\n`,
    `y = a${'.b'.repeat(10_000)}\n`,
    `y = f${'()'.repeat(10_000)}\n`,
    `y = ${'-'.repeat(10_000)}1\n`,
    `y = ${Array(10_000).fill('a').join(' ** ')}\n`,
    `def route(state):\n${Array.from({ length: 2000 }, (_, i) => `${'\t'.repeat(i + 1)}if state["n"] > ${i}:\n`).join('')}${'\t'.repeat(2001)}return END\nbuilder.add_conditional_edges("plan", route)\n`,
  ];
  for (const tail of deep) {
    const { result, ms } = read(GRAPH + tail);
    assert.equal(result.graphs.length, 1, tail.slice(0, 40));
    assert.ok(result.graphs[0].nodes.has('plan'));
    bounded(ms);
  }
});

test('a module that takes lezer too long is read up to where the parse got, and says so', () => {
  // Tens of thousands of chained conditional expressions take lezer seconds; a 100 ms budget stands in for the real one.
  const text = GRAPH + `def route(state):\n    return ${'"plan" if x else '.repeat(50_000)}END\nbuilder.add_conditional_edges("plan", route)\n`;
  const start = performance.now();
  const result = parsePythonGraphs(text, URI, 100);
  bounded(performance.now() - start);
  assert.equal(result.partial, true);
  assert.match(result.diagnostics[0].message, /took more than 0\.1 s to parse: AgentGraph read it up to line \d+ only/);
  assert.ok(result.graphs[0]?.nodes.has('plan'), 'what comes before is read');
});

test('the guard against deep bracket nesting blanks only what Python would refuse, outside strings and comments', () => {
  const ok = `x = ${'('.repeat(200)}1${')'.repeat(200)}  # ${'('.repeat(300)}\ns = "${'['.repeat(300)}"\nt = '''${'{'.repeat(300)}'''\n`;
  assert.deepEqual(limitNesting(ok), { text: ok });
  const deep = `x = ${'('.repeat(205)}"(("${')'.repeat(205)}\n`;
  const r = limitNesting(deep);
  assert.equal(r.text.length, deep.length);
  assert.equal(r.at, 4 + 200);
  assert.equal(r.text, `x = ${'('.repeat(200)}${' '.repeat(5)}"(("${' '.repeat(5)}${')'.repeat(200)}\n`);
});

test('binary junk with a .py name is refused at once', () => {
  let s = 7;
  const bytes = Array.from({ length: 200_000 }, () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % 256;
  });
  for (const junk of [Buffer.from(bytes).toString('latin1'), Buffer.from(bytes).toString('utf8')]) {
    const text = `StateGraph${junk}`;
    const { result, ms } = read(text);
    assert.equal(result.graphs.length, 0);
    assert.match(result.diagnostics[0].message, /binary/);
    bounded(ms, 500);
  }
});

test('an empty file: no graph, no findings', () => {
  const { result, analysis, ms } = read('');
  assert.equal(result.graphs.length, 0);
  assert.deepEqual(analysis.diagnostics, []);
  bounded(ms);
});
