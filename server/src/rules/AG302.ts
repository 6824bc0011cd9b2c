// AG302: TODO (stub, to be written).
import type { Rule } from './rule.ts';

export const AG302: Rule = {
  code: 'AG302',
  severity: 'warning',
  title: 'Does an llm or agent node lack max_output_tokens?',
  check() {},
};
