// The rule pages shipped with AgentGraph (docs/rules/<CODE>.md in the extension and the npm package): a
// finding's code opens the page of the installed version, offline, rather than a web address.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToUri } from '../core/uris.ts';

let found: string | null | undefined;

/** The folder of the rule pages: `docs/rules` beside the bundle's folder (dist/), or above the sources in a checkout. */
export function ruleDocsDir(): string | undefined {
  if (found === undefined) {
    found = null;
    for (let dir = __dirname, i = 0; i < 4; i++, dir = dirname(dir)) {
      const candidate = join(dir, 'docs', 'rules');
      if (existsSync(join(candidate, 'AG001.md'))) {
        found = candidate;
        break;
      }
    }
  }
  return found ?? undefined;
}

/** The `file:` URI of a rule's page, when it is installed. */
export function ruleDocUri(code: string): string | undefined {
  const dir = ruleDocsDir();
  if (!dir || !/^AG\d{3}$/.test(code)) return undefined;
  const path = join(dir, `${code}.md`);
  return existsSync(path) ? pathToUri(path) : undefined;
}

/** The text of a rule's page, when it is installed. */
export function ruleDocText(code: string): string | undefined {
  const uri = ruleDocUri(code);
  if (!uri) return undefined;
  try {
    return readFileSync(join(ruleDocsDir()!, `${code}.md`), 'utf8');
  } catch {
    return undefined;
  }
}
