import { ValidationError } from '@progrun/uapi';
import { findKernel, type KernelEntry, kernelCatalogue } from '../kernels/catalogue.js';
import type { RunKernelsOptions } from './run-options.js';

function invalid(field: string, rule: string, message: string): ValidationError {
  return new ValidationError(field, rule, { message });
}

function positiveInteger(value: number | undefined, field: string, min = 1): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= min)) {
    throw invalid(field, `an integer >= ${min}`, `must be an integer >= ${min}, got ${value}`);
  }
}

/**
 * Checks {@link RunKernelsOptions} before anything is downloaded or booted and returns the
 * catalogue entries of the requested kernels.
 *
 * @throws {ValidationError} naming the field and the rule, also for a kernel not in the catalogue.
 */
export function validateRunOptions(options: RunKernelsOptions): KernelEntry[] {
  if (!Array.isArray(options.kernels) || options.kernels.length === 0) {
    throw invalid('kernels', 'a non-empty array', 'name at least one kernel');
  }
  const seen = new Set<string>();
  const entries = options.kernels.map((name, index) => {
    if (typeof name !== 'string') throw invalid(`kernels[${index}]`, 'a string', 'must be a string');
    if (seen.has(name)) throw invalid(`kernels[${index}]`, 'unique', `"${name}" is listed twice`);
    seen.add(name);
    return findKernel(name, options.catalogue ?? kernelCatalogue, `kernels[${index}]`);
  });
  const { command } = options;
  if (typeof command === 'string' ? command.trim() === '' : !Array.isArray(command) || command.length === 0) {
    throw invalid('command', 'a non-empty string or argv array', 'must be a non-empty string or argv array');
  }
  positiveInteger(options.concurrency, 'concurrency');
  positiveInteger(options.cpus, 'cpus');
  positiveInteger(options.memoryMiB, 'memoryMiB', 256);
  positiveInteger(options.timeoutMs, 'timeoutMs');
  positiveInteger(options.bootTimeoutMs, 'bootTimeoutMs');
  positiveInteger(options.kvmDeadlineMs, 'kvmDeadlineMs');
  if (options.accelerator !== undefined && !['auto', 'kvm', 'tcg'].includes(options.accelerator)) {
    throw invalid('accelerator', 'auto, kvm or tcg', `must be auto, kvm or tcg, got ${options.accelerator}`);
  }
  if (options.shard) {
    const { index, count } = options.shard;
    if (!(Number.isInteger(count) && count >= 1 && Number.isInteger(index) && index >= 1 && index <= count)) {
      throw invalid('shard', 'index in 1..count', `index must be 1..count, got ${index}/${count}`);
    }
  }
  return entries;
}
