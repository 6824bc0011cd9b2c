// AG005: can the targets of a conditional edge or a Command not be known statically? A path function with no
// path map, no `Literal[...]` return annotation and returns that are not all literals, or a node returning
// `Command(goto=...)` with computed targets and no `Command[Literal[...]]` annotation or `destinations=`: LangGraph
// itself then assumes the run can go to every node (its drawn graph has an edge to each), and so must the
// analysis: a loop, a dead end or a skipped writer through that branch is invisible to every other rule.
// The frontend reports the parts of a graph it cannot read at all (a node or an edge named at run time) with
// this code too; this rule reports the nodes whose targets are unknown (`node.dynamic`).
import type { Rule } from './rule.ts';

export const AG005: Rule = {
  code: 'AG005',
  severity: 'warning',
  title: 'Code-defined graphs: can the targets of a conditional edge or a Command not be known statically?',
  check({ graph, report }) {
    const rt = graph.runtime;
    const fix = rt?.language === 'typescript'
      ? 'add a pathMap to addConditionalEdges, or ends: [...] to the addNode of a node that returns a Command'
      : 'add a path map to add_conditional_edges, a Literal[...] return annotation on the function (Command[Literal[...]] for a Command), or destinations= on its add_node';
    const framework = rt?.framework ?? 'the runtime';
    for (const node of graph.nodes.values()) {
      if (!node.dynamic) continue;
      const what = node.id === '__start__' ? 'the conditional entry point' : `node "${node.id}"`;
      report({
        range: node.dynamic,
        message:
          `the targets of the conditional edge or Command of ${what} cannot be known statically: ${framework} then assumes the run can go to every node, ` +
          `so loops, dead ends and missing state through it go unchecked until they happen in production; ${fix}`,
        data: { node: node.id },
      });
    }
  },
};
