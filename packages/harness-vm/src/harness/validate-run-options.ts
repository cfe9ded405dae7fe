import { HarnessError } from '../errors.js';
import { findKernel, type KernelEntry, kernelCatalogue } from '../kernels/catalogue.js';
import type { RunKernelsOptions } from './run-options.js';

function invalid(field: string, rule: string): HarnessError {
  return new HarnessError('INVALID_OPTION', `${field}: ${rule}`, { field });
}

function positiveInteger(value: number | undefined, field: string, min = 1): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= min)) {
    throw invalid(field, `must be an integer >= ${min}, got ${value}`);
  }
}

/**
 * Checks {@link RunKernelsOptions} before anything is downloaded or booted and returns the
 * catalogue entries of the requested kernels.
 *
 * @throws {HarnessError} `INVALID_OPTION` or `UNKNOWN_KERNEL` naming the field and the rule.
 */
export function validateRunOptions(options: RunKernelsOptions): KernelEntry[] {
  if (!Array.isArray(options.kernels) || options.kernels.length === 0) {
    throw invalid('kernels', 'name at least one kernel');
  }
  const seen = new Set<string>();
  const entries = options.kernels.map((name, index) => {
    if (typeof name !== 'string') throw invalid(`kernels[${index}]`, 'must be a string');
    if (seen.has(name)) throw invalid(`kernels[${index}]`, `"${name}" is listed twice`);
    seen.add(name);
    return findKernel(name, options.catalogue ?? kernelCatalogue, `kernels[${index}]`);
  });
  const { command } = options;
  if (typeof command === 'string' ? command.trim() === '' : !Array.isArray(command) || command.length === 0) {
    throw invalid('command', 'must be a non-empty string or argv array');
  }
  positiveInteger(options.concurrency, 'concurrency');
  positiveInteger(options.cpus, 'cpus');
  positiveInteger(options.memoryMiB, 'memoryMiB', 256);
  positiveInteger(options.timeoutMs, 'timeoutMs');
  positiveInteger(options.bootTimeoutMs, 'bootTimeoutMs');
  positiveInteger(options.kvmDeadlineMs, 'kvmDeadlineMs');
  if (options.accelerator !== undefined && !['auto', 'kvm', 'tcg'].includes(options.accelerator)) {
    throw invalid('accelerator', `must be auto, kvm or tcg, got ${options.accelerator}`);
  }
  if (options.shard) {
    const { index, count } = options.shard;
    if (!(Number.isInteger(count) && count >= 1 && Number.isInteger(index) && index >= 1 && index <= count)) {
      throw invalid('shard', `index must be 1..count, got ${index}/${count}`);
    }
  }
  return entries;
}
