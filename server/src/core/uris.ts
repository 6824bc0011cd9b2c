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

/** A file of a folder. */
export function childUri(folderUri: string, name: string): string {
  return Utils.joinPath(URI.parse(folderUri), name).toString();
}

export function dirnameUri(uri: string): string {
  return Utils.dirname(URI.parse(uri)).toString();
}

/** The file name of a URI, for messages. */
export function basename(uri: string): string {
  return Utils.basename(URI.parse(uri));
}

// Graph addresses: a file's URI names its main graph; `uri#name` names one graph of a file that holds several
// (a Python module with a graph and its subgraphs). A `#` inside a file URI's path is always encoded (%23).

/** The file part of a graph address. */
export function fileOf(address: string): string {
  const i = address.indexOf('#');
  return i < 0 ? address : address.slice(0, i);
}

/** The graph name of an address, undefined for a file's main graph. */
export function graphNameOf(address: string): string | undefined {
  const i = address.indexOf('#');
  return i < 0 || i === address.length - 1 ? undefined : decodeURIComponent(address.slice(i + 1));
}

/**
 * Resolves a graph reference written in a file: `./kyc.agentgraph.yaml` (a file's main graph), `#name` (a
 * graph of the same file) or `./other.py#name`.
 */
export function resolveGraphRef(fromUri: string, ref: string): string {
  const i = ref.indexOf('#');
  const file = i < 0 ? ref : ref.slice(0, i);
  const base = file === '' ? fileOf(fromUri) : resolveRelative(fileOf(fromUri), file);
  return i < 0 ? base : `${base}#${encodeURIComponent(ref.slice(i + 1))}`;
}
