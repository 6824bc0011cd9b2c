// Bundles the extension client, the language server and the CLI with esbuild, and writes the JSON Schema
// generated from the zod schema (the one source of truth) to schema/agentgraph.schema.json.
import * as esbuild from 'esbuild';
import { writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse((await import('node:fs')).readFileSync(join(root, 'package.json'), 'utf8'));
const production = process.argv.includes('--production');
const schemaOnly = process.argv.includes('--schema-only');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
  define: { __VERSION__: JSON.stringify(pkg.version) },
};

async function writeSchema() {
  const out = join(root, 'dist', 'gen-schema.cjs');
  await esbuild.build({ ...common, sourcemap: false, minify: false, entryPoints: ['server/src/frontends/yaml/jsonSchema.ts'], outfile: out });
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const { agentGraphJsonSchema } = require(out);
  mkdirSync(join(root, 'schema'), { recursive: true });
  writeFileSync(join(root, 'schema', 'agentgraph.schema.json'), JSON.stringify(agentGraphJsonSchema(), null, 2) + '\n');
}

await writeSchema();
if (!schemaOnly) {
  await Promise.all([
    esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
    esbuild.build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js' }),
    esbuild.build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' }, external: ['@resvg/resvg-js'] }),
    // The graph panel's webview: its page script, the layout worker (elkjs) and the stylesheet.
    esbuild.build({ ...common, platform: 'browser', target: 'chrome114', format: 'iife', entryPoints: ['webview/src/main.ts', 'webview/src/layoutWorker.ts', 'webview/src/graph.css'], outdir: 'dist/webview' }),
  ]);
  chmodSync(join(root, 'dist', 'cli.js'), 0o755);
}
