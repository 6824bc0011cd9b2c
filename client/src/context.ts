// What the extension entry hands each client feature. Its own file, so that features never import the entry
// that imports them.
import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

/** A client feature (the graph panel, readiness, traces): registers its commands and views. One line each in FEATURES. */
export type ClientFeature = (context: vscode.ExtensionContext, client: LanguageClient) => void;
