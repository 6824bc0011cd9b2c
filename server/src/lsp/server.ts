// The language server: the connection, the documents and the handlers. It only wires; the work lives in
// core/ (analysis) and lsp/convert.ts (LSP shapes).
import {
  createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, DidChangeConfigurationNotification,
  FileChangeType, type Connection, type FileEvent, type InitializeResult, type ServerCapabilities,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Workspace, type Analysis } from '../analysis/workspace.ts';
import { ProjectConfigs, parseRulesSetting, CONFIG_FILE_NAME, type RuleSeverities } from '../core/config.ts';
import { diskHost } from '../node/diskHost.ts';
import { isGraphSource } from '../frontends/index.ts';
import { isLanggraphJson } from '../frontends/langgraph/langgraphJson.ts';
import { LineIndex } from '../core/lineIndex.ts';
import type { AgDiagnostic } from '../core/diagnostic.ts';
import { AnalysisScheduler } from './scheduler.ts';
import { VERSION } from '../version.ts';
import { keepRecent } from '../core/recent.ts';
import { toLspDiagnostics } from './convert.ts';
import { emptyAnalysis, isInert, publishedFindings } from './sources.ts';
import { codeLensFeature } from './codeLens.ts';
import { completionFeature } from './completion.ts';
import { hoverFeature } from './hover.ts';
import { navigationFeature } from './navigation.ts';
import { codeActionsFeature } from './codeActions.ts';
import { costHintsFeature } from './costHints.ts';
import { graphViewFeature } from './graphView.ts';
import { readinessFeature } from './readiness.ts';
import { tracesFeature } from './traces.ts';
import { workspaceProblemsFeature } from './workspaceProblems.ts';
import type { Feature, ServerContext } from './context.ts';

export type { Feature, ServerContext };

const FEATURES: Feature[] = [
  codeLensFeature,
  completionFeature,
  hoverFeature,
  navigationFeature,
  codeActionsFeature,
  costHintsFeature,
  graphViewFeature,
  readinessFeature,
  tracesFeature,
  workspaceProblemsFeature,
];

/** Full analyses hold the IR (about 2 KB a node): the server keeps those of the files in use. */
const KEEP_ANALYSES = 16;

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): Connection {
  const documents = new TextDocuments(TextDocument);
  const workspace = new Workspace(diskHost);
  const analysisListeners: ((a: Analysis) => void)[] = [];
  const diagnosticSources: ((a: Analysis) => readonly AgDiagnostic[])[] = [];
  const lastAnalysis = new Map<string, Analysis>();
  const capabilities: ServerCapabilities = {};
  const projectConfigs = new ProjectConfigs((uri) => diskHost.read(uri));
  let settingRules: RuleSeverities = {};
  let canPullConfiguration = false;
  const reportedConfigErrors = new Set<string>();
  const settingsListeners: ((settings: unknown) => void)[] = [];
  const watchedFilesListeners: ((changes: readonly FileEvent[]) => void)[] = [];
  const tellSettings = (settings: unknown) => {
    for (const l of settingsListeners) {
      try {
        l(settings);
      } catch (e) {
        connection.console.error(`a settings listener failed: ${(e as Error)?.stack ?? String(e)}`);
      }
    }
  };

  workspace.severities = (uri) => {
    const project = projectConfigs.forFile(uri);
    if (project && 'error' in project && !reportedConfigErrors.has(project.uri)) {
      reportedConfigErrors.add(project.uri);
      void connection.window.showWarningMessage(`AgentGraph: ${project.uri} is ignored: ${project.error}`);
    }
    return [project && 'rules' in project ? project.rules : undefined, settingRules];
  };

  const scheduler = new AnalysisScheduler(
    workspace,
    (analysis) => {
      const doc = documents.get(analysis.uri);
      if (!doc || doc.getText() !== analysis.text) return; // stale: a newer analysis is on its way
      if (isInert(doc)) {
        // A code file that no longer holds a graph: clear what was shown once, then leave it alone.
        if (published.delete(analysis.uri)) void connection.sendDiagnostics({ uri: analysis.uri, version: doc.version, diagnostics: [] });
        untrack(analysis.uri);
        for (const l of analysisListeners) l(analysis);
        return;
      }
      const extra = diagnosticSources.flatMap((source) => {
        try {
          return source(analysis);
        } catch (e) {
          connection.console.error(`a diagnostics source failed for ${analysis.uri}: ${(e as Error)?.stack ?? String(e)}`);
          return [];
        }
      });
      const findings = publishedFindings(analysis.uri, extra.length > 0 ? [...analysis.diagnostics, ...extra] : analysis.diagnostics);
      const diagnostics = toLspDiagnostics(analysis.uri, analysis.lines, findings, (u) => {
        const other = documents.get(u)?.getText() ?? diskHost.read(u);
        return other === undefined ? undefined : new LineIndex(other);
      });
      if (diagnostics.length > 0) published.add(analysis.uri);
      else published.delete(analysis.uri);
      void connection.sendDiagnostics({ uri: analysis.uri, version: doc.version, diagnostics });
      // Keep the full analyses of the files in use only; the others are recomputed on demand.
      keepRecent(lastAnalysis, analysis.uri, analysis, KEEP_ANALYSES);
      for (const l of analysisListeners) l(analysis);
    },
    (uri, error) => connection.console.error(`analysis of ${uri} failed: ${(error as Error)?.stack ?? String(error)}`),
    // A file over 100 KB (about 400 nodes) takes tens of milliseconds to parse: wait for a pause in typing.
    (uri) => ((documents.get(uri)?.getText().length ?? 0) > 100_000 ? 75 : 0),
  );

  /**
   * The open documents the server works on: agent graph files, and code files whose text holds a graph (or did,
   * until their empty result is published). Every other open document (most Python files) costs nothing.
   */
  const tracked = new Set<string>();
  /** The files whose last published diagnostics were not empty. */
  const published = new Set<string>();
  const untrack = (uri: string) => {
    if (!tracked.delete(uri)) return;
    scheduler.cancel(uri);
    lastAnalysis.delete(uri);
    // Files that refer to it read it from disk again, as they do any file that is not open.
    workspace.closeDocument(uri);
  };
  const openUris = () => documents.all().map((d) => d.uri).filter((u) => tracked.has(u));
  /** The file and every open file that refers to it through subgraphs. */
  const affected = (uri: string) => [uri, ...workspace.dependentsOf(uri)].filter((u) => tracked.has(u));
  /** An opened or edited document: analysed when it holds a graph or did until now; otherwise left alone. */
  const edited = (doc: TextDocument) => {
    if (!tracked.has(doc.uri) && isInert(doc)) return;
    tracked.add(doc.uri);
    workspace.setDocument(doc.uri, doc.getText());
    scheduler.request(affected(doc.uri));
  };

  connection.onInitialize((params): InitializeResult => {
    canPullConfiguration = !!params.capabilities.workspace?.configuration;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        ...capabilities,
      },
      serverInfo: { name: 'agentgraph', version: VERSION },
    };
  });

  connection.onInitialized(async () => {
    if (canPullConfiguration) {
      void connection.client.register(DidChangeConfigurationNotification.type, { section: 'agentgraph' });
      await pullSettings();
    } else tellSettings(null);
  });

  async function pullSettings(): Promise<void> {
    if (!canPullConfiguration) return;
    let config: { rules?: unknown } | null = null;
    try {
      config = (await connection.workspace.getConfiguration('agentgraph')) as { rules?: unknown } | null;
      const { rules, problems } = parseRulesSetting(config?.rules);
      settingRules = rules;
      for (const p of problems) void connection.window.showWarningMessage(`AgentGraph: ${p}`);
    } catch (e) {
      connection.console.warn(`could not read the agentgraph settings: ${(e as Error).message}`);
    }
    tellSettings(config);
  }

  connection.onDidChangeConfiguration(async (change) => {
    if (canPullConfiguration) await pullSettings();
    else {
      const settings = (change.settings as { agentgraph?: { rules?: unknown } } | undefined)?.agentgraph;
      const { rules, problems } = parseRulesSetting(settings?.rules);
      settingRules = rules;
      for (const p of problems) void connection.window.showWarningMessage(`AgentGraph: ${p}`);
      tellSettings(settings ?? null);
    }
    scheduler.request(openUris());
  });

  documents.onDidOpen((e) => edited(e.document));
  documents.onDidChangeContent((e) => edited(e.document));
  documents.onDidClose((e) => {
    if (!tracked.delete(e.document.uri)) return; // never analysed, nothing published
    scheduler.cancel(e.document.uri);
    lastAnalysis.delete(e.document.uri);
    workspace.closeDocument(e.document.uri);
    // The file on disk may differ from the closed buffer: files that refer to it see the disk version now.
    scheduler.request(affected(e.document.uri).filter((u) => u !== e.document.uri));
    workspace.forget(e.document.uri);
    published.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    const again = new Set<string>();
    for (const change of changes) {
      if (change.uri.endsWith('/' + CONFIG_FILE_NAME)) {
        projectConfigs.clear();
        reportedConfigErrors.delete(change.uri);
        openUris().forEach((u) => again.add(u));
      } else if (isLanggraphJson(change.uri)) {
        // It names graphs in any file below it (one created names files that did not know of it yet).
        workspace.fileChanged(change.uri);
        [...openUris(), ...affected(change.uri)].forEach((u) => again.add(u));
      } else if (isGraphSource(change.uri)) {
        workspace.fileChanged(change.uri);
        if (change.type === FileChangeType.Deleted) workspace.forget(change.uri);
        affected(change.uri).forEach((u) => again.add(u));
      }
    }
    scheduler.request(again);
    for (const l of watchedFilesListeners) l(changes);
  });

  const ctx: ServerContext = {
    connection,
    documents,
    workspace,
    analysis(uri) {
      const text = documents.get(uri)?.getText();
      if (text !== undefined && !tracked.has(uri)) return emptyAnalysis(uri, text);
      const last = lastAnalysis.get(uri);
      if (last && text !== undefined && last.text === text) return last;
      const fresh = workspace.analyze(uri);
      // An open file's analysis computed again (dropped beyond the files in use): it is the one in use now, keep
      // it, or each request on the file would compute it again.
      if (text !== undefined && fresh.text === text) keepRecent(lastAnalysis, uri, fresh, KEEP_ANALYSES);
      return fresh;
    },
    onAnalysis: (l) => void analysisListeners.push(l),
    addDiagnosticSource: (source) => void diagnosticSources.push(source),
    republish: (uri) => {
      if (tracked.has(uri)) scheduler.request([uri]);
    },
    ignores: (uri) => !tracked.has(uri) && documents.get(uri) !== undefined,
    onSettings: (l) => void settingsListeners.push(l),
    onWatchedFiles: (l) => void watchedFilesListeners.push(l),
  };
  for (const feature of FEATURES) Object.assign(capabilities, feature(ctx) ?? {});

  documents.listen(connection);
  connection.listen();
  return connection;
}

export { VERSION };
