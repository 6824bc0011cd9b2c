// How a rule's fix is spelled: a graph file's fix names its YAML keys (`max_visits`, `on_error`), a graph read
// from code names what the user writes in that code (`error_handler=` on `add_node`, a guard in the router,
// `{"recursion_limit": N}`), and what code cannot say goes in an overlay beside it (LANGGRAPH.md). The choice is
// made here, once, so that the YAML wording stays byte-identical and each rule keeps one message per finding.
import type { AgentGraph, Runtime } from '../core/ir.ts';
import { basename } from '../core/uris.ts';

/** The framework's behaviour when the graph is read from code; undefined for a graph file. */
export function inCode(graph: AgentGraph): Runtime | undefined {
  return graph.runtime;
}

/** The YAML wording for a graph file, the code wording for a code-defined graph. */
export function wording(graph: AgentGraph, yaml: string, code: (rt: Runtime) => string): string {
  return graph.runtime ? code(graph.runtime) : yaml;
}

/**
 * The loop bound a run gets without any guard: `budget.steps` (a `recursion_limit` read from code), else the
 * framework's default recursion limit where it is low enough to end a loop (LangGraph JS: 25). LangGraph
 * Python's default (10007) is no bound: such a loop is AG201, not AG202.
 */
export function stepsBound(graph: AgentGraph): { steps: number; declared: boolean } | undefined {
  if (graph.budget?.steps !== undefined) return { steps: graph.budget.steps, declared: true };
  const rt = graph.runtime;
  return rt?.defaultStepsBound ? { steps: rt.defaultSteps, declared: false } : undefined;
}

/** `the recursion limit (40)` for code, `budget.steps (40)` for a graph file. */
export function stepsName(graph: AgentGraph, steps: number, declared = true): string {
  if (!graph.runtime) return `budget.steps (${steps})`;
  return declared ? `the recursion limit (${steps})` : `${graph.runtime.framework}'s default recursion limit (${steps})`;
}

/** A LangGraph API spelled in the code's language: `py` for Python, `js` for JavaScript/TypeScript. */
export function api(rt: Runtime, py: string, js: string): string {
  return rt.language === 'python' ? py : js;
}

/** `{"recursion_limit": N}` in the code's language. */
export function recursionLimitConfig(rt: Runtime): string {
  return rt.language === 'python' ? '{"recursion_limit": N}' : '{ recursionLimit: N }';
}

/** An example of a loop guard in the code's language (in a node function, it returns a Command). */
export function guardExample(rt: Runtime, exit = 'END', command = false): string {
  const to = command ? (rt.language === 'python' ? `Command(goto=${exit})` : `new Command({ goto: ${exit} })`) : exit;
  return rt.language === 'python' ? `if state["revisions"] >= 3: return ${to}` : `if (state.revisions >= 3) return ${to}`;
}

/**
 * Where production policies of a code-defined graph go (LANGGRAPH.md, "The overlay"): a graph file beside the
 * code that points at it with `source:`. `keys` is what to declare in it (`budget: { usd: 0.50 }`).
 */
export function overlayFix(graph: AgentGraph, keys: string): string {
  const file = basename(graph.uri);
  const stem = file.replace(/\.[^.]+$/, '');
  const name = graph.codeName ?? graph.name?.value;
  const which = name ? `, graph: ${name}` : '';
  return `declare it in an overlay beside the code: a ${stem}.agentgraph.yaml with source: { file: ./${file}${which} } and ${keys}`;
}

/** Whether the finding must be fixed in an overlay: the graph is read from code and no overlay applies to it yet. */
export function needsOverlay(graph: AgentGraph): boolean {
  return graph.runtime !== undefined && graph.source === undefined;
}

/**
 * Where a loop guard goes in code, with an example: the router (path function) of a node of the loop that has
 * one, else the node function of one that returns a Command, else a conditional edge in place of the closing
 * static edge.
 */
export function guardFix(graph: AgentGraph, rt: Runtime, loop: readonly string[], closer: string): string {
  const place = guardPlace(graph, loop, closer);
  return `${place.where}, e.g. \`${guardExample(rt, 'END', place.command)}\``;
}

function guardPlace(graph: AgentGraph, loop: readonly string[], closer: string): { where: string; command: boolean } {
  const members = [closer, ...loop.filter((id) => id !== closer)];
  const has = (kind: string) => members.find((id) => graph.nodes.get(id)?.out.some((t) => t.kind === kind));
  const router = has('route');
  if (router) return { where: `in the router of "${router}"`, command: false };
  const commander = has('command');
  if (commander) return { where: `in the node function of "${commander}", before it returns its Command`, command: true };
  const add = graph.runtime?.language === 'typescript' ? 'addConditionalEdges' : 'add_conditional_edges';
  return { where: `with a conditional edge from "${closer}" (${add} with a router in place of its static edge)`, command: false };
}
