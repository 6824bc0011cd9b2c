// The extension host side: starts the AgentGraph language server for agent graph files and Python modules (a
// LangGraph graph is code; the server leaves a module without one alone) and registers the commands. The work lives in the server; this file only wires VS Code to it.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { graphPanelFeature } from './graphPanel.ts';
import { graphSourcesFeature } from './graphSources.ts';
import { readinessFeature } from './readiness.ts';
import { tracesFeature } from './traces.ts';
import type { ClientFeature } from './context.ts';

let client: LanguageClient | undefined;

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
      { scheme: 'file', language: 'python' },
    ],
    synchronize: {
      configurationSection: 'agentgraph',
      // Python modules too: a graph may use a subgraph built in another module.
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.agentgraph.{yaml,yml,json},agentgraph.config.json,*.py}'),
    },
  };
  client = new LanguageClient('agentgraph', 'AgentGraph', serverOptions, clientOptions);
  context.subscriptions.push(client);
  for (const feature of FEATURES) feature(context, client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
