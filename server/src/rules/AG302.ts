// AG302: does a model call lack an output cap? max_output_tokens is the hard cap sent to the provider: without
// it a model that rambles (or loops on a repeated phrase) generates up to its own limit on every call, the
// most expensive tokens there are, and the worst-case cost of the run cannot be bounded.
import type { Rule } from './rule.ts';
import { wording } from './fixWording.ts';

export const AG302: Rule = {
  code: 'AG302',
  severity: 'warning',
  title: 'Does an llm or agent node lack max_output_tokens?',
  check({ graph, report }) {
    for (const node of graph.nodes.values()) {
      if ((node.kind !== 'llm' && node.kind !== 'agent') || node.maxOutputTokens !== undefined) continue;
      const calls = node.model ? `calls model "${node.model.value}"` : 'calls a model';
      report({
        range: node.range,
        message: wording(
          graph,
          `node "${node.id}" ${calls} without max_output_tokens: each call may generate up to the model's own limit, so its cost has no ceiling and cost analysis counts its output as zero; add max_output_tokens`,
          (rt) =>
            `node "${node.id}" ${calls} without an output cap: each call may generate up to the model's own limit, so its cost has no ceiling and cost analysis counts its output as zero; ` +
            `set ${rt.language === 'python' ? 'max_tokens' : 'maxTokens'} on the model constructor`,
        ),
        data: { node: node.id, field: 'max_output_tokens', after: node.fields.get('model') ?? node.fields.get('kind') ?? null },
      });
    }
  },
};
