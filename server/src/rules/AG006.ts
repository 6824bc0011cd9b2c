// AG006: does a node have a static edge and also send the run on with `Command(goto=...)`? LangGraph does not
// choose between them: after the node, it runs the static edge's target and the Command's target, both. The
// author usually meant the Command to replace the edge (a router that returns Command next to a leftover
// `add_edge`), and in production the "other" branch runs on every visit: a second answer, a duplicate tool call,
// a fan-out nobody joins.
import { END } from '../core/ir.ts';
import type { Rule } from './rule.ts';

export const AG006: Rule = {
  code: 'AG006',
  severity: 'warning',
  title: 'Code-defined graphs: does a node have a static edge and also return Command(goto=...), so that both successors run?',
  check({ graph, report }) {
    for (const node of graph.nodes.values()) {
      const commands = node.out.filter((t) => t.kind === 'command');
      // A static edge to END adds nothing to the Command's branch, and one to the only node the Command names
      // triggers that node once: neither runs anything the author did not mean.
      const statics = node.out.filter((t) => (t.kind === 'next' || t.kind === 'fanout') && t.to !== END && !commands.every((c) => c.to === t.to));
      if (statics.length === 0 || commands.length === 0) continue;
      const list = (ts: typeof statics) => [...new Set(ts.map((t) => `"${t.to}"`))].join(', ');
      const edge = statics.length === 1 ? `a static edge to ${list(statics)}` : `static edges to ${list(statics)}`;
      const add = graph.runtime?.language === 'typescript' ? 'addEdge' : 'add_edge';
      const first = statics[0];
      const runs = statics.length === 1 ? `"${first.to}" runs` : `${list(statics)} run`;
      report({
        range: first.range,
        message:
          `node "${node.id}" has ${edge} and also returns Command(goto=...) to ${list(commands)}: LangGraph runs both, the static edge's target and the Command's, ` +
          `so ${runs} on every visit even when the Command sends the run elsewhere; remove the ${add} from "${node.id}" and route only with the Command`,
        related: [
          ...statics.slice(1).map((t) => ({ message: `"${node.id}" also has a static edge to "${t.to}"`, range: t.range })),
          ...commands.map((t) => ({ message: `"${node.id}" sends the run to "${t.to}" (Command)`, range: t.range })),
        ],
        data: { node: node.id, statics: statics.map((t) => t.to), commands: commands.map((t) => t.to) },
      });
    }
  },
};
