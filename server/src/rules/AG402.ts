// AG402: does classified data reach a model that does not allow it? A key declared `data: [pii]` taints every
// key computed from it; when a node reads such a key and calls a model not cleared for the class (including a
// fallback model, which only runs on the bad day nobody tests), customer data leaves for a provider that it
// must not reach, with no error at all.
// Policies `{ data: [...], require: model_allows }` state this same requirement: the rule applies whether such a
// policy exists or not (it never silences the rule); when one exists, the diagnostic names it.
import type { RelatedInfo } from '../core/diagnostic.ts';
import type { Rule } from './rule.ts';

export const AG402: Rule = {
  code: 'AG402',
  severity: 'warning',
  title: 'Does classified data reach a model that does not allow it?',
  check({ graph, q, report }) {
    for (const node of graph.nodes.values()) {
      if (node.kind !== 'llm' && node.kind !== 'agent') continue;
      const classes = q.classesAt(node.id);
      if (classes.size === 0) continue;
      const models = [...(node.model ? [{ ref: node.model, role: 'model' }] : []), ...node.fallbackModels.map((ref) => ({ ref, role: 'fallback model' }))];
      for (const { ref, role } of models) {
        const profile = graph.models.get(ref.value);
        if (!profile) continue; // an unknown model is AG002's
        for (const [cls, key] of classes) {
          if (profile.allows.includes(cls)) continue;
          const policy = graph.policies.find((p) => p.require === 'model_allows' && p.data.includes(cls));
          const read = node.reads.find((r) => r.key === key)!;
          const related: RelatedInfo[] = [
            { message: `"${node.id}" reads "${key}" here`, range: read.range },
            ...[...graph.state.values()]
              .filter((s) => s.data.includes(cls))
              .map((s) => ({ message: `"${cls}" is declared on state key "${s.name}"`, range: s.range })),
          ];
          report({
            range: ref.range,
            message:
              `node "${node.id}" sends "${cls}" data (via "${key}") to ${role} "${ref.value}", which does not allow it` +
              (policy ? `, breaking policy "${policy.id ?? cls}"` : '') +
              `: classified data leaves for a provider not cleared for it; use a model whose allows lists "${cls}", or stop reading "${key}"`,
            related,
            data: { node: node.id, model: ref.value, dataClass: cls, key, ...(policy?.id ? { policy: policy.id } : {}) },
          });
        }
      }
    }
  },
};
