import { readFileSync } from 'node:fs';
import { usageError } from './cli-error.js';

/** A string option's value, or undefined. */
export function stringOption(values: Record<string, unknown>, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A repeatable string option's values. */
export function stringsOption(values: Record<string, unknown>, name: string): string[] {
  const value = values[name];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return typeof value === 'string' ? [value] : [];
}

/**
 * An integer option within [min, max] (`1e6` and `0x10` accepted), or undefined when absent.
 * @throws CliError (usage) naming the option and the range.
 */
export function integerOption(
  values: Record<string, unknown>,
  name: string,
  command: string,
  range: { min: number; max: number },
): number | undefined {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const value = Number(text.replace(/_/g, ''));
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max || text.trim() === '') {
    throw usageError(
      `--${name}`,
      `an integer from ${range.min} to ${range.max}`,
      `--${name} must be an integer from ${range.min} to ${range.max}, not "${text}"`,
      command,
    );
  }
  return value;
}

/**
 * A JSON option (`--ctx '{"mark": 7}'`), or `@path` to read the JSON from a file.
 * @throws CliError (usage) when it does not parse, with the parser's reason.
 */
export function jsonOption(values: Record<string, unknown>, name: string, command: string): unknown {
  const text = stringOption(values, name);
  if (text === undefined) return undefined;
  const source = text.startsWith('@') ? readFileSync(text.slice(1), 'utf8') : text;
  try {
    return JSON.parse(source);
  } catch (error) {
    throw usageError(
      `--${name}`,
      'valid JSON',
      `--${name} is not valid JSON (${(error as Error).message})`,
      command,
    );
  }
}
