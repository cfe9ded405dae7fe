// Test runs of the program types other than XDP: each loads a real program and checks what the kernel
// hands back (verdict, packet, context), or the typed error for a type without a test run.
import { BPF_F_SLEEPABLE, BPF_F_TEST_RUN_ON_CPU, fieldOf, layouts, sizeOf } from '@progrun/uapi';
import { describe, expect, test } from 'vitest';
import { asm, BpfError, kernelOlderThan, vmlinuxBtfType } from '../src/index.js';
import { load, returns, skb, tcChangeTail, tcMark } from './helpers/programs.js';

const packet = (length: number) => Buffer.from(Array.from({ length }, (_, i) => (i * 7) & 0xff));

describe('skb program test runs', { tags: ['privileged'] }, () => {
  test('SOCKET_FILTER sees the packet from its network header; the header comes back zeroed', () => {
    using prog = load('SOCKET_FILTER', [asm.ldx('u32', 'r0', 'r1', skb('len')), asm.exit()]);
    const { retval, dataOut } = prog.run({ data: packet(64) });
    // skb->len lacks the Ethernet header the kernel pulled; it pushes a zeroed one back for the output.
    expect(retval).toBe(64 - 14);
    expect(dataOut).toEqual(Buffer.concat([Buffer.alloc(14), packet(64).subarray(14)]));
  });

  test('CGROUP_SKB returns its verdict', () => {
    using prog = load('CGROUP_SKB', returns(1));
    expect(prog.run({ data: packet(64) }).retval).toBe(1);
  });

  test('SCHED_CLS reads and writes the __sk_buff it is given (Linux 5.2+)', () => {
    using prog = load('SCHED_CLS', tcMark);
    const ctx = Buffer.alloc(sizeOf('__sk_buff'));
    ctx.writeUInt32LE(5, skb('mark'));
    const { retval, ctxOut, dataOut } = prog.run({ data: packet(80), ctx });
    expect(retval).toBe(80);
    expect(dataOut).toEqual(packet(80));
    expect(ctxOut?.readUInt32LE(skb('mark'))).toBe(6);
    expect(ctxOut?.readUInt32LE(skb('priority'))).toBe(7);
    expect(ctx.readUInt32LE(skb('mark'))).toBe(5);
  });

  test('a packet grown past the default room is fetched again at the size the kernel reports', () => {
    using prog = load('SCHED_CLS', tcChangeTail(9000));
    const { retval, dataOut } = prog.run({ data: packet(64) });
    expect(retval).toBe(0);
    expect(dataOut?.length).toBe(9000);
    expect(dataOut?.subarray(0, 64)).toEqual(packet(64));
  });

  test('the same growth with runAsync', async () => {
    using prog = load('SCHED_CLS', tcChangeTail(9000));
    const { dataOut } = await prog.runAsync({ data: packet(64) });
    expect(dataOut?.length).toBe(9000);
  });

  test('an __sk_buff with a field the kernel does not take is refused with the fields it takes', () => {
    using prog = load('SCHED_CLS', returns(0));
    const ctx = Buffer.alloc(sizeOf('__sk_buff'));
    ctx.writeUInt32LE(3, skb('protocol'));
    expect(() => prog.run({ data: packet(64), ctx })).toThrow(
      expect.objectContaining({
        code: 'EINVAL',
        message: expect.stringMatching(/may set only mark, priority/),
      }),
    );
  });

  test('flags an skb run does not take are refused with the one it takes', () => {
    using prog = load('SCHED_CLS', returns(0));
    expect(() => prog.run({ data: packet(64), flags: BPF_F_TEST_RUN_ON_CPU })).toThrow(
      /accept only BPF_F_TEST_SKB_CHECKSUM_COMPLETE/,
    );
  });
});

describe('test runs without a packet', { tags: ['privileged'] }, () => {
  test('RAW_TRACEPOINT reads its arguments from ctx (Linux 5.10+)', () => {
    using prog = load('RAW_TRACEPOINT', [asm.ldx('u64', 'r0', 'r1', 8), asm.exit()]);
    const ctx = Buffer.alloc(16);
    ctx.writeBigUInt64LE(0x1234_5678n, 8);
    const result = prog.run({ ctx });
    expect(result.retval).toBe(0x1234_5678);
    expect(result.ctxOut).toBeUndefined();
  });

  test('RAW_TRACEPOINT on a chosen CPU with BPF_F_TEST_RUN_ON_CPU (Linux 5.10+)', () => {
    using prog = load('RAW_TRACEPOINT', returns(9));
    expect(prog.run({ ctx: Buffer.alloc(8), flags: BPF_F_TEST_RUN_ON_CPU, cpu: 0 }).retval).toBe(9);
    expect(() => prog.run({ ctx: Buffer.alloc(8), flags: BPF_F_TEST_RUN_ON_CPU, cpu: 100_000 })).toThrow(
      expect.objectContaining({ code: 'ENXIO', message: expect.stringMatching(/not an online CPU/) }),
    );
    expect(() => prog.run({ ctx: Buffer.alloc(8), cpu: 1 })).toThrow(
      /only honoured with flags BPF_F_TEST_RUN_ON_CPU/,
    );
  });

  test('RAW_TRACEPOINT refuses repeat and data, and says what it takes', () => {
    using prog = load('RAW_TRACEPOINT', returns(0));
    expect(() => prog.run({ ctx: Buffer.alloc(8), repeat: 5 })).toThrow(
      /raw tracepoint test runs take only ctx/,
    );
  });

  test.skipIf(kernelOlderThan('5.14'))(
    'SYSCALL writes its context back; it comes back as ctxOut (Linux 5.14+)',
    () => {
      using prog = load(
        'SYSCALL',
        [asm.mov64('r2', 42), asm.stx('u32', 'r1', 'r2', 4), asm.mov64('r0', 7), asm.exit()],
        {
          flags: BPF_F_SLEEPABLE,
        },
      );
      const ctx = Buffer.alloc(8, 1);
      const result = prog.run({ ctx });
      expect(result.retval).toBe(7);
      expect(result.ctxOut).toEqual(Buffer.from([1, 1, 1, 1, 42, 0, 0, 0]));
      expect(ctx).toEqual(Buffer.alloc(8, 1));
    },
  );

  test.skipIf(kernelOlderThan('5.14'))(
    'SYSCALL through runAsync returns the written-back context too',
    async () => {
      using prog = load(
        'SYSCALL',
        [asm.mov64('r2', 0x55), asm.stx('u32', 'r1', 'r2', 0), asm.mov64('r0', 0), asm.exit()],
        {
          flags: BPF_F_SLEEPABLE,
        },
      );
      const { ctxOut } = await prog.runAsync({ ctx: Buffer.alloc(4) });
      expect(ctxOut).toEqual(Buffer.from([0x55, 0, 0, 0]));
    },
  );

  test.skipIf(kernelOlderThan('5.13'))(
    'SK_LOOKUP needs a bpf_sk_lookup ctx and returns its verdict (Linux 5.13+)',
    () => {
      using prog = load('SK_LOOKUP', returns(1), { expectedAttachType: 'SK_LOOKUP' });
      const field = (name: (typeof layouts.bpf_sk_lookup.fields)[number]['name']) =>
        fieldOf(layouts.bpf_sk_lookup, name).offset;
      const ctx = Buffer.alloc(sizeOf('bpf_sk_lookup'));
      ctx.writeUInt32LE(2, field('family')); // AF_INET
      ctx.writeUInt32LE(6, field('protocol')); // TCP
      ctx.writeUInt32LE(8080, field('local_port'));
      const result = prog.run({ ctx });
      expect(result.retval).toBe(1);
      expect(result.ctxOut?.length).toBeGreaterThanOrEqual(field('local_port') + 4);
      expect(() => prog.run({})).toThrow(/SK_LOOKUP test runs need ctx/);
    },
  );

  test.skipIf(kernelOlderThan('5.17'))(
    "STRUCT_OPS runs an operation of the kernel's bpf_dummy_ops; ctx holds its arguments (Linux 5.17+)",
    () => {
      const dummyOps = vmlinuxBtfType('struct', 'bpf_dummy_ops');
      expect(dummyOps, 'the kernel has bpf_dummy_ops (CONFIG_BPF_JIT)').toBeDefined();
      // test_1(struct bpf_dummy_ops_state *state), with a NULL state.
      using test1 = load('STRUCT_OPS', returns(42), {
        attachBtfId: dummyOps!.id,
        expectedAttachType: dummyOps!.members.indexOf('test_1'),
      });
      expect(test1.run({ ctx: Buffer.alloc(8) }).retval).toBe(42);
      // One u64 per argument of the operation, exactly.
      expect(() => test1.run({ ctx: Buffer.alloc(16) })).toThrow(
        /STRUCT_OPS test runs take only ctx: one u64 per argument of the operation/,
      );
    },
  );

  test('FLOW_DISSECTOR returns its struct bpf_flow_keys as the output data', () => {
    using prog = load('FLOW_DISSECTOR', returns(0));
    const { retval, dataOut } = prog.run({ data: packet(64) });
    // Before 6.1 retval is whether the program said BPF_OK (1), since 6.1 the program's own verdict (0).
    expect(retval).toBe(kernelOlderThan('6.1') ? 1 : 0);
    expect(dataOut?.length).toBe(sizeOf('bpf_flow_keys'));
  });

  test('a type without a test run gets ENOTSUPP with its own code and what to do', () => {
    using prog = load('KPROBE', returns(0));
    let error: unknown;
    try {
      prog.run({ ctx: Buffer.alloc(8) });
    } catch (e) {
      error = e;
    }
    expect(BpfError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'ENOTSUPP', errno: -524, command: 'BPF_PROG_TEST_RUN' });
    expect((error as Error).message).toMatch(/BPF_PROG_TYPE_KPROBE programs have no test run/);
  });
});
