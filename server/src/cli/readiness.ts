// `agentgraph readiness [paths...]`: the production readiness check for CI. Exit 0 when every graph is ready, 1
// when one is not, 2 on a usage error or unreadable input (as `check`). The Markdown fits a pull request comment.
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { checkFormat, COLOR_OPTIONS, parseCommandArgs, useColor } from './args.ts';
import { Workspace } from '../analysis/workspace.ts';
import { checkReadiness } from '../readiness/check.ts';
import { pathToUri, uriToPath } from '../core/uris.ts';
import { LineIndex } from '../core/lineIndex.ts';
import { isAgentGraphFile } from '../frontends/yaml/frontend.ts';
import { diskHost } from '../node/diskHost.ts';
import { expandInputs } from './files.ts';
import { renderMarkdown, renderText, toJson, type GraphResult } from '../readiness/render.ts';

const EXIT = { ready: 0, notReady: 1, usage: 2 } as const;

export function readinessCommand(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  const args = parseCommandArgs('readiness', argv, { format: { type: 'string', default: 'text' }, 'link-base': { type: 'string' }, ...COLOR_OPTIONS }, { out, err });
  if (typeof args === 'number') return args;
  const format = args.values.format;
  if (!checkFormat('readiness', format, ['text', 'json', 'markdown'], err)) return EXIT.usage;
  const linkBase = args.values['link-base'];
  if (linkBase !== undefined && !/^https?:\/\/\S+$/.test(linkBase)) {
    err(`agentgraph readiness: --link-base must be an http(s) URL such as https://github.com/owner/repo/blob/main/, not "${linkBase}"\n`);
    return EXIT.usage;
  }

  const { files, problems } = expandInputs(args.positionals);
  for (const p of problems) err(`agentgraph: ${p}\n`);
  let unreadable = problems.length > 0;

  // Severity settings do not change the readiness check, so no project config is read.
  const workspace = new Workspace(diskHost);
  const results: GraphResult[] = [];
  const inputs = new Set(files.map((f) => pathToUri(resolve(f))));
  for (const file of files) {
    try {
      readFileSync(file, { flag: 'r' }).subarray(0, 0);
    } catch (e) {
      err(`agentgraph: ${displayPath(file)}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})\n`);
      unreadable = true;
      continue;
    }
    const analysis = workspace.analyze(pathToUri(resolve(file)));
    // A code-defined graph and its overlay are one graph: rated once, under the code file, when both are given.
    if (analysis.partner && isAgentGraphFile(analysis.uri) && inputs.has(analysis.partner)) continue;
    results.push({ report: checkReadiness(analysis), file: displayPath(file), lines: analysis.lines, ...partnerOf(workspace, analysis.partner) });
  }
  // Nothing could be checked: the problems said so, and a report of no graphs would only hide them.
  if (results.length === 0 && unreadable) return EXIT.usage;

  if (format === 'json') out(JSON.stringify(toJson(results), null, 2) + '\n');
  else if (format === 'markdown') {
    const base = linkBase === undefined ? undefined : linkBase.endsWith('/') ? linkBase : `${linkBase}/`;
    const link = base ? (g: GraphResult, line: number) => (g.file.startsWith('/') || g.file.startsWith('..') ? undefined : `${base}${g.file.split('\\').join('/')}#L${line}`) : undefined;
    out(renderMarkdown(results, { link }));
  } else {
    const color = useColor(args.values);
    out(renderText(results, { color }) + '\n');
  }

  if (unreadable) return EXIT.usage;
  return results.some((r) => r.report.verdict !== 'ready') ? EXIT.notReady : EXIT.ready;
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

/** Where the partner file's places are shown: its path and its lines. */
function partnerOf(workspace: Workspace, uri: string | undefined): Pick<GraphResult, 'partner'> {
  const text = uri ? workspace.graphOf(uri)?.text : undefined;
  return uri && text !== undefined ? { partner: { uri, file: displayPath(uriToPath(uri)), lines: new LineIndex(text) } } : {};
}
