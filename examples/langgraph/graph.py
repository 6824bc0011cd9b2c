"""A research assistant written in LangGraph: plan, search, write, and a critic that sends the draft back.

AgentGraph reads this module without running it (docs/langgraph.md). Its production policies, which code
cannot say (a budget, input-token estimates, tracing, success criteria), are in graph.agentgraph.yaml beside it.
"""
from typing import Literal, TypedDict

from langchain_anthropic import ChatAnthropic
from langchain_openai import ChatOpenAI
from langgraph.graph import END, START, StateGraph
from langgraph.errors import NodeError
from langgraph.types import Command, RetryPolicy

MAX_REVISIONS = 3

planner = ChatOpenAI(model="gpt-4o-mini", max_tokens=400, max_retries=2)
writer = ChatAnthropic(model="claude-sonnet-4-5", max_tokens=1200).with_fallbacks([planner])
critic = ChatOpenAI(model="gpt-4o-mini", max_tokens=300)


class ResearchState(TypedDict):
    question: str
    plan: str
    notes: list[str]
    draft: str
    verdict: str
    revisions: int


def plan(state: ResearchState) -> dict:
    reply = planner.invoke(f"Plan the research for: {state['question']}")
    return {"plan": reply.content, "revisions": 0}


def search(state: ResearchState) -> dict:
    try:
        hits = planner.invoke(f"Search queries for: {state['plan']}")
    except Exception:
        # The search is best effort: without it the writer works from the plan alone.
        return {"notes": []}
    return {"notes": [hits.content]}


def write(state: ResearchState) -> dict:
    reply = writer.invoke(f"Answer {state['question']} from {state['notes']}")
    return {"draft": reply.content, "revisions": state["revisions"] + 1}


def critique(state: ResearchState) -> dict:
    reply = critic.invoke(f"Is this answer supported by the notes? {state['draft']}")
    return {"verdict": reply.content}


def holding_answer(state: ResearchState) -> dict:
    """The degraded path: an honest partial answer from what the run has, without the step that failed."""
    return {"draft": state.get("draft") or f"I could not finish researching: {state['question']}"}


def on_failure(state: ResearchState, error: NodeError) -> Command:
    # A node that still fails after its retries answers with what the run has instead of crashing it.
    return Command(goto="holding_answer", update={"verdict": f"failed in {error.node}"})


def after_critique(state: ResearchState) -> Literal["write", "__end__"]:
    if state["revisions"] >= MAX_REVISIONS:
        return END
    return END if "SUPPORTED" in state["verdict"] else "write"


builder = StateGraph(ResearchState)
builder.set_node_defaults(retry_policy=RetryPolicy(max_attempts=3), error_handler=on_failure)
builder.add_node("plan", plan)
builder.add_node("search", search)
builder.add_node("write", write)
builder.add_node("critique", critique)
builder.add_node("holding_answer", holding_answer)
builder.add_edge(START, "plan")
builder.add_edge("plan", "search")
builder.add_edge("search", "write")
builder.add_edge("write", "critique")
builder.add_conditional_edges("critique", after_critique)
builder.add_edge("holding_answer", END)
graph = builder.compile()


def main(question: str) -> str:
    # At most 12 steps: the worst-case run (plan, search, three drafts and critiques) takes 8.
    result = graph.invoke({"question": question, "notes": []}, config={"recursion_limit": 12})
    return result["draft"]
