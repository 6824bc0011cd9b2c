// AG102: TODO (stub, to be written).
import type { Rule } from './rule.ts';

export const AG102: Rule = {
  code: 'AG102',
  severity: 'info',
  title: 'Does every node that calls out retry transient failures, or say retry: none?',
  check() {},
};
