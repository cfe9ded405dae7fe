import { type ParseArgsConfig, parseArgs } from 'node:util';
import { HarnessError } from '../errors.js';
import type { RunKernelsOptions } from '../harness/run-options.js';
import { parseShard } from '../harness/shard.js';

/** Options shared by `run` and `matrix`. */
export const commonOptions = {
  kernel: { type: 'string', multiple: true, short: 'k' },
  kernels: { type: 'string' },
  out: { type: 'string', short: 'o' },
  shard: { type: 'string' },
  accelerator: { type: 'string' },
  concurrency: { type: 'string', short: 'j' },
  cpus: { type: 'string' },
  memory: { type: 'string' },
  timeout: { type: 'string' },
  'boot-timeout': { type: 'string' },
  'cache-dir': { type: 'string' },
  append: { type: 'string', multiple: true },
  json: { type: 'string' },
  junit: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/** Parsed flags: the shared ones typed, a subcommand's own as `extra`. */
export type CommonValues = {
  [K in keyof typeof commonOptions]?: (typeof commonOptions)[K] extends { multiple: true }
    ? string[]
    : (typeof commonOptions)[K]['type'] extends 'boolean'
      ? boolean
      : string;
};

/**
 * Parses a subcommand's arguments; everything after `--` is the command.
 *
 * @throws {HarnessError} `INVALID_OPTION` for unknown options or missing values.
 */
export function parseCommandLine(
  args: string[],
  extra: ParseArgsConfig['options'] = {},
): { values: CommonValues & Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...commonOptions, ...extra },
      allowPositionals: true,
      strict: true,
    });
    return {
      values: values as CommonValues & Record<string, string | boolean | string[] | undefined>,
      positionals,
    };
  } catch (error) {
    throw new HarnessError('INVALID_OPTION', (error as Error).message);
  }
}

function number(text: string | undefined, field: string, scale = 1): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new HarnessError('INVALID_OPTION', `--${field}: "${text}" is not a positive number`, { field });
  }
  return Math.round(value * scale);
}

/** `--kernel a --kernel b` and `--kernels a,b` together, in order, or undefined when neither. */
export function kernelNames(values: CommonValues): string[] | undefined {
  const names = [...(values.kernel ?? []), ...(values.kernels?.split(',') ?? [])]
    .map((n) => n.trim())
    .filter(Boolean);
  return names.length ? names : undefined;
}

/** The {@link RunKernelsOptions} the shared flags stand for. */
export function runOptionsFrom(values: CommonValues): Omit<RunKernelsOptions, 'kernels' | 'command'> {
  const accelerator = values.accelerator as RunKernelsOptions['accelerator'];
  return {
    outDir: values.out,
    shard: values.shard === undefined ? undefined : parseShard(values.shard),
    accelerator,
    concurrency: number(values.concurrency, 'concurrency'),
    cpus: number(values.cpus, 'cpus'),
    memoryMiB: number(values.memory, 'memory'),
    timeoutMs: number(values.timeout, 'timeout', 1000),
    bootTimeoutMs: number(values['boot-timeout'], 'boot-timeout', 1000),
    cacheDir: values['cache-dir'],
    kernelArgs: values.append,
  };
}
