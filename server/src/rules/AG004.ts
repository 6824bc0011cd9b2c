// AG004: TODO (stub, to be written).
import type { Rule } from './rule.ts';

export const AG004: Rule = {
  code: 'AG004',
  severity: 'error',
  title: 'Can every reachable node still reach END?',
  check() {},
};
