// AG104: TODO (stub, to be written).
import type { Rule } from './rule.ts';

export const AG104: Rule = {
  code: 'AG104',
  severity: 'warning',
  title: 'Can a recovery target itself fail with nothing behind it, or lead back into the failing node without a bound?',
  check() {},
};
