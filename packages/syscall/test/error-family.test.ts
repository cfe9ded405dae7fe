// Every error the package throws is a ProgrunError; a kernel's answer has the errno name as `code` and the
// negative number as `errno`; the checks work for errors of another copy of the package.
import { Errno, ProgrunError, ProgrunErrorCode } from '@progrun/uapi';
import { describe, expect, test } from 'vitest';
import { thrown } from '../../../tests/helpers/thrown.js';
import {
  asm,
  BpfError,
  BpfObject,
  BpfObjectError,
  bpfObjGet,
  NotSupportedError,
  Program,
  ValidationError,
} from '../src/index.js';

// Second instances of the error modules, as a duplicated copy of @progrun/syscall would load them.
const secondCopy = <M>(path: string): Promise<M> =>
  import(`${new URL(path, import.meta.url).href}?second-copy`);
const copy = {
  ...(await secondCopy<typeof import('../src/errors/bpf-error.js')>('../src/errors/bpf-error.ts')),
  ...(await secondCopy<typeof import('../src/errors/not-supported-error.js')>(
    '../src/errors/not-supported-error.ts',
  )),
  ...(await secondCopy<typeof import('../src/object/bpf-object-error.js')>(
    '../src/object/bpf-object-error.ts',
  )),
};

describe('kernel answers: errno name as code, negative errno', { tags: ['privileged'] }, () => {
  test('a failed bpf() call is a BpfError with code ENOENT and errno -ENOENT', () => {
    const error = thrown(() => bpfObjGet('/sys/fs/bpf/progrun-no-such-pin'));
    expect(BpfError.isInstance(error)).toBe(true);
    expect(ProgrunError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      code: 'ENOENT',
      errno: -Errno.ENOENT,
      syscall: 'bpf',
      command: 'BPF_OBJ_GET',
    });
  });

  test('a verifier rejection is a BpfError with code EACCES or EINVAL and the matching negative errno', () => {
    const error = thrown(() =>
      Program.load({ type: 'XDP', instructions: asm.assemble([asm.exit()]), license: 'GPL' }),
    ) as BpfError;
    expect(BpfError.isInstance(error)).toBe(true);
    expect(error.errno).toBe(-Errno[error.code as keyof typeof Errno]);
    expect(error.errno).toBeLessThan(0);
  });

  test('an object libbpf cannot open is a BpfObjectError with the errno name and its negative number', () => {
    const error = thrown(() => BpfObject.open('/nonexistent/progrun.bpf.o'));
    expect(BpfObjectError.isInstance(error)).toBe(true);
    expect(ProgrunError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'ENOENT', errno: -Errno.ENOENT, operation: 'open' });
  });
});

describe('our own errors: ERR_PROGRUN_* codes', () => {
  test('bad input is the one ValidationError, naming the field and the rule', () => {
    const error = thrown(() =>
      Program.load({ type: 'XDP', instructions: new Uint8Array(3), license: 'GPL' }),
    );
    expect(ValidationError.isInstance(error)).toBe(true);
    expect(ProgrunError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: ProgrunErrorCode.VALIDATION, field: 'options.instructions' });
    expect((error as ValidationError).rule).toEqual(expect.any(String));
  });

  test('codes of the other classes', () => {
    expect(new NotSupportedError('x', '5.18').code).toBe('ERR_PROGRUN_NOT_SUPPORTED');
    expect(new asm.AsmError('dst', 'must be a register r0..r10').code).toBe('ERR_PROGRUN_ASM');
    const misuse = new BpfObjectError({
      operation: 'use',
      object: 'x.o',
      code: ProgrunErrorCode.BPF_OBJECT_CLOSED,
      detail: 'closed',
    });
    expect(misuse).toMatchObject({ code: 'ERR_PROGRUN_BPF_OBJECT_CLOSED', errno: undefined });
  });
});

describe('checks across copies of the package', () => {
  test("another copy's errors are recognised by this copy's isInstance, and the reverse", () => {
    expect(copy.BpfError).not.toBe(BpfError);
    const foreign = new copy.BpfError({ errno: Errno.EINVAL, command: 'BPF_PROG_TEST_RUN' });
    expect(foreign instanceof BpfError).toBe(false);
    expect(BpfError.isInstance(foreign)).toBe(true);
    expect(ProgrunError.isInstance(foreign)).toBe(true);
    expect(NotSupportedError.isInstance(foreign)).toBe(false);
    expect(foreign).toMatchObject({ code: 'EINVAL', errno: -Errno.EINVAL });

    expect(NotSupportedError.isInstance(new copy.NotSupportedError('x', '6.1'))).toBe(true);
    expect(copy.NotSupportedError.isInstance(new NotSupportedError('x', '6.1'))).toBe(true);
    expect(
      BpfObjectError.isInstance(
        new copy.BpfObjectError({ operation: 'open', object: 'x', errno: 2, detail: 'd' }),
      ),
    ).toBe(true);
    expect(copy.BpfError.isInstance(new BpfError({ errno: Errno.EPERM, command: 'BPF_PROG_LOAD' }))).toBe(
      true,
    );
  });

  test('a subclass marker does not answer for its siblings', () => {
    const bpf = new BpfError({ errno: Errno.EINVAL, command: 'BPF_PROG_LOAD' });
    expect(ValidationError.isInstance(bpf)).toBe(false);
    expect(BpfObjectError.isInstance(bpf)).toBe(false);
    expect(asm.AsmError.isInstance(bpf)).toBe(false);
  });
});
