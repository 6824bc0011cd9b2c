// The extension host side: starts the AgentGraph language server for agent graph files and registers the
// commands. The work lives in the server; this file only wires VS Code to it.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

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
    ],
    synchronize: {
      configurationSection: 'agentgraph',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.agentgraph.{yaml,yml,json},agentgraph.config.json}'),
    },
  };
  client = new LanguageClient('agentgraph', 'AgentGraph', serverOptions, clientOptions);
  await client.start();
  context.subscriptions.push(client);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
