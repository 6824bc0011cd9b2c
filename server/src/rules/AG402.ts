// AG402: TODO (stub, to be written).
import type { Rule } from './rule.ts';

export const AG402: Rule = {
  code: 'AG402',
  severity: 'warning',
  title: 'Does classified data reach a model that does not allow it?',
  check() {},
};
