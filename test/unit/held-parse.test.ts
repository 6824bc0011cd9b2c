// While the user types an unclosed bracket in a Python graph, the findings of the last text that parsed stay,
// at the places their code has moved to, and the broken text's half-read graph raises no false findings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace, editBetween, mapRanges, shiftRange, type Analysis } from '../../server/src/analysis/workspace.ts';

const GOOD = `"""Plan, act, review until the review passes."""
from typing import Literal, TypedDict

from langchain_openai import ChatOpenAI
from langgraph.graph import END, START, StateGraph


class State(TypedDict):
    task: str
    plan: str
    verdict: str


model = ChatOpenAI(model="gpt-4o-mini", max_tokens=400)


def plan(state: State) -> dict:
    """Writes a plan."""
    return {"plan": model.invoke(state["task"]).content}


def act(state: State) -> dict:
    """Carries the plan out."""
    return {"verdict": model.invoke(state["plan"]).content}


def review(state: State) -> Literal["plan", "__end__"]:
    """Sends the run back to planning until the verdict passes: nothing bounds the loop."""
    if "pass" in state["verdict"]:
        return END
    return "plan"


builder = StateGraph(State)
builder.add_node("plan", plan)
builder.add_node("act", act)
builder.add_edge(START, "plan")
builder.add_edge("plan", "act")
builder.add_conditional_edges("act", review)
graph = builder.compile()
`;

const URI = 'file:///project/graph.py';
const TYPING = 'builder.add_node("plan", plan';

/** Each finding as its code and the text it points at, AG001 (the syntax notice) left out. */
function findings(a: Analysis): string[] {
  return a.diagnostics.filter((d) => d.code !== 'AG001').map((d) => `${d.code} ${JSON.stringify(a.text.slice(d.range.start, d.range.end))}${d.suppressed ? ' (suppressed)' : ''}`);
}

function insertLine(text: string, lineNo: number, line: string): string {
  const lines = text.split('\n');
  lines.splice(lineNo, 0, line);
  return lines.join('\n');
}

test('an unclosed bracket typed in the first third keeps the last findings, where their code now is', () => {
  const ws = new Workspace({ read: () => undefined });
  ws.setDocument(URI, GOOD);
  const good = ws.analyze(URI);
  const codes = findings(good);
  assert.ok(codes.some((c) => c.startsWith('AG201 ')), `the loop is unbounded: ${codes}`);
  assert.ok(codes.some((c) => c.startsWith('AG101 ')), `the model calls have no recovery: ${codes}`);

  const broken = insertLine(GOOD, Math.floor(GOOD.split('\n').length / 3), TYPING);
  ws.setDocument(URI, broken);
  const held = ws.analyze(URI);
  assert.equal(held.text, broken);
  assert.deepEqual(findings(held), codes, 'the same findings at the same text');
  for (const d of held.diagnostics) assert.ok(!['AG002', 'AG003', 'AG004'].includes(d.code), `a false ${d.code}: ${d.message}`);
  const notice = held.diagnostics.find((d) => d.code === 'AG001');
  assert.ok(notice && notice.severity === 'hint', 'the syntax notice of the text as it is');
  // The graph the features see has moved with the text too.
  const node = held.graph!.nodes.get('act')!;
  assert.equal(broken.slice(node.range.start, node.range.end), '"act"');

  // Closing the bracket: a fresh analysis of the text as it is.
  const fixed = broken.replace(TYPING, `${TYPING})`);
  ws.setDocument(URI, fixed);
  const after = ws.analyze(URI);
  assert.equal(after.diagnostics.some((d) => d.code === 'AG001'), false);
  assert.deepEqual(findings(after).filter((c) => !c.startsWith('AG201')), codes.filter((c) => !c.startsWith('AG201')));
});

test('typed among the builder calls, where the half-read graph would lose its edges: no false findings either', () => {
  const ws = new Workspace({ read: () => undefined });
  ws.setDocument(URI, GOOD);
  const codes = findings(ws.analyze(URI));
  for (const before of ['builder.add_edge(START, "plan")', 'builder.add_edge("plan", "act")', 'graph = builder.compile()']) {
    const broken = GOOD.replace(before, `${TYPING}\n${before}`);
    ws.setDocument(URI, broken);
    const held = ws.analyze(URI);
    assert.deepEqual(findings(held), codes, `typed before ${before}`);
  }
});

test('each edit is measured against the last text that parsed, and disable directives below it follow their lines', () => {
  const ws = new Workspace({ read: () => undefined });
  const ag201 = (() => {
    ws.setDocument(URI, GOOD);
    const a = ws.analyze(URI);
    return a.lines.position(a.diagnostics.find((d) => d.code === 'AG201')!.range.start).line;
  })();
  const good = insertLine(GOOD, ag201, '# agentgraph-disable-next-line AG201 -- bounded by the reviewer');
  ws.setDocument(URI, good);
  assert.ok(findings(ws.analyze(URI)).some((c) => c.startsWith('AG201') && c.endsWith('(suppressed)')));
  // Two keystrokes in a row, both broken, the second adding lines.
  const at = 12;
  ws.setDocument(URI, insertLine(good, at, 'builder.add_node("plan"'));
  ws.setDocument(URI, insertLine(good, at, 'builder.add_node("plan",\n\n    plan'));
  const held = ws.analyze(URI);
  assert.ok(findings(held).some((c) => c.startsWith('AG201') && c.endsWith('(suppressed)')), `still suppressed: ${findings(held)}`);
});

test('a file that never parsed, or a closed one, is analysed as it is', () => {
  const ws = new Workspace({ read: () => undefined });
  const broken = insertLine(GOOD, 12, TYPING);
  ws.setDocument(URI, broken);
  const first = ws.analyze(URI);
  assert.equal(first.text, broken);
  ws.setDocument(URI, GOOD);
  ws.analyze(URI);
  ws.closeDocument(URI);
  ws.setDocument(URI, broken);
  assert.deepEqual(ws.analyze(URI).diagnostics, first.diagnostics, 'the last good text was forgotten on close');
});

test('editBetween and shiftRange: offsets after the edit move by its length, inside it clamp to its start', () => {
  const edit = editBetween('abc XYZ def', 'abc Q def');
  assert.deepEqual(edit, { start: 4, oldEnd: 7, newEnd: 5 });
  assert.deepEqual(shiftRange({ start: 0, end: 3 }, edit), { start: 0, end: 3 }); // before
  assert.deepEqual(shiftRange({ start: 8, end: 11 }, edit), { start: 6, end: 9 }); // after: "def"
  assert.deepEqual(shiftRange({ start: 5, end: 6 }, edit), { start: 4, end: 4 }); // inside: clamped
  assert.deepEqual(shiftRange({ start: 0, end: 11 }, edit), { start: 0, end: 9 }); // around: shrinks
  // A pure insertion at a range's start pushes it along; at its end it does not extend it.
  const ins = editBetween('ab"x"cd', 'ab((("x"cd');
  assert.deepEqual(shiftRange({ start: 2, end: 5 }, ins), { start: 5, end: 8 });
  assert.deepEqual(shiftRange({ start: 0, end: 2 }, ins), { start: 0, end: 2 });
  assert.deepEqual(editBetween('same', 'same'), { start: 4, oldEnd: 4, newEnd: 4 });
  assert.deepEqual(editBetween('aaa', 'aaaa'), { start: 3, oldEnd: 3, newEnd: 4 });
});

test('mapRanges maps every {start, end} in objects, arrays, Maps and Sets, and copies rather than mutates', () => {
  const shared = { start: 1, end: 2 };
  const ir = {
    name: 'g',
    root: { start: 0, end: 10 },
    nodes: new Map([['a', { id: 'a', range: shared, out: [{ to: 'b', range: { start: 3, end: 4 } }], fields: new Map([['retry', { start: 5, end: 6 }]]) }]]),
    tags: new Set([{ start: 7, end: 8 }]),
    ref: { value: 'x', range: shared, start: 'not a number' },
    n: 3,
    none: undefined,
  };
  const out = mapRanges(ir, (r) => ({ start: r.start + 100, end: r.end + 100 }));
  assert.deepEqual(out.root, { start: 100, end: 110 });
  const a = out.nodes.get('a')!;
  assert.deepEqual(a.range, { start: 101, end: 102 });
  assert.deepEqual(a.out[0], { to: 'b', range: { start: 103, end: 104 } });
  assert.deepEqual(a.fields.get('retry'), { start: 105, end: 106 });
  assert.deepEqual([...out.tags], [{ start: 107, end: 108 }]);
  assert.equal(out.ref.range, a.range, 'a shared range stays shared');
  assert.equal(out.ref.start, 'not a number');
  assert.equal(out.n, 3);
  assert.deepEqual(ir.root, { start: 0, end: 10 }, 'the input is untouched');
  assert.equal(shared.start, 1);
});
