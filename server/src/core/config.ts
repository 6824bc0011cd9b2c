// Severity settings: defaults from the rules, then the project file `agentgraph.config.json` nearest to the graph
// file, then the editor's `agentgraph.rules` setting. Both sources are validated; a bad value is reported,
// never thrown.
import { z } from 'zod';
import type { Severity, SeveritySetting } from './diagnostic.ts';
import { dirnameUri } from './uris.ts';

export const CONFIG_FILE_NAME = 'agentgraph.config.json';

export const severitySettingSchema = z.enum(['error', 'warning', 'info', 'hint', 'off']);
const codeSchema = z.string().regex(/^AG\d{3}$/, 'rule codes look like AG101');
export const rulesSettingSchema = z.record(codeSchema, severitySettingSchema);
export const projectConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  rules: rulesSettingSchema.optional(),
});

export type RuleSeverities = Readonly<Record<string, SeveritySetting>>;

/** Parses a project config file's text. Returns the rules or a message saying what is wrong. */
export function parseProjectConfig(text: string): { rules: RuleSeverities } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { error: `not valid JSON: ${(e as Error).message}` };
  }
  const parsed = projectConfigSchema.safeParse(json);
  if (!parsed.success) return { error: parsed.error.issues.map((i) => `${i.path.join('.') || 'file'}: ${i.message}`).join('; ') };
  return { rules: parsed.data.rules ?? {} };
}

/** Validates the editor setting; invalid entries are dropped and described. */
export function parseRulesSetting(value: unknown): { rules: RuleSeverities; problems: string[] } {
  if (value === undefined || value === null) return { rules: {}, problems: [] };
  if (typeof value !== 'object' || Array.isArray(value)) return { rules: {}, problems: ['agentgraph.rules must be an object such as { "AG601": "off" }'] };
  const rules: Record<string, SeveritySetting> = {};
  const problems: string[] = [];
  for (const [code, sev] of Object.entries(value as Record<string, unknown>)) {
    if (!codeSchema.safeParse(code).success) problems.push(`agentgraph.rules: "${code}" is not a rule code (AG101, AG201, ...)`);
    else if (!severitySettingSchema.safeParse(sev).success) problems.push(`agentgraph.rules.${code}: "${String(sev)}" is not one of error, warning, info, hint, off`);
    else rules[code] = sev as SeveritySetting;
  }
  return { rules, problems };
}

export function effectiveSeverity(code: string, defaultSeverity: Severity, ...layers: (RuleSeverities | undefined)[]): SeveritySetting {
  let s: SeveritySetting = defaultSeverity;
  for (const layer of layers) if (layer && layer[code] !== undefined) s = layer[code];
  return s;
}

/** Finds and caches the `agentgraph.config.json` that applies to a file: the nearest one in its folder or above. */
export class ProjectConfigs {
  private readonly cache = new Map<string, { uri: string; rules: RuleSeverities } | { uri: string; error: string } | null>();

  constructor(private readonly read: (uri: string) => string | undefined) {}

  clear(): void {
    this.cache.clear();
  }

  forFile(fileUri: string): { uri: string; rules: RuleSeverities } | { uri: string; error: string } | undefined {
    let dir = dirnameUri(fileUri);
    const visited: string[] = [];
    for (let depth = 0; depth < 64; depth++) {
      const cached = this.cache.get(dir);
      if (cached !== undefined) {
        visited.forEach((d) => this.cache.set(d, cached));
        return cached ?? undefined;
      }
      visited.push(dir);
      const uri = dir.endsWith('/') ? dir + CONFIG_FILE_NAME : `${dir}/${CONFIG_FILE_NAME}`;
      const text = this.read(uri);
      if (text !== undefined) {
        const parsed = parseProjectConfig(text);
        const found = 'error' in parsed ? { uri, error: parsed.error } : { uri, rules: parsed.rules };
        visited.forEach((d) => this.cache.set(d, found));
        return found;
      }
      const parent = dirnameUri(dir);
      if (parent === dir) break;
      dir = parent;
    }
    visited.forEach((d) => this.cache.set(d, null));
    return undefined;
  }
}
