// The pages a user reads cite pages the repository has: no RULES.md, FORMAT.md or LANGGRAPH.md (the names of
// the specification the project was written from, which it does not ship), and every relative link resolves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// docs/architecture.md is the developers' page; the user's pages are these.
const PAGES = ['README.md', 'docs/format.md', 'docs/readiness.md', 'docs/traces.md', ...readdirSync('docs/rules').map((f) => join('docs/rules', f))];

for (const page of PAGES.filter((p) => existsSync(p))) {
  test(`${page} cites only pages the repository has`, () => {
    const text = readFileSync(page, 'utf8');
    const lines = text.split('\n');
    const stale = lines.flatMap((l, i) => (/\b(RULES|FORMAT|LANGGRAPH)\.md\b/.test(l) ? [`${page}:${i + 1}: ${l.trim()}`] : []));
    assert.deepEqual(stale, []);
    for (const [, target] of text.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)) {
      if (/^[a-z]+:/i.test(target)) continue;
      assert.ok(existsSync(join(dirname(page), target)), `${page} links to ${target}, which does not exist`);
    }
  });
}
