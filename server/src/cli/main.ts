// The `agentgraph` command: `check` for CI, `lsp --stdio` for any LSP editor.
import { relative, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { checkFormat, closest, COLOR_OPTIONS, parseCommandArgs, usageError, useColor } from './args.ts';
import { Workspace } from '../analysis/workspace.ts';
import { ProjectConfigs } from '../core/config.ts';
import { pathToUri, uriToPath } from '../core/uris.ts';
import { isLanggraphJson } from '../frontends/langgraph/langgraphJson.ts';
import { diskHost } from '../node/diskHost.ts';
import { expandInputs } from './files.ts';
import { formatText, summarize, toJsonDiagnostics, toSarif, type FileReport } from './formatters.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { VERSION } from '../version.ts';
import { commandUsage, COMMANDS, globalUsage, type CommandName } from './usage.ts';

export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

export function main(argv: readonly string[], out: (s: string) => void = (s) => process.stdout.write(s), err: (s: string) => void = (s) => process.stderr.write(s)): number | 'server' | Promise<number> {
  const [command, ...rest] = argv;
  const io = { out, err };
  if (command === '--version' || command === '-v') {
    out(`${VERSION}\n`);
    return EXIT.ok;
  }
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    const topic = command === 'help' ? rest[0] : undefined;
    if (topic !== undefined && !isCommand(topic)) return unknownCommand(topic, io);
    if (command === undefined) err(`${globalUsage()}\n`);
    else out(`${topic ? commandUsage(topic) : globalUsage()}\n`);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === 'lsp') {
    // Editors may pass options of their own (--clientProcessId), so only --help and the transport are looked at.
    if (rest.includes('--help') || rest.includes('-h')) {
      out(`${commandUsage('lsp')}\n`);
      return EXIT.ok;
    }
    if (!rest.includes('--stdio')) {
      err('agentgraph lsp: only --stdio is supported: run `agentgraph lsp --stdio`\n');
      return EXIT.usage;
    }
    // vscode-languageserver reads the transport (--stdio) from process.argv. The bundled CLI loads the server's
    // own bundle beside it, so that an editor's server process carries none of the CLI's other commands.
    const bundled = join(__dirname, 'server.js');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    if (__filename.endsWith('cli.js') && existsSync(bundled)) require(bundled);
    else (require('../lsp/server.ts') as typeof import('../lsp/server.ts')).startServer();
    return 'server';
  }
  // Loaded on use: each command brings its own dependencies (elkjs, protobufjs, ...).
  if (command === 'render') return (require('./render.ts') as typeof import('./render.ts')).renderCommand(rest, out, err);
  if (command === 'readiness') return (require('./readiness.ts') as typeof import('./readiness.ts')).readinessCommand(rest, out, err);
  if (command === 'graph') return (require('./graph.ts') as typeof import('./graph.ts')).graphCommand(rest, out, err);
  if (command === 'traces') return (require('./traces.ts') as typeof import('./traces.ts')).tracesCommand(rest, out, err);
  if (command !== 'check') return unknownCommand(command, io);

  const args = parseCommandArgs(
    'check', rest, { format: { type: 'string', default: 'text' }, 'no-source': { type: 'boolean', default: false }, 'include-suppressed': { type: 'boolean', default: false }, ...COLOR_OPTIONS }, io,
  );
  if (typeof args === 'number') return args;
  const format = args.values.format;
  if (!checkFormat('check', format, ['text', 'json', 'sarif'], err)) return EXIT.usage;

  const expanded = expandInputs(args.positionals, process.cwd(), { configs: true });
  const { problems } = expanded;
  for (const p of problems) err(`agentgraph: ${p}\n`);

  const workspace = new Workspace(diskHost);
  // The files a langgraph.json names are checked with it, wherever they are.
  const files = [...new Set([...expanded.files, ...expanded.files.filter(isLanggraphJson).flatMap((f) => workspace.deployedFiles(pathToUri(f)).map(uriToPath))])].sort();
  const configs = new ProjectConfigs((uri) => diskHost.read(uri));
  let configBroken = false;
  workspace.severities = (uri) => {
    const c = configs.forFile(uri);
    if (c && 'error' in c) {
      if (!configBroken) err(`agentgraph: ${relative(process.cwd(), c.uri.replace(/^file:\/\//, '')) || c.uri}: ${c.error}\n`);
      configBroken = true;
      return [];
    }
    return [c?.rules];
  };

  const reports: FileReport[] = [];
  let unreadable = problems.length > 0;
  for (const file of files) {
    try {
      readFileSync(file, { flag: 'r' }).subarray(0, 0);
    } catch (e) {
      err(`agentgraph: ${relative(process.cwd(), file)}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})\n`);
      unreadable = true;
      continue;
    }
    const analysis = workspace.analyze(pathToUri(resolve(file)));
    reports.push({ file: displayPath(file), analysis });
  }
  // Nothing could be checked: the problems said so, and a summary of no files would only hide them.
  if (reports.length === 0 && unreadable) return EXIT.usage;

  if (format === 'json') out(JSON.stringify(toJsonDiagnostics(reports, args.values['include-suppressed']), null, 2) + '\n');
  else if (format === 'sarif') out(JSON.stringify(toSarif(reports, VERSION), null, 2) + '\n');
  else {
    const color = useColor(args.values);
    const text = formatText(reports, { color, source: !args.values['no-source'] });
    if (text) out(text + '\n');
    const s = summarize(reports);
    const parts = [`${s.files} file${s.files === 1 ? '' : 's'} checked`, `${s.error} error${s.error === 1 ? '' : 's'}`, `${s.warning} warning${s.warning === 1 ? '' : 's'}`, `${s.info + s.hint} info`];
    if (s.suppressed) parts.push(`${s.suppressed} suppressed`);
    out(`${text ? '\n' : ''}${parts.join(', ')}\n`);
  }

  if (unreadable || configBroken) return EXIT.usage;
  return reports.some((r) => r.analysis.diagnostics.some((d) => d.severity === 'error' && !d.suppressed)) ? EXIT.findings : EXIT.ok;
}

function isCommand(word: string): word is CommandName {
  return (COMMANDS as readonly string[]).includes(word);
}

/** An unknown command (or an option where the command goes), with the closest command or the command it lacks. */
function unknownCommand(word: string, io: { out: (s: string) => void; err: (s: string) => void }): number {
  if (word.startsWith('-')) {
    const guess = closest(word, ['--help', '--version']);
    return usageError(undefined, `unknown option ${word}: ${guess ? `did you mean ${guess}?` : 'options go after the command, as in `agentgraph check --format json`'}`, io);
  }
  const guess = closest(word, COMMANDS);
  if (guess) return usageError(undefined, `unknown command ${word}: did you mean ${guess}?`, io);
  if (existsSync(word)) return usageError(undefined, `unknown command ${word}: to lint it, run \`agentgraph check ${word}\``, io);
  io.err(`agentgraph: unknown command ${word}\n\n${globalUsage()}\n`);
  return EXIT.usage;
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

if (require.main === module) {
  const code = main(process.argv.slice(2));
  if (code instanceof Promise) void code.then((c) => (process.exitCode = c));
  else if (code !== 'server') process.exitCode = code;
}
