import { ProgrunError, ValidationError } from '@progrun/uapi';
import { describe, expect, test } from 'vitest';
import { thrown } from '../../../tests/helpers/thrown.js';
import { CliError, usageError } from '../src/cli/cli-error.js';
import { ExitCode } from '../src/cli/exit-codes.js';
import { explainError } from '../src/cli/explain-error.js';
import { parseProgramType } from '../src/program/program-type.js';

describe('the CLI wraps the one validation shape', () => {
  test('a usage error keeps its message and exit code and names the field and rule in its cause', () => {
    const error = usageError(
      '--repeat',
      'an integer from 1 to 10',
      '--repeat must be an integer from 1 to 10',
      'run',
    );
    expect(CliError.isInstance(error)).toBe(true);
    expect(ProgrunError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'ERR_PROGRUN_CLI',
      kind: 'usage',
      exitCode: ExitCode.Usage,
      message: '--repeat must be an integer from 1 to 10',
    });
    expect(ValidationError.isInstance(error.cause)).toBe(true);
    expect(error.cause).toMatchObject({ field: '--repeat', rule: 'an integer from 1 to 10' });
  });

  test('a command-line check throws it: an unknown program type names --type', () => {
    const error = thrown(() => parseProgramType('nope'));
    expect(CliError.isInstance(error)).toBe(true);
    expect((error as CliError).exitCode).toBe(ExitCode.Usage);
    expect((error as CliError).cause).toMatchObject({ field: '--type', code: 'ERR_PROGRUN_VALIDATION' });
  });

  test("a library's ValidationError becomes a usage error, or not-supported when it names a minimum kernel", () => {
    const option = explainError(new ValidationError('options.repeat', 'an integer', { received: 1.5 }));
    expect(option).toMatchObject({ kind: 'usage', exitCode: ExitCode.Usage });
    expect(option.message).toBe('invalid input: options.repeat must be an integer; received 1.5');

    const context = explainError(
      new ValidationError('xdp_md.egress_ifindex', 'must-be-zero', {
        message: 'must be 0',
        kernelCode: 'EINVAL',
      }),
    );
    expect(context).toMatchObject({ kind: 'usage', exitCode: ExitCode.Usage });
    expect(context.message).toBe('invalid context: xdp_md.egress_ifindex: must be 0');

    const newer = new ValidationError('xdp_md.ingress_ifindex', 'min-kernel', {
      message: 'setting xdp_md.ingress_ifindex needs Linux 5.15 or later (target 5.10)',
      minKernel: '5.15',
    });
    const refused = explainError(newer);
    expect(refused).toMatchObject({ kind: 'not-supported', exitCode: ExitCode.NotSupported, cause: newer });
  });
});
