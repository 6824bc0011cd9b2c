// AG304: TODO (stub, to be written).
import type { Rule } from './rule.ts';

export const AG304: Rule = {
  code: 'AG304',
  severity: 'info',
  title: 'Is cost unknown because a model used by a node has no price?',
  check() {},
};
