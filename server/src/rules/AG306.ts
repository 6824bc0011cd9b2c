// AG306: does a tool with an external effect lack a rate limit? Retries, fan-out and parallel runs multiply
// the calls to a partner API: without a declared rate_limit nothing throttles them, the provider starts
// answering 429 and every run that shares the key fails at once (or, for writes, its quota is burnt).
import type { Rule } from './rule.ts';

export const AG306: Rule = {
  code: 'AG306',
  severity: 'info',
  title: 'Does a tool with an external effect lack a rate_limit?',
  check({ graph, report }) {
    for (const tool of graph.tools.values()) {
      // effect: none is local; a tool that does not say its effect is left to the reader.
      if ((tool.effect !== 'read' && tool.effect !== 'write') || tool.rateLimit !== undefined) continue;
      report({
        range: tool.range,
        message: `tool "${tool.name}" has a ${tool.effect} effect but no rate_limit: retries and parallel runs can exceed the provider's quota and fail every run at once; add rate_limit (such as 10/s)`,
        data: { tool: tool.name, effect: tool.effect },
      });
    }
  },
};
