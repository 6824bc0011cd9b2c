// The usage text of each command, apart from the commands themselves so that `agentgraph --help` and
// `agentgraph lsp` load none of their code (the renderer alone brings elkjs).

export const READINESS_USAGE = `  readiness [paths|globs|dirs...]  check the production readiness of agent graphs (RULES.md's five checkpoints)
      --format text|json|markdown  output format (default: text); markdown fits a pull request comment
      --link-base URL             markdown: link each place to URL + path + #L<line>, such as
                                  "$GITHUB_SERVER_URL/$GITHUB_REPOSITORY/blob/$GITHUB_SHA/"
      --color / --no-color        text: colour (default: when writing to a terminal)
      exit status: 0 every graph ready, 1 a graph not ready, 2 usage error or unreadable input`;

export const RENDER_USAGE = `  render FILE                   draw an agent graph as a picture (the VS Code panel's layout and renderer)
      --format svg|png          picture format (default: from the -o extension, else svg)
      -o, --output OUT          file to write (default for svg: standard output)
      --direction right|down    layout direction (default: right)
      --scale N                 png: pixels per layout unit, 0.5 to 4 (default: 2)`;

export const TRACES_USAGE = `  traces FILE... --graph GRAPH  what traced runs did on a graph: per-node figures and conformance (AG8xx)
      --format text|json          output format (default: text)
      --min-runs N                AG804 (a node never seen) speaks from N finished runs (default 10)
      --color / --no-color        text: colour (default: when writing to a terminal)
      trace files: OTLP JSON, OTLP JSON Lines (file exporter), LangGraph debug streams (stream_mode="debug")
      exit status: 0 no finding, 1 findings, 2 usage error or unreadable input`;

export const GRAPH_USAGE = `  graph FILE|DIR...              print the graphs as read (the IR: nodes, edges, loops and their bounds)
      --format json|mermaid       output format (default: json); mermaid pastes into a pull request or README
      files: agent graph files and LangGraph Python modules (folders: the modules that build a StateGraph)`;
