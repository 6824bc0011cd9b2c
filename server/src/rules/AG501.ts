// AG501: TODO (stub, to be written).
import type { Rule } from './rule.ts';

export const AG501: Rule = {
  code: 'AG501',
  severity: 'warning',
  title: 'Does a handoff or subgraph node lack passes?',
  check() {},
};
