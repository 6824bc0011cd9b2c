// What every command shares in reading its arguments: the parse with its usage error, the --format choice and
// the --color / --no-color switch.
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export const COLOR_OPTIONS = { color: { type: 'boolean' }, 'no-color': { type: 'boolean' } } as const;

/** Parses a command's arguments; on a mistake, says so (with `help` after it) and returns undefined. */
export function parseCommandArgs<const O extends Options>(command: string, argv: readonly string[], options: O, help: string, err: (s: string) => void) {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, options });
  } catch (e) {
    err(`agentgraph ${command}: ${(e as Error).message}\n${help}`);
    return undefined;
  }
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
