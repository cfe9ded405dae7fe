import { Errno, ProgrunError, ProgrunErrorCode } from '@progrun/uapi';
import { describe, expect, test } from 'vitest';
import { CommandError, WorkerError } from '../src/index.js';

describe('xdp-live errors are progrun errors', () => {
  test("a worker's failed syscall has the errno name as code and the negative number as errno", () => {
    const error = new WorkerError('setns', Errno.EPERM, 3, 'entering the network namespace');
    expect(WorkerError.isInstance(error)).toBe(true);
    expect(ProgrunError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'EPERM', errno: -Errno.EPERM, syscall: 'setns', cpu: 3 });
    expect(error.message).toBe(
      'EPERM: Operation not permitted, setns in the worker for CPU 3: entering the network namespace',
    );
  });

  test('a failed tool is a CommandError with its own code', () => {
    const error = new CommandError({
      command: 'ip',
      args: ['link'],
      exitCode: 1,
      stderr: 'nope',
      purpose: 'list',
    });
    expect(CommandError.isInstance(error)).toBe(true);
    expect(ProgrunError.isInstance(error)).toBe(true);
    expect(WorkerError.isInstance(error)).toBe(false);
    expect(error.code).toBe(ProgrunErrorCode.COMMAND_FAILED);
  });
});
