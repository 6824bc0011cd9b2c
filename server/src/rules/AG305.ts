// AG305: TODO (stub, to be written).
import type { Rule } from './rule.ts';

export const AG305: Rule = {
  code: 'AG305',
  severity: 'warning',
  title: 'Does a tool lack a timeout?',
  check() {},
};
