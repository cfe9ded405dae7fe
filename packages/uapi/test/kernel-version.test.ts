import { release } from 'node:os';
import { describe, expect, test } from 'vitest';
import {
  compareKernelVersions,
  formatKernelVersion,
  kernelAtLeast,
  kernelOlderThan,
  parseKernelVersion,
  runningKernel,
  tryParseKernelVersion,
  ValidationError,
} from '../src/index.js';

describe('kernel versions', () => {
  test.each([
    ['5.10', 5, 10, 0],
    ['6.18.44-fc-v769', 6, 18, 44],
    ['5.10.0-32-amd64', 5, 10, 0],
    ['5.10.223-1', 5, 10, 223],
    ['6.12.107+deb13-amd64', 6, 12, 107],
    [' 6.1.176 ', 6, 1, 176],
  ])('%s parses as %i.%i.%i', (text, major, minor, patch) => {
    expect(parseKernelVersion(text)).toEqual({ major, minor, patch });
    expect(tryParseKernelVersion(text)).toEqual({ major, minor, patch });
  });

  test('text without a leading version is a ValidationError naming the field, or undefined', () => {
    for (const text of ['amd64', '', 'v6.1', '6']) {
      expect(tryParseKernelVersion(text)).toBeUndefined();
      let error: unknown;
      try {
        parseKernelVersion(text, 'kernels[1]');
      } catch (caught) {
        error = caught;
      }
      expect(ValidationError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ field: 'kernels[1]', rule: expect.stringContaining('major.minor') });
    }
    expect(() => parseKernelVersion('bookworm')).toThrow(/kernel version must be .*; received "bookworm"/);
  });

  test('comparison is numeric, takes strings and parsed versions, and ignores suffixes', () => {
    expect(compareKernelVersions('6.1', '6.12')).toBeLessThan(0);
    expect(compareKernelVersions('5.18', '5.9')).toBeGreaterThan(0);
    expect(compareKernelVersions(parseKernelVersion('5.18'), parseKernelVersion('5.9'))).toBeGreaterThan(0);
    expect(compareKernelVersions('6.1.0-28-amd64', '6.1')).toBe(0);
    expect(compareKernelVersions(parseKernelVersion('6.1.60'), '6.1.59')).toBeGreaterThan(0);
    expect(() => compareKernelVersions('6.1', 'trixie')).toThrow(ValidationError);
  });

  test('kernelAtLeast and formatKernelVersion', () => {
    expect(kernelAtLeast(parseKernelVersion('5.10.223'), '5.10')).toBe(true);
    expect(kernelAtLeast('6.1.176', '6.4')).toBe(false);
    expect(kernelAtLeast('6.1.60', parseKernelVersion('6.1.60'))).toBe(true);
    expect(formatKernelVersion(parseKernelVersion('5.10'))).toBe('5.10.0');
    expect(formatKernelVersion(parseKernelVersion('5.10.223-1'))).toBe('5.10.223');
  });

  test('the running kernel comes from uname, once', () => {
    const running = runningKernel();
    expect(running).toEqual(tryParseKernelVersion(release()));
    expect(runningKernel()).toBe(running);
    expect(kernelOlderThan('2.6')).toBe(false);
    expect(kernelOlderThan('999.0')).toBe(true);
    expect(kernelOlderThan(formatKernelVersion(running!))).toBe(false);
    expect(() => kernelOlderThan('next')).toThrow(ValidationError);
  });
});
