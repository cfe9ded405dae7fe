// The running kernel's BTF, read by vmlinuxBtfType: the ids programs attached through BTF load with.
import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ValidationError, vmlinuxBtfType } from '../src/index.js';

const rejection = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('vmlinuxBtfType', () => {
  test.skipIf(!existsSync('/sys/kernel/btf/vmlinux'))(
    'finds a kernel function, and a struct with its members (Linux 5.4+ with kernel BTF)',
    () => {
      const func = vmlinuxBtfType('func', 'bpf_fentry_test1')!;
      const struct = vmlinuxBtfType('struct', 'xdp_md')!; // in every kernel's BTF (bpf_dummy_ops: 5.17+)
      expect(func.id).toBeGreaterThan(0);
      expect(func.members).toEqual([]);
      expect(struct.id).toBeGreaterThan(0);
      expect(struct.id).not.toBe(func.id);
      expect(struct.members.slice(0, 2)).toEqual(['data', 'data_end']);
      // Functions and structs are looked up apart.
      expect(vmlinuxBtfType('struct', 'bpf_fentry_test1')).toBeUndefined();
      expect(vmlinuxBtfType('func', 'no_such_function_in_any_kernel')).toBeUndefined();
    },
  );

  test('a kind other than func or struct, or an empty name, is a ValidationError naming the argument', () => {
    const kind = rejection(() => vmlinuxBtfType('union' as 'func', 'x'));
    expect(ValidationError.isInstance(kind)).toBe(true);
    expect(kind).toMatchObject({ field: 'kind', rule: "'func' or 'struct'" });
    const name = rejection(() => vmlinuxBtfType('func', ''));
    expect(ValidationError.isInstance(name)).toBe(true);
    expect(name).toMatchObject({ field: 'name' });
  });
});
