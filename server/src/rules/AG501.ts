// AG501: does a handoff or subgraph node lack `passes`? Without a contract the receiver (a team's queue, another
// agent, a subgraph) gets whatever state happens to exist: it works in the demo and then a person opens an
// escalation with no ticket attached. For a subgraph whose file resolves, the keys it declares `input: true`
// are its contract: `passes` must include each of them.
import type { Rule } from './rule.ts';

export const AG501: Rule = {
  code: 'AG501',
  severity: 'warning',
  title: 'Does a handoff or subgraph node lack passes?',
  check({ graph, subgraph, report }) {
    for (const node of graph.nodes.values()) {
      if (node.kind !== 'handoff' && node.kind !== 'subgraph') continue;
      const info = node.kind === 'subgraph' ? subgraph(node) : undefined;
      const inputs = info?.status === 'ok' ? [...info.graph.state.values()].filter((s) => s.input) : [];
      if (node.passes === undefined) {
        const receiver = node.kind === 'handoff' ? `receiver "${node.to?.value ?? '?'}"` : `subgraph "${node.graph?.value ?? '?'}"`;
        const needs = inputs.length > 0 ? ` (it needs ${inputs.map((s) => `"${s.name}"`).join(', ')})` : '';
        report({
          range: node.range,
          message:
            `${node.kind} node "${node.id}" has no passes: ${receiver} gets no defined state${needs} and fails or guesses in production; ` +
            `list the keys it must receive in passes`,
          data: { node: node.id, kind: node.kind, inputs: inputs.map((s) => s.name) },
        });
        continue;
      }
      const passed = new Set(node.passes.map((p) => p.value));
      for (const input of inputs) {
        if (passed.has(input.name)) continue;
        report({
          range: node.fields.get('passes') ?? node.range,
          message:
            `subgraph node "${node.id}" does not pass "${input.name}", which "${node.graph!.value}" declares input: true: ` +
            `the subgraph starts without it and fails or guesses; add "${input.name}" to passes`,
          related: info?.status === 'ok' ? [{ message: `"${input.name}" is declared input: true here`, range: input.range, uri: info.uri }] : [],
          data: { node: node.id, kind: node.kind, missingInput: input.name },
        });
      }
    }
  },
};
