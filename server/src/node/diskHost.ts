// Reads graph files and project config files from disk, for the CLI and for files the editor has not opened.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import type { FileHost } from '../analysis/workspace.ts';
import { pathToUri, uriToPath } from '../core/uris.ts';
import { join } from 'node:path';

/** Larger files are not read at all; the frontend reports any file over its own limit. */
const MAX_READ_BYTES = 64 * 1024 * 1024;

export const diskHost: FileHost = {
  read(uri: string): string | undefined {
    try {
      const path = uriToPath(uri);
      const st = statSync(path);
      if (!st.isFile()) return undefined;
      if (st.size > MAX_READ_BYTES) return '\u0000'.repeat(16);
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  list(folderUri: string): readonly string[] {
    try {
      const dir = uriToPath(folderUri);
      return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => pathToUri(join(dir, e.name)));
    } catch {
      return [];
    }
  },
};
