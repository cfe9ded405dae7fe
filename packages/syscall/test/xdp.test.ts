import { BPF_F_TEST_XDP_LIVE_FRAMES, fieldOf, layouts, sizeOf } from '@progrun/uapi';
import { describe, expect, test } from 'vitest';
import { BpfError, kernelOlderThan, NotSupportedError } from '../src/index.js';
import { load, returns, xdpAdjustHead, xdpAdjustTail, xdpRewrite } from './helpers/programs.js';

const packet = (length: number) => Buffer.from(Array.from({ length }, (_, i) => i & 0xff));

describe('XDP test runs', { tags: ['privileged'] }, () => {
  test('returns the verdict and the unmodified packet', () => {
    using prog = load('XDP', returns(2));
    const result = prog.run({ data: packet(64) });
    expect(result.retval).toBe(2);
    expect(result.dataOut).toEqual(packet(64));
    expect(result.ctxOut).toBeUndefined();
  });

  test('returns the packet the program rewrote', () => {
    using prog = load('XDP', xdpRewrite);
    const { retval, dataOut } = prog.test(packet(60));
    expect(retval).toBe(3);
    const expected = packet(60);
    expected[0] = 0xab;
    expected[13] = 0xcd;
    expect(dataOut).toEqual(expected);
  });

  test('a packet grown at the front with bpf_xdp_adjust_head comes back whole', () => {
    using prog = load('XDP', xdpAdjustHead(-32));
    const { dataOut } = prog.run({ data: packet(64) });
    expect(dataOut?.length).toBe(96);
    expect(dataOut?.subarray(32)).toEqual(packet(64));
  });

  test('a packet grown at the end with bpf_xdp_adjust_tail comes back whole', () => {
    using prog = load('XDP', xdpAdjustTail(1000));
    const { dataOut } = prog.run({ data: packet(64) });
    expect(dataOut?.length).toBe(1064);
    expect(dataOut?.subarray(0, 64)).toEqual(packet(64));
  });

  test('an explicit dataSizeOut below the output is an ENOSPC BpfError saying what is needed', () => {
    using prog = load('XDP', xdpAdjustHead(-32));
    const error = (() => {
      try {
        prog.run({ data: packet(64), dataSizeOut: 80 });
      } catch (e) {
        return e;
      }
    })();
    expect(BpfError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'ENOSPC', errno: -28, syscall: 'bpf', command: 'BPF_PROG_TEST_RUN' });
    expect((error as Error).message).toMatch(/produced 96 bytes of packet but dataSizeOut is 80/);
  });

  test('dataSizeOut 0 returns no packet; a shrunk packet comes back shorter', () => {
    using grow = load('XDP', xdpAdjustTail(-20));
    expect(grow.run({ data: packet(64), dataSizeOut: 0 }).dataOut).toBeUndefined();
    expect(grow.run({ data: packet(64) }).dataOut).toEqual(packet(44));
  });

  test('repeat reports a mean duration and the last verdict', () => {
    using prog = load('XDP', returns(1));
    const result = prog.benchmark(packet(64), 1000);
    expect(result).toMatchObject({ retval: 1, repeat: 1000 });
    expect(result.durationNs).toBeGreaterThan(0);
  });

  test.skipIf(kernelOlderThan('5.15'))(
    'xdp_md ctx in and out (Linux 5.15+): metadata before the packet',
    () => {
      // data = 8: eight bytes of metadata precede the packet; data_end = the whole buffer.
      using prog = load('XDP', returns(2));
      const ctx = Buffer.alloc(sizeOf('xdp_md'));
      ctx.writeUInt32LE(8, fieldOf(layouts.xdp_md, 'data').offset);
      ctx.writeUInt32LE(72, fieldOf(layouts.xdp_md, 'data_end').offset);
      const { dataOut, ctxOut } = prog.run({ data: packet(72), ctx });
      expect(dataOut).toEqual(packet(72));
      expect(ctxOut?.readUInt32LE(fieldOf(layouts.xdp_md, 'data').offset)).toBe(8);
      expect(ctxOut?.readUInt32LE(fieldOf(layouts.xdp_md, 'data_end').offset)).toBe(72);
    },
  );

  test.skipIf(kernelOlderThan('5.15'))(
    'an xdp_md ctx breaking a rule gets the rules; a missing device ENODEV',
    () => {
      using prog = load('XDP', returns(2));
      const md = (field: (typeof layouts.xdp_md.fields)[number]['name']) =>
        fieldOf(layouts.xdp_md, field).offset;
      const ctx = Buffer.alloc(sizeOf('xdp_md'));
      ctx.writeUInt32LE(64, md('data_end'));
      ctx.writeUInt32LE(6, md('data')); // metadata must be a multiple of 4
      expect(() => prog.run({ data: packet(64), ctx })).toThrow(
        expect.objectContaining({
          code: 'EINVAL',
          message: expect.stringMatching(/metadata \(data\) a multiple of 4/),
        }),
      );
      ctx.writeUInt32LE(0, md('data'));
      ctx.writeUInt32LE(5, md('egress_ifindex'));
      expect(() => prog.run({ data: packet(64), ctx })).toThrow(/egress_ifindex 0/);
      ctx.writeUInt32LE(0, md('egress_ifindex'));
      ctx.writeUInt32LE(0x7fff_fff0, md('ingress_ifindex'));
      expect(() => prog.run({ data: packet(64), ctx })).toThrow(
        expect.objectContaining({ code: 'ENODEV', message: expect.stringMatching(/no network device/) }),
      );
    },
  );

  test.skipIf(kernelOlderThan('5.18'))(
    'batchSize without the live-frames flag says to add the flag (Linux 5.18+)',
    () => {
      using prog = load('XDP', returns(1));
      expect(() => prog.run({ data: packet(64), batchSize: 16 })).toThrow(
        expect.objectContaining({
          code: 'EINVAL',
          message: expect.stringMatching(/only valid with flags BPF_F_TEST_XDP_LIVE_FRAMES/),
        }),
      );
    },
  );

  test.skipIf(kernelOlderThan('5.18'))(
    'a live-frames batch above 256 is E2BIG with the limit (Linux 5.18+)',
    () => {
      using prog = load('XDP', returns(1));
      expect(() =>
        prog.run({ data: packet(64), flags: BPF_F_TEST_XDP_LIVE_FRAMES, batchSize: 300, repeat: 1 }),
      ).toThrow(expect.objectContaining({ code: 'E2BIG', message: expect.stringMatching(/limit of 256/) }));
    },
  );

  test.skipIf(kernelOlderThan('5.18'))(
    'live-frames mode runs XDP_DROP frames and reports retval 0 (Linux 5.18+)',
    () => {
      using prog = load('XDP', returns(1));
      const result = prog.run({
        data: packet(64),
        flags: BPF_F_TEST_XDP_LIVE_FRAMES,
        batchSize: 8,
        repeat: 64,
        dataSizeOut: 0,
      });
      expect(result.retval).toBe(0);
    },
  );

  test('unknown XDP flags are rejected with the one XDP takes (or ignored before 5.18)', () => {
    using prog = load('XDP', returns(2));
    if (kernelOlderThan('5.18')) {
      expect(prog.run({ data: packet(64), flags: 8 }).retval).toBe(2);
    } else {
      expect(() => prog.run({ data: packet(64), flags: 8 })).toThrow(
        /accept only BPF_F_TEST_XDP_LIVE_FRAMES/,
      );
    }
  });

  test('a packet shorter than an Ethernet header is refused with the minimum', () => {
    using prog = load('XDP', returns(2));
    // Kernels before late 2024 accept short XDP packets; newer ones want an Ethernet header.
    try {
      prog.run({ data: packet(4) });
    } catch (error) {
      expect(error).toMatchObject({ code: 'EINVAL', message: expect.stringMatching(/at least 14 bytes/) });
    }
  });

  test('NotSupportedError is what a pre-5.18 kernel gives for batchSize', () => {
    // On this kernel the check above applies; here only the error class contract is checked.
    const error = new NotSupportedError('XDP live frames', '5.18');
    expect(NotSupportedError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/requires Linux 5.18 or newer/);
  });
});
