// AG002: TODO (stub, to be written).
import type { Rule } from './rule.ts';

export const AG002: Rule = {
  code: 'AG002',
  severity: 'error',
  title: 'Does every reference resolve: targets, entry, on_error, on_exhausted, models, tools, state keys, graph files?',
  check() {},
};
