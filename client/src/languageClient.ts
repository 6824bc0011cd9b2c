// The extension's language client: vscode-languageclient's, with one difference at shutdown.
//
// When a window closes or switches folders, VS Code still asks the closing window's providers (code actions, for
// the cursor's line) while it deactivates the extension. Such a request enters `sendRequest` while the client
// runs; before it gets the connection, `deactivate` stops the client, and the library then fails the request with
// "Starting server failed", logs "Request textDocument/codeAction failed." (with an error notification) and
// rethrows, so that the extension host logs "provider FAILED" too. Nobody waits for that answer any more: a
// request that fails once the client is being stopped answers with the provider's empty result, silently.
import { LanguageClient, type MessageSignature } from 'vscode-languageclient/node';
import type * as vscode from 'vscode';

export class AgentGraphLanguageClient extends LanguageClient {
  /** Set by `stop` (and `dispose`, which stops): from then on no request's failure is news. */
  private stopping = false;

  override start(): Promise<void> {
    this.stopping = false;
    return super.start();
  }

  override stop(timeout?: number): Promise<void> {
    this.stopping = true;
    return super.stop(timeout);
  }

  override handleFailedRequest<T>(type: MessageSignature, token: vscode.CancellationToken | undefined, error: unknown, defaultValue: T, showNotification?: boolean, throwOnCancel?: boolean): T {
    if (this.stopping) return defaultValue;
    return super.handleFailedRequest(type, token, error, defaultValue, showNotification, throwOnCancel);
  }
}
