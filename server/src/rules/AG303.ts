// AG303: TODO (stub, to be written).
import type { Rule } from './rule.ts';

export const AG303: Rule = {
  code: 'AG303',
  severity: 'warning',
  title: 'Does the worst-case run exceed budget.usd or budget.tokens?',
  check() {},
};
