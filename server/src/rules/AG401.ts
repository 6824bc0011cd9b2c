// AG401: TODO (stub, to be written).
import type { Rule } from './rule.ts';

export const AG401: Rule = {
  code: 'AG401',
  severity: 'warning',
  title: 'Does a node with a write tool run without approval: human or a policy that covers it?',
  check() {},
};
