// AG201: TODO (stub, to be written).
import type { Rule } from './rule.ts';

export const AG201: Rule = {
  code: 'AG201',
  severity: 'error',
  title: 'Is there a loop with no max_visits on any of its nodes and no budget.steps?',
  check() {},
};
