// AG202: TODO (stub, to be written).
import type { Rule } from './rule.ts';

export const AG202: Rule = {
  code: 'AG202',
  severity: 'warning',
  title: 'Is a loop bounded only by budget.steps, so that it ends by failing the run?',
  check() {},
};
