// AG306: TODO (stub, to be written).
import type { Rule } from './rule.ts';

export const AG306: Rule = {
  code: 'AG306',
  severity: 'info',
  title: 'Does a tool with an external effect lack a rate_limit?',
  check() {},
};
