// AG101: TODO (stub, to be written).
import type { Rule } from './rule.ts';

export const AG101: Rule = {
  code: 'AG101',
  severity: 'warning',
  title: 'Does every node that can fail have a recovery path (on_error)?',
  check() {},
};
