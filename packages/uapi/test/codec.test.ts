import { describe, expect, test } from 'vitest';
import {
  BPF_ALU64,
  BPF_MOV,
  BPF_X,
  decode,
  encode,
  encodeInto,
  layoutFor,
  layouts,
  offsetOfEnd,
  sizeOf,
  UapiLookupError,
  ValidationError,
} from '../src/index.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('known encodings', () => {
  test('bpf_insn bitfields: dst_reg in the low nibble, src_reg in the high one', () => {
    const insn = encode(layouts.bpf_insn, { code: BPF_ALU64 | BPF_MOV | BPF_X, dst_reg: 1, src_reg: 2 });
    expect(hex(insn)).toBe('bf21000000000000');
    expect(decode(layouts.bpf_insn, Buffer.from('b701000001000000', 'hex'))).toEqual({
      code: 0xb7,
      dst_reg: 1,
      src_reg: 0,
      off: 0,
      imm: 1,
    });
  });

  test('signed fields: off and imm', () => {
    const insn = encode(layouts.bpf_insn, { off: -1, imm: -2 });
    expect(hex(insn)).toBe('0000fffffeffffff');
    expect(decode(layouts.bpf_insn, insn)).toMatchObject({ off: -1, imm: -2 });
  });

  test('__be16 fields are stored in network byte order', () => {
    const keys = encode(layouts.bpf_flow_keys, { n_proto: 0x86dd, sport: 443 });
    const nProto = layouts.bpf_flow_keys.fields.find((f) => f.name === 'n_proto')!;
    expect(hex(keys.subarray(nProto.offset, nProto.offset + 2))).toBe('86dd');
    expect(decode(layouts.bpf_flow_keys, keys)).toMatchObject({ n_proto: 0x86dd, sport: 443 });
  });

  test('u64 fields decode as bigint and accept safe numbers', () => {
    const attr = encode(layouts.bpf_attr_test, {
      prog_fd: 3,
      data_in: 0x1000,
      data_out: 2n ** 63n,
      repeat: 1,
    });
    const value = decode(layouts.bpf_attr_test, attr);
    expect(value.data_in).toBe(0x1000n);
    expect(value.data_out).toBe(2n ** 63n);
    expect(value.prog_fd).toBe(3);
  });

  test('char[16] names round-trip as strings and bytes arrays as Uint8Array', () => {
    const attr = encode(layouts.bpf_attr_prog_load, { prog_name: 'xdp_pass' });
    expect(decode(layouts.bpf_attr_prog_load, attr).prog_name).toBe('xdp_pass');
    const info = encode(layouts.bpf_prog_info, {
      tag: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]),
      gpl_compatible: 1,
    });
    const decoded = decode(layouts.bpf_prog_info, info);
    expect(decoded.tag).toEqual(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
    expect(decoded.gpl_compatible).toBe(1);
  });

  test('__sk_buff: cb[5] array and the flow_keys pointer member', () => {
    const skb = encode(layouts.__sk_buff, { cb: [1, 2, 3], mark: 7 });
    const value = decode(layouts.__sk_buff, skb);
    expect(value.cb).toEqual([1, 2, 3, 0, 0]);
    expect(value.mark).toBe(7);
    expect(value.flow_keys).toBe(0n);
  });

  test('nested records: link_create.kprobe_multi', () => {
    const attr = encode(layouts.bpf_attr_link_create, { prog_fd: 5, kprobe_multi: { cnt: 2, flags: 1 } });
    expect(decode(layouts.bpf_attr_link_create, attr).kprobe_multi).toMatchObject({ cnt: 2, flags: 1 });
  });
});

describe('sizes and prefixes', () => {
  test('the test member per header set, and the prefix PROG_TEST_RUN needs', () => {
    expect(sizeOf('bpf_attr_test', '5.10')).toBe(72);
    expect(sizeOf('bpf_attr_test', '6.1')).toBe(80);
    expect(offsetOfEnd(layouts.bpf_attr_test, 'cpu')).toBe(72);
    expect(offsetOfEnd(layouts.bpf_attr_test, 'batch_size')).toBe(76);
    expect(sizeOf('bpf_attr', '5.10')).toBeLessThan(sizeOf('bpf_attr'));
  });

  test('unknown layouts and absent ones are typed errors', () => {
    expect(() => layoutFor('bpf_attr_token_create', '5.10')).toThrow(/first in header set 6\.12/);
    expect(() => layoutFor('bpf_attr_token_create', '5.10')).toThrow(UapiLookupError);
    expect(() => layoutFor('nope' as 'xdp_md')).toThrow(UapiLookupError);
  });
});

describe('bad input is a ValidationError naming the field and the rule', () => {
  const rejects = (fn: () => unknown, field: string, rule: RegExp) => {
    try {
      fn();
    } catch (error) {
      expect(ValidationError.isInstance(error)).toBe(true);
      expect((error as ValidationError).field).toBe(field);
      expect((error as ValidationError).rule).toMatch(rule);
      return;
    }
    expect.unreachable(`expected a ValidationError for ${field}`);
  };

  test('unknown field', () => {
    rejects(
      () => encode(layouts.xdp_md, { data_size: 1 } as never),
      'xdp_md.data_size',
      /^a field of struct xdp_md$/,
    );
  });

  test('out of range and not an integer', () => {
    rejects(
      () => encode(layouts.xdp_md, { ingress_ifindex: 2 ** 32 }),
      'xdp_md.ingress_ifindex',
      /0\.\.4294967295/,
    );
    rejects(
      () => encode(layouts.xdp_md, { ingress_ifindex: -1 }),
      'xdp_md.ingress_ifindex',
      /0\.\.4294967295/,
    );
    rejects(() => encode(layouts.xdp_md, { ingress_ifindex: 1.5 }), 'xdp_md.ingress_ifindex', /safe integer/);
    rejects(() => encode(layouts.bpf_insn, { dst_reg: 16 }), 'bpf_insn.dst_reg', /0\.\.15/);
    rejects(
      () => encode(layouts.bpf_attr_test, { data_in: 2 ** 64 }),
      'bpf_attr_test.data_in',
      /safe integer/,
    );
  });

  test('names too long for their NUL-terminated char array', () => {
    rejects(
      () => encode(layouts.bpf_attr_prog_load, { prog_name: 'sixteen_chars_xx' }),
      'bpf_attr_prog_load.prog_name',
      /at most 15 UTF-8 bytes/,
    );
  });

  test('arrays longer than the field', () => {
    rejects(
      () => encode(layouts.__sk_buff, { cb: [1, 2, 3, 4, 5, 6] }),
      '__sk_buff.cb',
      /at most 5 elements/,
    );
    rejects(() => encode(layouts.__sk_buff, { cb: [1, -2] }), '__sk_buff.cb[1]', /0\.\.4294967295/);
  });

  test('nested record fields are named with their path', () => {
    rejects(
      () => encode(layouts.bpf_attr_link_create, { kprobe_multi: { cnt: -1 } }),
      'bpf_attr_link_create.kprobe_multi.cnt',
      /0\.\.4294967295/,
    );
  });

  test('buffers too small to hold the record', () => {
    rejects(() => decode(layouts.xdp_md, new Uint8Array(20)), 'xdp_md', /needs 24 bytes/);
    rejects(
      () => encodeInto(layouts.xdp_md, {}, new Uint8Array(30), 8),
      'xdp_md',
      /needs 24 bytes at offset 8/,
    );
  });
});
