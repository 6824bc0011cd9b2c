// AG203: TODO (stub, to be written).
import type { Rule } from './rule.ts';

export const AG203: Rule = {
  code: 'AG203',
  severity: 'warning',
  title: 'Does a loop guard (max_visits) lack on_exhausted?',
  check() {},
};
