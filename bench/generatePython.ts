// Generates realistic LangGraph Python modules for benchmarks and robustness tests: a TypedDict state, chat
// models, node functions that call them (with docstrings, try/except, state reads and dict updates), routers
// annotated `-> Literal[...]` with loop guards on a state counter, helpers that are not nodes, and the builder
// calls (add_node, add_edge, add_conditional_edges, compile, invoke with a recursion limit). Deterministic for a
// given size and seed; `lines` pads the module with helper functions up to about that many lines.

export interface GeneratePythonOptions {
  /** Nodes added to the graph (at least 3). */
  readonly nodes: number;
  /** About how many lines the module should have; helpers and docstrings fill the difference. */
  readonly lines?: number;
  /** At least how many characters the module should have (padded the same way). */
  readonly chars?: number;
  readonly seed?: number;
  /** The builder variable. */
  readonly name?: string;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

export function generatePythonGraph(opts: GeneratePythonOptions): string {
  const rand = rng(opts.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const n = Math.max(3, opts.nodes);
  const builder = opts.name ?? 'builder';
  const keys = Array.from({ length: Math.max(4, Math.ceil(n / 6)) }, (_, i) => `field_${i}`);
  const head: string[] = [];
  const defs: string[] = [];
  const wiring: string[] = [];

  head.push(
    '"""A generated LangGraph workflow for benchmarks.',
    '',
    `It has ${n} nodes: model calls, tools, routers with loop guards and plain functions.`,
    '"""',
    'from __future__ import annotations',
    '',
    'import logging',
    'import operator',
    'from typing import Annotated, Literal, TypedDict',
    '',
    'from langchain_openai import ChatOpenAI',
    'from langchain_anthropic import ChatAnthropic',
    'from langgraph.graph import END, START, StateGraph',
    'from langgraph.types import RetryPolicy',
    '',
    'log = logging.getLogger(__name__)',
    '',
    'MAX_ROUNDS = 3',
    '',
    'fast = ChatOpenAI(model="gpt-4o-mini", max_tokens=500, max_retries=2)',
    'smart = ChatAnthropic(model="claude-sonnet-4-5", max_tokens=1200)',
    '',
    '',
    'class State(TypedDict):',
    '    """The state every node reads and updates."""',
    '',
    '    request: str',
    '    messages: Annotated[list, operator.add]',
    '    rounds: int',
    ...keys.map((k) => `    ${k}: str`),
    '',
  );

  const id = (i: number) => (i >= n ? 'END' : `"step_${i}"`);
  const kinds: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = rand();
    kinds.push(i === 0 ? 'llm' : r < 0.45 ? 'llm' : r < 0.65 ? 'router' : 'function');
  }
  for (let i = 0; i < n; i++) {
    const kind = kinds[i];
    const k = keys[i % keys.length];
    const prev = keys[(i + keys.length - 1) % keys.length];
    if (kind === 'llm') {
      const model = pick(['fast', 'smart']);
      defs.push(
        '',
        `def step_${i}(state: State) -> dict:`,
        `    """Step ${i}: asks the model about the request and keeps its answer in ${k}."""`,
        `    prompt = f"Step ${i}: {state['request']} (context: {state.get('${prev}', '')})"`,
        '    try:',
        `        reply = ${model}.invoke([("system", "You are step ${i}."), ("user", prompt)])`,
        '    except ValueError as err:',
        `        log.warning("step ${i} failed: %s", err)`,
        '        raise',
        `    return {"${k}": reply.content, "messages": [reply]}`,
        '',
      );
    } else if (kind === 'router') {
      const a = id(i + 1);
      const back = i > 3 ? `"step_${i - 3}"` : id(i + 2);
      const targets = [...new Set([a, back, 'END'].filter((t) => t !== 'END'))];
      const literal = targets.map((t) => t).concat(['"__end__"']).join(', ');
      defs.push(
        '',
        `def step_${i}(state: State) -> dict:`,
        `    """Step ${i}: counts a round before the decision."""`,
        '    return {"rounds": state.get("rounds", 0) + 1}',
        '',
        '',
        `def route_${i}(state: State) -> Literal[${literal}]:`,
        `    """Decides where step ${i} goes: on, back for another round, or done."""`,
        '    if state["rounds"] >= MAX_ROUNDS:',
        '        return END',
        `    if "retry" in state.get("${k}", ""):`,
        `        return ${back}`,
        `    return ${a}`,
        '',
      );
      wiring.push(`${builder}.add_conditional_edges("step_${i}", route_${i})`);
    } else {
      defs.push(
        '',
        `def step_${i}(state: State) -> dict:`,
        `    """Step ${i}: normalises ${prev} into ${k}."""`,
        `    text = state.get("${prev}", "")`,
        `    return {"${k}": _clean(text, ${i})}`,
        '',
      );
    }
  }

  defs.unshift(
    '',
    'def _clean(text: str, step: int) -> str:',
    '    """Strips whitespace and tags the step; not a node."""',
    '    return f"[{step}] " + " ".join(text.split())',
    '',
  );

  wiring.unshift('', '', `${builder} = StateGraph(State)`);
  for (let i = 0; i < n; i++) {
    const retry = kinds[i] === 'llm' && i % 3 === 0 ? ', retry_policy=RetryPolicy(max_attempts=3)' : '';
    wiring.splice(wiring.length, 0, `${builder}.add_node("step_${i}", step_${i}${retry})`);
  }
  wiring.push(`${builder}.add_edge(START, "step_0")`);
  for (let i = 0; i < n; i++) if (kinds[i] !== 'router') wiring.push(`${builder}.add_edge("step_${i}", ${id(i + 1)})`);
  wiring.push('', 'graph = builder.compile()'.replace('builder', builder), '', '', 'def run(request: str) -> dict:', '    """Runs the graph once."""',
    `    return graph.invoke({"request": request}, {"recursion_limit": ${n * 4}})`, '');

  // Pad to the requested size with helpers that are not nodes (realistic filler: parsing, formatting).
  const body = [...head, ...defs];
  const target = opts.lines ?? 0;
  let size = [...body, ...wiring].reduce((n, l) => n + l.length + 1, 0);
  let h = 0;
  while (body.length + wiring.length < target || size < (opts.chars ?? 0)) {
    const from = body.length;
    body.push(
      '',
      `def helper_${h}(items: list[str], limit: int = 10) -> list[str]:`,
      `    """Helper ${h}: keeps the first items that are not empty, up to a limit."""`,
      '    out = []',
      '    for item in items:',
      '        if item and len(out) < limit:',
      `            out.append(item.strip().lower() + "-${h}")`,
      '    return out',
      '',
    );
    for (let i = from; i < body.length; i++) size += body[i].length + 1;
    h++;
  }
  return [...body, ...wiring].join('\n');
}

/** A Python module of about `lines` lines that never builds a graph (the pre-check's case). */
export function generatePlainPython(lines: number): string {
  const out = ['"""Utilities with no graph in them."""', 'import json', 'import re', ''];
  for (let h = 0; out.length < lines; h++) {
    out.push('', `def util_${h}(payload: str) -> dict:`, `    """Parses payload ${h}."""`, '    data = json.loads(payload)', `    data["id"] = re.sub(r"\\s+", "", str(data.get("id", ${h})))`, '    return data', '');
  }
  return out.join('\n');
}
