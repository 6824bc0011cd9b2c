// AG205: TODO (stub, to be written).
import type { Rule } from './rule.ts';

export const AG205: Rule = {
  code: 'AG205',
  severity: 'error',
  title: 'Does an agent node lack max_iterations?',
  check() {},
};
