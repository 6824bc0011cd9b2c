// Finds the agent graph files under the workspace folders for a workspace-wide readiness check. Asynchronous and
// cancellable, so that a large monorepo does not hold the language server; skips the folders `check` skips.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isAgentGraphFile } from '../frontends/yaml/frontend.ts';
import { isGraphSource, mayHoldGraph } from '../frontends/index.ts';
import { pathToUri, uriToPath } from '../core/uris.ts';
import type { Cancellation } from '../analysis/workspace.ts';
import { LANGGRAPH_JSON } from '../frontends/langgraph/langgraphJson.ts';

const SKIP_DIRS = new Set(['node_modules', 'dist', 'out', 'venv', 'site-packages', '__pycache__', 'build']);
/** Past this many files the search stops and says so; a workspace that large needs the CLI on a subfolder. */
export const MAX_GRAPH_FILES = 5000;

export interface Found {
  /** File URIs, sorted. */
  readonly uris: string[];
  /** Folders that could not be read, and a note when the search stopped early. */
  readonly problems: string[];
  /** The langgraph.json files found on the way (LangGraph deployment configs), sorted. */
  readonly configs: string[];
}

export async function findGraphFiles(folderUris: readonly string[], cancel: Cancellation): Promise<Found> {
  const found = new Set<string>();
  const configs = new Set<string>();
  const problems: string[] = [];
  for (const folder of folderUris) {
    if (!folder.startsWith('file:')) {
      problems.push(`${folder}: only folders on disk are searched`);
      continue;
    }
    const stack = [uriToPath(folder)];
    let visited = 0;
    while (stack.length > 0 && !cancel.cancelled) {
      const dir = stack.pop()!;
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (e) {
        if (visited === 0) problems.push(`${dir}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
        continue;
      } finally {
        visited++;
      }
      for (const e of entries) {
        if (e.isDirectory()) {
          // Dot folders (.git, .vscode-test...) hold no graphs the user wrote.
          if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) stack.push(join(dir, e.name));
        } else if (e.isFile() && e.name === LANGGRAPH_JSON) {
          configs.add(pathToUri(join(dir, e.name)));
        } else if (e.isFile() && (isAgentGraphFile(e.name) || (isGraphSource(e.name) && mayHoldGraph(e.name, await readFile(join(dir, e.name), 'utf8').catch(() => ''))))) {
          found.add(pathToUri(join(dir, e.name)));
          if (found.size >= MAX_GRAPH_FILES) {
            problems.push(`the search stopped at ${MAX_GRAPH_FILES} graph files: check a subfolder with \`agentgraph readiness <folder>\``);
            return { uris: [...found].sort(), problems, configs: [...configs].sort() };
          }
        }
      }
    }
  }
  return { uris: [...found].sort(), problems, configs: [...configs].sort() };
}
