// AG204: TODO (stub, to be written).
import type { Rule } from './rule.ts';

export const AG204: Rule = {
  code: 'AG204',
  severity: 'error',
  title: 'Is there a loop that no transition leaves?',
  check() {},
};
