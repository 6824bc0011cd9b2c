// Which `# agentgraph-disable-…` directive, if any, covers a finding: the one rule for the lint findings, the
// readiness check and the trace findings alike.
import type { AgentGraph, Suppression } from './ir.ts';

/** The directive covering a finding of `code` that starts on 0-based `line`. */
export function suppressionFor(graph: AgentGraph | undefined, line: number, code: string): Suppression | undefined {
  return graph?.suppressions.find((s) => (s.line === undefined || s.line === line) && (s.codes.length === 0 || s.codes.includes(code)));
}
