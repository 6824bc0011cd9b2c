// AG601: does the graph lack `tracing`? Without it the runtime's spans do not say which node they belong to, so
// when a run fails, loops or costs ten times its budget in production there is no way to tell where.
import type { Rule } from './rule.ts';
import { needsOverlay, overlayFix } from './fixWording.ts';

export const AG601: Rule = {
  code: 'AG601',
  severity: 'info',
  title: 'Does the graph lack tracing?',
  check({ graph, report }) {
    // A `tracing` key of the wrong shape is AG001's.
    if (graph.tracing || graph.keys.has('tracing')) return;
    const range = graph.name?.range ?? graph.keys.get('agentgraph') ?? graph.root;
    report({
      range,
      message: `graph${graph.name ? ` "${graph.name.value}"` : ''} has no tracing: failures, loops and cost spikes in production cannot be traced to a node; ${
        needsOverlay(graph) ? overlayFix(graph, 'tracing: { exporter: otlp, node_attribute: langgraph_node }') : 'add tracing: { exporter: otlp, node_attribute: <span attribute> }'
      }`,
      data: { missing: 'tracing' },
    });
  },
};
