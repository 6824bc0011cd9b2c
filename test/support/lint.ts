// Test helpers: analyse text or files with the real workspace and render findings as the CLI prints them.
import { resolve } from 'node:path';
import { Workspace, type FileHost } from '../../server/src/analysis/workspace.ts';
import { diskHost } from '../../server/src/node/diskHost.ts';
import { pathToUri } from '../../server/src/core/uris.ts';
import type { AgDiagnostic } from '../../server/src/core/diagnostic.ts';

/** Analyses one in-memory document (other files, such as subgraphs, are read from disk around `path`). */
export function lintText(text: string, path = resolve('test/fixtures/inline.agentgraph.yaml')) {
  const uri = pathToUri(resolve(path));
  const host: FileHost = { read: (u) => (u === uri ? text : diskHost.read(u)) };
  const ws = new Workspace(host);
  return ws.analyze(uri);
}

export function lintFile(path: string) {
  return new Workspace(diskHost).analyze(pathToUri(resolve(path)));
}

export function codes(ds: readonly AgDiagnostic[]): string[] {
  return ds.filter((d) => !d.suppressed).map((d) => d.code);
}
