// The extension host side: starts the AgentGraph language server for agent graph files and Python, TypeScript and
// JavaScript modules (a LangGraph graph is code; the server leaves a module without one alone, and a `.d.ts` or a
// library's code too) and registers the commands. The work lives in the server; this file only wires VS Code to it.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { AgentGraphLanguageClient } from './languageClient.ts';
import { graphPanelFeature } from './graphPanel.ts';
import { graphSourcesFeature, isCodeFileName } from './graphSources.ts';
import { readinessFeature } from './readiness.ts';
import { tracesFeature } from './traces.ts';
import type { ClientFeature } from './context.ts';

let client: AgentGraphLanguageClient | undefined;

/** The files whose changes on disk the server hears of: graph files, the project config, langgraph.json, code modules. */
const WATCHED = '**/{*.agentgraph.{yaml,yml,json},agentgraph.config.json,langgraph.json,*.{py,ts,tsx,js,jsx,mjs,cjs,mts,cts}}';
/** Folders of installed or generated code: never a graph of the project (the CLI skips them too). */
const NOT_WATCHED = /\/(node_modules|site-packages|\.venv|venv|\.git)\//;
const GRAPH_NAMES = /(\.agentgraph\.(ya?ml|json)|\/agentgraph\.config\.json|\/langgraph\.json)$/i;

/** Whether the server hears of this file's change on disk (`.d.ts` files, read by no frontend, are left out too). */
function isWatched(uri: string): boolean {
  const path = uri.replace(/[?#].*$/, '');
  if (NOT_WATCHED.test(path)) return false;
  return GRAPH_NAMES.test(path) || isCodeFileName(path);
}

/**
 * Client features (commands, views, status bar items): each registers what it adds and pushes its disposables
 * onto the context's subscriptions. One line each.
 */
const FEATURES: ClientFeature[] = [
  graphSourcesFeature,
  graphPanelFeature,
  readinessFeature,
  tracesFeature,
];

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'agentgraph-yaml' },
      { scheme: 'file', language: 'agentgraph-json' },
      { scheme: 'file', pattern: '**/*.agentgraph.{yaml,yml,json}' },
      // LangGraph's deployment config, in its own JSON language: the server adds the findings about the graphs it names.
      { scheme: 'file', pattern: '**/langgraph.json' },
      { scheme: 'file', language: 'python' },
      // Every TypeScript and JavaScript file is sent, as every Python file is: the server's pre-check drops at no
      // cost the many that never mention StateGraph (and `.d.ts` files, and node_modules).
      { scheme: 'file', language: 'typescript' },
      { scheme: 'file', language: 'typescriptreact' },
      { scheme: 'file', language: 'javascript' },
      { scheme: 'file', language: 'javascriptreact' },
    ],
    synchronize: {
      configurationSection: 'agentgraph',
      // Code modules too: a graph may use a subgraph built in another module.
      fileEvents: vscode.workspace.createFileSystemWatcher(WATCHED),
    },
    middleware: {
      workspace: {
        // A glob cannot leave folders out: an `npm install` or a build would send thousands of events the server
        // has no use for. Only the project's own graph sources, config and modules are passed on.
        didChangeWatchedFile: (event, next) => (isWatched(event.uri) ? next(event) : Promise.resolve()),
      },
    },
  };
  client = new AgentGraphLanguageClient('agentgraph', 'AgentGraph', serverOptions, clientOptions);
  context.subscriptions.push(client);
  for (const feature of FEATURES) feature(context, client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
