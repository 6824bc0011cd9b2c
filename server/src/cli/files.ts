// Expands the paths, folders and globs given on the command line into agent graph files.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { isGraphSource, mayHoldGraph } from '../frontends/index.ts';
import { isAgentGraphFile } from '../frontends/yaml/frontend.ts';
import { isLanggraphJson } from '../frontends/langgraph/langgraphJson.ts';

/** Folders that hold no graph the user wrote: dependencies, virtual environments, build output. */
export const SKIP_DIRS = new Set(['node_modules', '.git', '.vscode-test', 'dist', 'out', '.venv', 'venv', 'site-packages', '__pycache__', 'build', '.next', '.tox']);

/** A file found in a folder is checked when it is an agent graph file, or source code that passes its frontend's pre-check. */
export function holdsGraph(path: string): boolean {
  if (isAgentGraphFile(path)) return true;
  if (!isGraphSource(path)) return false;
  try {
    return mayHoldGraph(path, readFileSync(path, 'utf8'));
  } catch {
    return false;
  }
}

export interface Expanded {
  readonly files: string[];
  /** Arguments that matched nothing or could not be read, with the reason. */
  readonly problems: string[];
}

/**
 * `configs`: folders yield their langgraph.json files too (`check` reports the entries a deployment could not
 * load; the caller adds the files they name).
 */
export function expandInputs(inputs: readonly string[], cwd = process.cwd(), options: { configs?: boolean } = {}): Expanded {
  const files = new Set<string>();
  const problems: string[] = [];
  for (const input of inputs.length > 0 ? inputs : ['.']) {
    if (picomatch.scan(input).isGlob) {
      const { base, glob } = picomatch.scan(input);
      const root = resolve(cwd, base || '.');
      const match = picomatch(glob, { dot: false });
      const found = walk(root).filter((f) => match(relative(root, f).split(sep).join('/')) && (isAgentGraphFile(f) || holdsGraph(f)));
      if (found.length === 0) problems.push(`${input}: no file matches`);
      found.forEach((f) => files.add(f));
      continue;
    }
    const path = resolve(cwd, input);
    let st;
    try {
      st = statSync(path);
    } catch {
      problems.push(`${input}: no such file or folder`);
      continue;
    }
    if (st.isDirectory()) {
      const found = walk(path).filter((f) => holdsGraph(f) || (options.configs === true && isLanggraphJson(f)));
      if (found.length === 0) problems.push(`${input}: no agent graph in this folder (no *.agentgraph.yaml, .yml or .json file, no Python module that builds a StateGraph)`);
      found.forEach((f) => files.add(f));
    } else files.add(path);
  }
  return { files: [...files].sort(), problems };
}

function walk(dir: string): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop()!;
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) stack.push(join(d, e.name));
      } else if (e.isFile()) out.push(join(d, e.name));
    }
  }
  return out;
}
