import type { ParseArgsConfig } from 'node:util';
import type { Output } from './output.js';

/** Option definitions in node:util parseArgs form. */
export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** What a command receives: its parsed options and positionals, and where to write. */
export interface CommandInput {
  readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  readonly positionals: readonly string[];
  readonly out: Output;
  /** Aborted on SIGINT/SIGTERM, so long commands (live, matrix) can stop and clean up. */
  readonly signal: AbortSignal;
}

/** One `progrun` subcommand. */
export interface Command {
  /** The words after `progrun` (its one-line summary is in the command table, `command-table.ts`). */
  readonly name: string;
  /** The full `--help` text: usage, options, examples. */
  readonly help: string;
  /** Options besides `--help` and `--json`, which every command has. */
  readonly options: OptionsConfig;
  /** Whether positional arguments are accepted. */
  readonly positionals: boolean;
  /** Runs the command; resolves to its exit code, or throws (a CliError, ideally). */
  execute(input: CommandInput): Promise<number>;
}
