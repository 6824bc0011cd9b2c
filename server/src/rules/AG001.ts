// AG001: is the document valid against the format? The YAML/JSON frontend reports it (syntax errors, wrong
// types, missing or unknown keys, `next` with `routes`) because only the frontend sees the source as
// written; this entry gives the code its place in the catalog, its severity and its doc.
import type { Rule } from './rule.ts';

export const AG001: Rule = {
  code: 'AG001',
  severity: 'error',
  title: 'Is the document valid against the format?',
  check() {},
};
