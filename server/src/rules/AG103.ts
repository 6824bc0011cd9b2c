// AG103: TODO (stub, to be written).
import type { Rule } from './rule.ts';

export const AG103: Rule = {
  code: 'AG103',
  severity: 'warning',
  title: 'Is a non-idempotent write tool retried (duplicate side effects)?',
  check() {},
};
