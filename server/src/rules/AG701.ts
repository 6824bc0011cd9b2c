// AG701: TODO (stub, to be written).
import type { Rule } from './rule.ts';

export const AG701: Rule = {
  code: 'AG701',
  severity: 'info',
  title: 'Does the graph lack success criteria?',
  check() {},
};
