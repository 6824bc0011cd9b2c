// AG601 (tracing) and AG701 (success criteria): where a missing section is reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintText } from '../../support/lint.ts';

function found(text: string, code: string) {
  return lintText(text).diagnostics.filter((d) => d.code === code).map((d) => text.slice(d.range.start, d.range.end));
}
const body = `entry: a\nnodes:\n  a: { kind: function, next: END }\n`;

const cases: [string, string, string, string[]][] = [
  ['AG601', 'missing: at the name value', `agentgraph: 1\nname: faq\n${body}`, ['faq']],
  ['AG601', 'no name: at the agentgraph key', `agentgraph: 1\n${body}`, ['agentgraph']],
  ['AG601', 'present', `agentgraph: 1\nname: faq\n${body}tracing: { exporter: jsonl }\n`, []],
  ['AG601', 'wrong shape is AG001s', `agentgraph: 1\nname: faq\n${body}tracing: yes\n`, []],
  ['AG701', 'missing: at the name value', `agentgraph: 1\nname: faq\n${body}`, ['faq']],
  ['AG701', 'empty list: at the success key', `agentgraph: 1\nname: faq\n${body}success: []\n`, ['success']],
  ['AG701', 'present', `agentgraph: 1\nname: faq\n${body}success:\n  - { metric: m, target: ">= 1" }\n`, []],
  ['AG701', 'wrong shape: AG001, and no criteria at the key', `agentgraph: 1\nname: faq\n${body}success: lots\n`, ['success']],
];
for (const [code, name, text, expected] of cases) test(`${code}: ${name}`, () => assert.deepEqual(found(text, code), expected));
