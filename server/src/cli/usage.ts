// The usage text of each command, apart from the commands themselves so that `agentgraph --help`, a command's
// `--help` and `agentgraph lsp` load none of their code (the renderer alone brings elkjs).

export const COMMANDS = ['check', 'render', 'readiness', 'traces', 'graph', 'lsp'] as const;
export type CommandName = (typeof COMMANDS)[number];

interface Help {
  /** What follows `agentgraph` on the usage line. */
  readonly synopsis: string;
  readonly summary: string;
  /** [the option as typed, what it does]; a description may hold line breaks. */
  readonly options: readonly (readonly [string, string])[];
  readonly notes: readonly string[];
}

const RULES = 'each finding\'s code has its page: docs/rules/<CODE>.md, installed with AgentGraph';

const HELP: Record<CommandName, Help> = {
  check: {
    synopsis: 'check [paths|globs|dirs...]',
    summary: 'lint agent graph files and LangGraph Python modules (default: the current folder)',
    options: [
      ['--format text|json|sarif', 'output format (default: text)'],
      ['--no-source', 'text: do not print the source line under each finding'],
      ['--include-suppressed', 'json: also list findings hidden by agentgraph-disable comments'],
      ['--color / --no-color', 'text: colour (default: when writing to a terminal)'],
    ],
    notes: ['exit status: 0 no errors, 1 errors found, 2 usage error or unreadable input', RULES, 'the format: docs/format.md'],
  },
  render: {
    synopsis: 'render FILE',
    summary: 'draw an agent graph as a picture (the VS Code panel\'s layout and renderer)',
    options: [
      ['--format svg|png', 'picture format (default: from the -o extension, else svg)'],
      ['-o, --output OUT', 'file to write, .svg or .png (default for svg: standard output)'],
      ['--direction right|down', 'layout direction (default: right)'],
      ['--scale N', 'png: pixels per layout unit, 0.5 to 4 (default: 2)'],
    ],
    notes: ['exit status: 0 drawn, 1 the file is no graph that can be drawn, 2 usage error or unreadable input'],
  },
  readiness: {
    synopsis: 'readiness [paths|globs|dirs...]',
    summary: 'check the production readiness of agent graphs (the five checkpoints of docs/readiness.md)',
    options: [
      ['--format text|json|markdown', 'output format (default: text); markdown fits a pull request comment'],
      ['--link-base URL', 'markdown: link each place to URL + path + #L<line>, such as\n"$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/$GITHUB_SHA/"'],
      ['--color / --no-color', 'text: colour (default: when writing to a terminal)'],
    ],
    notes: ['exit status: 0 every graph ready, 1 a graph not ready, 2 usage error or unreadable input', 'how each checkpoint is decided: docs/readiness.md'],
  },
  traces: {
    synopsis: 'traces FILE... --graph GRAPH',
    summary: 'what traced runs did on a graph: per-node figures and conformance (AG8xx)',
    options: [
      ['--graph GRAPH', 'the graph file the traces ran'],
      ['--format text|json', 'output format (default: text)'],
      ['--min-runs N', 'AG804 (a node never seen) waits for N finished runs of the graph (default 10);\nAG801-AG803 and AG805 speak from the first run'],
      ['--color / --no-color', 'text: colour (default: when writing to a terminal)'],
    ],
    notes: [
      'trace files: OTLP JSON, OTLP JSON Lines (file exporter), LangGraph debug streams (stream_mode="debug")',
      'exit status: 0 no finding, 1 findings, 2 usage error or unreadable input',
      'how spans are named to nodes: docs/traces.md',
    ],
  },
  graph: {
    synopsis: 'graph FILE|DIR...',
    summary: 'print the graphs as read (the IR: nodes, edges, loops and their bounds)',
    options: [['--format json|mermaid', 'output format (default: json); mermaid pastes into a pull request or README']],
    notes: ['files: agent graph files and LangGraph Python modules (folders: the modules that build a StateGraph)', 'exit status: 0 every file read, 2 usage error or a file with no graph that could be read'],
  },
  lsp: {
    synopsis: 'lsp --stdio',
    summary: 'run the language server over stdin/stdout (Neovim, Helix, Zed, ...)',
    options: [['--stdio', 'the transport, the only one supported']],
    notes: [],
  },
};

/** One command's usage, as its `--help` prints it. */
export function commandUsage(command: CommandName): string {
  const h = HELP[command];
  const options: (readonly [string, string])[] = [...h.options, ['-h, --help', 'print this help']];
  const width = Math.max(...options.map(([o]) => o.length)) + 2;
  const lines = [`usage: agentgraph ${h.synopsis}${command === 'lsp' ? '' : ' [options]'}`, '', h.summary, '', 'options:'];
  for (const [o, d] of options) lines.push(...describe(`  ${o.padEnd(width)}`, d));
  if (h.notes.length > 0) lines.push('', ...h.notes);
  return lines.join('\n');
}

/** Every command with its options, as `agentgraph --help` prints them. */
export function globalUsage(): string {
  const lines = ['usage: agentgraph <command> [options]', '', 'commands:'];
  const width = 32;
  for (const command of COMMANDS) {
    const h = HELP[command];
    lines.push(`  ${h.synopsis.padEnd(width)} ${h.summary}`);
    if (command === 'lsp') continue;
    for (const [o, d] of h.options) lines.push(...describe(`      ${o.padEnd(width - 4)} `, d));
  }
  lines.push(`  ${'--version'.padEnd(width)} print the version`);
  lines.push('', '`agentgraph <command> --help` prints one command\'s usage, its exit status and where its documentation is.');
  lines.push('the rules: docs/rules/, the format: docs/format.md, readiness: docs/readiness.md, traces: docs/traces.md');
  return lines.join('\n');
}

function describe(head: string, description: string): string[] {
  const [first, ...rest] = description.split('\n');
  return [`${head}${first}`, ...rest.map((l) => `${' '.repeat(head.length)}${l}`)];
}
