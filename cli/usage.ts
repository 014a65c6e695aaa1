import { parseArgs } from 'node:util';

/**
 * A command-line mistake: the CLI prints the message (and the verb's usage, unless `showUsage` is false,
 * as for a path that is wrong rather than an option), and exits 2.
 */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly showUsage = true,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** One CLI verb: `run` resolves to the process exit code (0 ok, 1 the run or file failed). */
export interface Verb {
  readonly usage: string;
  readonly summary: string;
  run(args: readonly string[]): Promise<number>;
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

/**
 * Parses `args` strictly: unknown options and a wrong number of positionals are usage errors.
 *
 * @example parseVerbArgs(['a.csv', '--out', 'o'], { out: { type: 'string' } }, 1)
 */
export function parseVerbArgs<T extends OptionSpec>(
  args: readonly string[],
  options: T,
  positionals: number,
): { values: { [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : string }; positionals: string[] } {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.positionals.length !== positionals) {
    throw new UsageError(`expected ${positionals} argument(s), got ${parsed.positionals.length}`);
  }
  return parsed as never;
}

/** The value of a required option, or a usage error naming it. */
export function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}
