// AG301: TODO (stub, to be written).
import type { Rule } from './rule.ts';

export const AG301: Rule = {
  code: 'AG301',
  severity: 'warning',
  title: 'Does the graph lack both budget.usd and budget.tokens?',
  check() {},
};
