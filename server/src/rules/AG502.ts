// AG502: TODO (stub, to be written).
import type { Rule } from './rule.ts';

export const AG502: Rule = {
  code: 'AG502',
  severity: 'warning',
  title: 'Does a node read, or a handoff pass, a key that is not guaranteed on every path to it?',
  check() {},
};
