// The agent graph format (`*.agentgraph.yaml|yml|json`) as a frontend: one graph per file.
import type { Frontend } from '../frontend.ts';
import { isAgentGraphFile, parseAgentGraph } from './frontend.ts';

export const yamlFrontend: Frontend = {
  id: 'yaml',
  handles: isAgentGraphFile,
  mayHoldGraph: () => true,
  parse(text, uri) {
    const r = parseAgentGraph(text, uri);
    return { graphs: r.graph ? [r.graph] : [], diagnostics: r.diagnostics };
  },
};
