// What every command shares in reading its arguments: `--help`/`-h`, usage errors in our own words (an unknown
// option with the closest one, an option with no value), the --format choice and the --color / --no-color switch.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { commandUsage, type CommandName } from './usage.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export const COLOR_OPTIONS = { color: { type: 'boolean' }, 'no-color': { type: 'boolean' } } as const;

export const EXIT_USAGE = 2;

export interface Io {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
}

/**
 * Parses a command's arguments. Returns the parse, or the exit status when the command has nothing more to do:
 * 0 after printing its usage for `--help`/`-h`, 2 after saying what is wrong with an argument.
 */
export function parseCommandArgs<const O extends Options>(command: CommandName, argv: readonly string[], options: O, io: Io) {
  // A lenient parse first, to look at each option as typed; Node's own messages never reach the user.
  const { tokens } = parseArgs({ args: [...argv], allowPositionals: true, strict: false, tokens: true, options });
  const optionTokens = tokens.filter((t) => t.kind === 'option');
  if (optionTokens.some((t) => t.name === 'help' || t.name === 'h')) {
    io.out(`${commandUsage(command)}\n`);
    return 0;
  }
  const flags = (name: string) => (options[name].short ? `-${options[name].short}, --${name}` : `--${name}`);
  for (const t of optionTokens) {
    const known = Object.prototype.hasOwnProperty.call(options, t.name) ? options[t.name] : undefined;
    if (!known) {
      const names = Object.keys(options).map((n) => `--${n}`).concat(['--help']);
      const guess = t.rawName.startsWith('--') ? closest(t.rawName, names) : undefined;
      return usageError(command, `unknown option ${t.rawName}${guess ? `: did you mean ${guess}?` : ''}`, io);
    }
    if (known.type === 'string' && t.value === undefined) return usageError(command, `option ${flags(t.name)} needs a value`, io);
    if (known.type === 'string' && !t.inlineValue && t.value!.startsWith('-') && t.value !== '-') {
      return usageError(command, `option ${flags(t.name)} needs a value, not the option ${t.value} (write --${t.name}=${t.value} for a value that starts with "-")`, io);
    }
    if (known.type === 'boolean' && t.value !== undefined) {
      return usageError(command, `option ${flags(t.name)} takes no value (give ${t.rawName} alone)`, io);
    }
  }
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, options });
  } catch (e) {
    // Whatever the checks above do not foresee still gets a message in the same shape.
    return usageError(command, (e as Error).message.split('. ')[0].toLowerCase(), io);
  }
}

/** Says what is wrong, with the way to the command's usage; returns the usage exit status. */
export function usageError(command: CommandName | undefined, message: string, io: Pick<Io, 'err'>): number {
  const where = command ? `agentgraph ${command}` : 'agentgraph';
  io.err(`${where}: ${message}\nrun \`${where} --help\` for ${command ? 'its options' : 'the commands'}\n`);
  return EXIT_USAGE;
}

/** Whether `format` is one of `allowed`; when not, says so. */
export function checkFormat<F extends string>(command: string, format: string | undefined, allowed: readonly F[], err: (s: string) => void): format is F {
  if ((allowed as readonly (string | undefined)[]).includes(format)) return true;
  const list = allowed.length > 1 ? `${allowed.slice(0, -1).join(', ')} or ${allowed[allowed.length - 1]}` : allowed[0];
  err(`agentgraph ${command}: --format must be ${list}, not "${format}"\n`);
  return false;
}

/** Colour when asked, never with --no-color, else when writing to a terminal and NO_COLOR is unset. */
export function useColor(values: { color?: boolean; 'no-color'?: boolean }): boolean {
  return values['no-color'] ? false : values.color ?? (process.stdout.isTTY === true && !process.env.NO_COLOR);
}

/** The candidate closest to `word` (a typo: letters swapped, missing, extra or wrong; or a prefix), if one is close. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.min(2, Math.floor(w.replace(/^-+/, '').length / 3))) + 1;
  for (const c of candidates) {
    const d = distance(w, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best) return best;
  const prefixed = candidates.filter((c) => w.replace(/^-+/, '').length >= 3 && c.toLowerCase().startsWith(w));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** Edit distance with adjacent transpositions counted as one edit (optimal string alignment). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
