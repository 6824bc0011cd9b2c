// AG601: TODO (stub, to be written).
import type { Rule } from './rule.ts';

export const AG601: Rule = {
  code: 'AG601',
  severity: 'info',
  title: 'Does the graph lack tracing?',
  check() {},
};
