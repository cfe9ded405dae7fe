import { parseArgs } from 'node:util';
import { usageError } from './cli-error.js';
import type { OptionsConfig } from './command.js';

/** A command's options and whether it takes positional arguments. */
export interface CommandLineShape {
  readonly options: OptionsConfig;
  readonly positionals: boolean;
}

/** The options and positional arguments of one command line. */
export interface ParsedCommandLine {
  readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  readonly positionals: string[];
}

function flagName(name: string, options: OptionsConfig): string {
  const short = options[name]?.short;
  return short ? `-${short}/--${name}` : `--${name}`;
}

/**
 * Parses the arguments of `progrun <command>` with node:util's parser, but judges them itself so that
 * every usage error is in progrun's words and names the flag: an unknown option (with the command's
 * options listed), a value missing (also when the next word is another of its options), a value given
 * to a switch, an argument a command does not take. A value that starts with `-` but is no option of
 * the command is taken as the value (`--repeat -5` reaches the range check of `--repeat`).
 * @throws CliError (usage, exit 2) naming the flag and the rule.
 */
export function parseCommandLine(
  command: string,
  args: readonly string[],
  shape: CommandLineShape,
): ParsedCommandLine {
  const { options } = shape;
  const parsed = parseArgs({
    args: [...args],
    options,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const known = (word: string) =>
    word.startsWith('--')
      ? Object.hasOwn(options, word.slice(2).split('=')[0]!)
      : Object.values(options).some((option) => option.short !== undefined && word === `-${option.short}`);
  for (const token of parsed.tokens ?? []) {
    if (token.kind === 'positional' && !shape.positionals) {
      throw usageError(
        'arguments',
        'none besides options',
        `progrun ${command} takes no arguments besides its options, and "${token.value}" is none of them`,
        command,
      );
    }
    if (token.kind !== 'option') continue;
    const option = options[token.name];
    if (option === undefined) {
      const listed = Object.keys(options)
        .filter((name) => name !== 'help')
        .map((name) => `--${name}`)
        .join(', ');
      throw usageError(
        token.rawName,
        'an option of the command',
        `unknown option ${token.rawName} for progrun ${command}; its options are ${listed}`,
        command,
      );
    }
    const name = flagName(token.name, options);
    if (option.type === 'boolean' && token.value !== undefined) {
      throw usageError(
        name,
        'a switch without a value',
        `${name} takes no value (got "${token.value}")`,
        command,
      );
    }
    if (
      option.type === 'string' &&
      (token.value === undefined || (!token.inlineValue && known(token.value)))
    ) {
      throw usageError(name, 'followed by its value', `${name} needs a value`, command);
    }
  }
  return {
    values: parsed.values as ParsedCommandLine['values'],
    positionals: parsed.positionals,
  };
}
