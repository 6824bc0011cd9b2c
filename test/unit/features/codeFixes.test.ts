// Quick fixes in Python graph code: each is applied and the file analysed again, as the editor would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Workspace, type FileHost } from '../../../server/src/analysis/workspace.ts';
import { codeFixes } from '../../../server/src/features/codeFixes.ts';
import { applyEdits } from '../../../server/src/frontends/yaml/textEdits.ts';

const MODULE = `"""A writer with a critic."""
from typing import Literal, TypedDict
from langchain_openai import ChatOpenAI
from langgraph.graph import StateGraph, START, END
from langgraph.types import Command

llm = ChatOpenAI(model="gpt-4o-mini", max_tokens=400)


class State(TypedDict):
    topic: str
    draft: str


def write(state: State):
    return {"draft": llm.invoke(state["topic"]).content}


builder = StateGraph(State)
builder.add_node("write", write)
builder.add_edge(START, "write")
builder.add_edge("write", END)
graph = builder.compile()
`;

function setup(files: Record<string, string>) {
  const map = new Map(Object.entries(files));
  const host: FileHost = { read: (u) => map.get(u), list: () => [...map.keys()] };
  return { map, ws: new Workspace(host) };
}

const URI = 'file:///app/writer.py';

test('AG102: retry_policy=RetryPolicy(max_attempts=3) on the add_node, with its import; the finding is gone after', () => {
  for (const [text, importLine] of [
    [MODULE, 'from langgraph.types import Command, RetryPolicy'],
    [MODULE.replace('from langgraph.types import Command\n', ''), 'from langgraph.types import RetryPolicy'],
  ] as const) {
    const { map, ws } = setup({ [URI]: text });
    const a = ws.analyze(URI);
    const ag102 = a.diagnostics.filter((d) => d.code === 'AG102');
    assert.equal(ag102.length, 1);
    const [fix] = codeFixes({ uri: URI, text, graphs: a.graphs.map((g) => g.graph), worstCase: a.worstCase, exists: (u) => map.has(u) }, ag102);
    assert.ok(fix, 'a fix is offered');
    const after = applyEdits(text, fix.edits);
    assert.ok(after.includes('builder.add_node("write", write, retry_policy=RetryPolicy(max_attempts=3))'));
    assert.ok(after.split('\n').includes(importLine), after);
    map.set(URI, after);
    ws.setDocument(URI, after);
    assert.deepEqual(ws.analyze(URI).diagnostics.filter((d) => d.code === 'AG102'), []);
  }
});

test('AG301/AG601/AG701: one fix creates the overlay beside the code, and the three findings leave the code', () => {
  const { map, ws } = setup({ [URI]: MODULE });
  const a = ws.analyze(URI);
  const graphLevel = a.diagnostics.filter((d) => ['AG301', 'AG601', 'AG701'].includes(d.code));
  assert.equal(graphLevel.length, 3);
  const fixes = codeFixes({ uri: URI, text: MODULE, graphs: a.graphs.map((g) => g.graph), worstCase: a.worstCase, exists: (u) => map.has(u) }, graphLevel);
  assert.equal(fixes.length, 1, 'one overlay for the three');
  const create = fixes[0].create!;
  assert.equal(create.uri, 'file:///app/writer.agentgraph.yaml');
  map.set(create.uri, create.text);
  ws.fileChanged(create.uri);
  ws.fileChanged(URI);
  const code = ws.analyze(URI);
  assert.deepEqual(code.diagnostics.filter((d) => ['AG301', 'AG601', 'AG701'].includes(d.code)).map((d) => d.code), []);
  const overlay = ws.analyze(create.uri);
  assert.deepEqual(overlay.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`), []);
  assert.ok(overlay.graph?.budget?.usd && overlay.graph.budget.usd > 0);
  // Never over an existing file.
  assert.deepEqual(codeFixes({ uri: URI, text: MODULE, graphs: a.graphs.map((g) => g.graph), worstCase: a.worstCase, exists: () => true }, graphLevel), []);
});
