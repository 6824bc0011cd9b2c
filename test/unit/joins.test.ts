// Joins in code-defined graphs: `add_edge(["a", "b"], "c")` runs c once both a and b have, so c sees what
// each of them wrote; separate edges from a and from b are alternatives, and c may miss one's keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace } from '../../server/src/analysis/workspace.ts';

test('a join waits for all its sources: the node after it sees what each of them wrote (no AG502)', () => {
  const text = `from typing import TypedDict
from langgraph.graph import StateGraph, START, END


class S(TypedDict):
    q: str
    web: str
    docs: str


def search_web(state: S):
    return {"web": state["q"]}


def search_docs(state: S):
    return {"docs": state["q"]}


def merge(state: S):
    return {"q": state["web"] + state["docs"]}


b = StateGraph(S)
b.add_node("search_web", search_web)
b.add_node("search_docs", search_docs)
b.add_node("merge", merge)
b.add_edge(START, "search_web")
b.add_edge(START, "search_docs")
b.add_edge(["search_web", "search_docs"], "merge")
b.add_edge("merge", END)
`;
  const ws = new Workspace({ read: (u) => (u === 'file:///j/g.py' ? text : undefined) });
  const a = ws.analyze('file:///j/g.py');
  assert.deepEqual(a.diagnostics.filter((d) => d.code === 'AG502').map((d) => d.message), []);
  // Without the join, the same reads are not guaranteed.
  const ws2 = new Workspace({ read: (u) => (u === 'file:///j/g.py' ? text.replace('b.add_edge(["search_web", "search_docs"], "merge")', 'b.add_edge("search_web", "merge")\nb.add_edge("search_docs", "merge")') : undefined) });
  assert.ok(ws2.analyze('file:///j/g.py').diagnostics.some((d) => d.code === 'AG502'));
});
