// File identity: the core names files by URI strings (file:///...), as LSP does; the CLI converts paths.
import { URI, Utils } from 'vscode-uri';

export function pathToUri(path: string): string {
  return URI.file(path).toString();
}

export function uriToPath(uri: string): string {
  return URI.parse(uri).fsPath;
}

/** Resolves a path written in a graph file relative to that file's folder. */
export function resolveRelative(fromUri: string, relative: string): string {
  const base = URI.parse(fromUri);
  if (relative.startsWith('/')) return base.with({ path: relative }).toString();
  return Utils.joinPath(Utils.dirname(base), relative).toString();
}

export function dirnameUri(uri: string): string {
  return Utils.dirname(URI.parse(uri)).toString();
}

/** The file name of a URI, for messages. */
export function basename(uri: string): string {
  return Utils.basename(URI.parse(uri));
}
