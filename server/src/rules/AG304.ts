// AG304: is cost unknown because a model has no price? Calls to an unpriced model count as free, so the
// worst-case figure understates the run and a budget check (AG303) may pass a graph that will be cut off
// in production. A price of 0 is a valid answer for a self-hosted model; silence is not.
import type { Rule } from './rule.ts';
import { needsOverlay, overlayFix } from './fixWording.ts';

export const AG304: Rule = {
  code: 'AG304',
  severity: 'info',
  title: 'Is cost unknown because a model used by a node has no price?',
  check({ graph, worstCase, report }) {
    // Only models that a reachable node calls; a model named but not declared is AG002.
    for (const [name, nodes] of worstCase().unpriced) {
      const model = graph.models.get(name);
      if (!model) continue;
      const missing = [
        model.inputUsdPerMtok === undefined ? 'input_usd_per_mtok' : undefined,
        model.outputUsdPerMtok === undefined ? 'output_usd_per_mtok' : undefined,
      ].filter((m) => m !== undefined);
      const callers = nodes.map((id) => `"${id}"`).join(', ');
      report({
        range: model.range,
        message: `model "${name}" has no ${missing.join(' or ')}: the calls of ${callers} count as free, so the worst-case cost understates the run and budget checks may pass a graph that overruns; ${
          needsOverlay(graph)
            ? `the bundled price table does not know it: ${overlayFix(graph, `models: { ${name}: { ${missing.map((m) => `${m}: ...`).join(', ')} } }`)} (0 for a self-hosted model)`
            : `add ${missing.length > 1 ? 'both prices' : 'the price'} (0 for a self-hosted model)`
        }`,
        related: nodes.map((id) => ({ message: `node "${id}" calls model "${name}"`, range: graph.nodes.get(id)!.range })),
        data: { model: name, missing, nodes: [...nodes] },
      });
    }
  },
};
