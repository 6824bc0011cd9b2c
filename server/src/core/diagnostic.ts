// The analysis core's own diagnostic type. Only lsp/convert.ts turns it into an LSP Diagnostic.
import type { Range } from './ir.ts';

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';

export interface RelatedInfo {
  readonly message: string;
  readonly range: Range;
  /** Another file, when the related place is not in the diagnostic's own file. */
  readonly uri?: string;
}

export interface AgDiagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly range: Range;
  readonly related?: readonly RelatedInfo[];
  /** Set when a `# agentgraph-disable-…` comment suppresses it: the reason given there (may be empty). */
  readonly suppressed?: { readonly reason: string };
  /** Rule-specific facts for quick fixes and views (JSON-serialisable). */
  readonly data?: Record<string, unknown>;
}

