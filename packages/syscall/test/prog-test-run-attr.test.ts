// What the kernel is told and what it answers, through the 1:1 BPF_PROG_TEST_RUN wrappers and Program.run
// alike: bpf()'s own return value, the partial run after ENOSPC, and ctx buffers that are present but
// empty (which the kernel refuses), as the kernel's own test_run selftests check them.
import { describe, expect, test } from 'vitest';
import {
  asm,
  BpfError,
  BpfLink,
  bpfProgTestRun,
  bpfProgTestRunAsync,
  kernelOlderThan,
  Program,
} from '../src/index.js';
import { load, returns } from './helpers/programs.js';

const packet = Buffer.from(Array.from({ length: 64 }, (_, i) => i));

/** The error `run` throws or rejects with. */
async function failure(run: () => unknown): Promise<BpfError> {
  try {
    await run();
  } catch (error) {
    if (BpfError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a BpfError');
}

describe('BPF_PROG_TEST_RUN attrs and answers', { tags: ['privileged'] }, () => {
  // The kernel's raw_tp_writable_test_run: a RAW_TRACEPOINT_WRITABLE program on bpf_test_finish
  // overwrites the run's error code, and bpf() returns it. The tracepoint fires for every test run on
  // the machine while the program is attached, so this one writes only in runs of this process.
  test('bpf() returns what a RAW_TRACEPOINT_WRITABLE program on bpf_test_finish wrote (Linux 5.2+)', async () => {
    using writer = Program.load({
      type: 'RAW_TRACEPOINT_WRITABLE',
      license: 'GPL',
      instructions: asm.assemble([
        asm.ldx('u64', 'r6', 'r1', 0), // the tracepoint's int *err
        asm.call('get_current_pid_tgid'),
        asm.alu64('rsh', 'r0', 32),
        asm.jmp('jne', 'r0', process.pid, 'out'),
        asm.mov64('r1', 42),
        asm.stx('u32', 'r6', 'r1', 0),
        asm.label('out'),
        asm.mov64('r0', 0),
        asm.exit(),
      ]),
    });
    using filter = load('SOCKET_FILTER', returns(0));
    using _attached = BpfLink.rawTracepoint(writer, 'bpf_test_finish');
    const attr = { progFd: filter.fd, dataIn: packet };
    expect(bpfProgTestRun(attr)).toMatchObject({ syscallReturn: 42, retval: 0 });
    expect(await bpfProgTestRunAsync(attr)).toMatchObject({ syscallReturn: 42, retval: 0 });
    expect(filter.run({ data: packet })).toMatchObject({ syscallReturn: 42, retval: 0 });
    expect(await filter.runAsync({ data: packet })).toMatchObject({ syscallReturn: 42, retval: 0 });
  });

  test('a run that succeeds returns 0 from bpf()', () => {
    using prog = load('XDP', returns(2));
    expect(prog.run({ data: packet }).syscallReturn).toBe(0);
    expect(bpfProgTestRun({ progFd: prog.fd, dataIn: packet }).syscallReturn).toBe(0);
  });

  describe('after ENOSPC the error carries what the kernel filled in', () => {
    const expectShortPacket = (error: BpfError, room: number) => {
      expect(error.code).toBe('ENOSPC');
      expect(error.retval).toBe(2);
      expect(error.dataSizeOut).toBe(packet.length);
      expect(error.dataOut).toEqual(packet.subarray(0, room));
      // The context is copied only after the packet fitted.
      expect(error.ctxOut).toBeUndefined();
    };

    test('a short data_out: retval, data_size_out and the partial packet', async () => {
      using prog = load('XDP', returns(2));
      const dataOut = new Uint8Array(10);
      expectShortPacket(
        await failure(() => bpfProgTestRun({ progFd: prog.fd, dataIn: packet, dataOut })),
        10,
      );
      expectShortPacket(
        await failure(() => bpfProgTestRunAsync({ progFd: prog.fd, dataIn: packet, dataSizeOut: 10 })),
        10,
      );
      // An explicit dataSizeOut is a hard limit: Program.run does not grow it.
      expectShortPacket(await failure(() => prog.run({ data: packet, dataSizeOut: 10 })), 10);
      expectShortPacket(await failure(() => prog.runAsync({ data: packet, dataSizeOut: 10 })), 10);
    });

    test('a short ctx_out: the whole packet, ctx_size_out and the partial context', async () => {
      using prog = load('SCHED_CLS', returns(2));
      const ctx = new Uint8Array(192);
      ctx[8] = 7; // __sk_buff.mark
      const expectShortCtx = (error: BpfError) => {
        expect(error.code).toBe('ENOSPC');
        expect(error.retval).toBe(2);
        expect(error.dataOut).toEqual(packet);
        expect(error.ctxSizeOut).toBe(kernelOlderThan('5.16') ? 184 : 192); // sizeof(__sk_buff): hwtstamp is 5.16
        expect(error.ctxOut).toHaveLength(16);
        expect(error.ctxOut![8]).toBe(7);
      };
      expectShortCtx(
        await failure(() =>
          bpfProgTestRun({
            progFd: prog.fd,
            dataIn: packet,
            dataOut: new Uint8Array(128),
            ctxIn: ctx,
            ctxOut: new Uint8Array(16),
          }),
        ),
      );
      expectShortCtx(await failure(() => prog.run({ data: packet, ctx, ctxSizeOut: 16 })));
      expectShortCtx(await failure(() => prog.runAsync({ data: packet, ctx, ctxSizeOut: 16 })));
    });
  });

  describe('an empty buffer is sent as one, not as none', () => {
    // The kernel's skb_ctx selftest: ctx_in (or ctx_out) non-NULL with size 0 is EINVAL.
    test('ctx_in and ctx_out of size 0 are EINVAL', async () => {
      using prog = load('SCHED_CLS', returns(0));
      const empty = new Uint8Array(0);
      const ctx = new Uint8Array(192);
      const run = (attr: object) =>
        failure(() => bpfProgTestRun({ progFd: prog.fd, dataIn: packet, ...attr }));
      expect((await run({ ctxIn: empty })).code).toBe('EINVAL');
      expect((await run({ ctxIn: ctx, ctxOut: empty })).code).toBe('EINVAL');
      const runAsync = (attr: object) =>
        failure(() => bpfProgTestRunAsync({ progFd: prog.fd, dataIn: packet, ...attr }));
      expect((await runAsync({ ctxIn: empty })).code).toBe('EINVAL');
      expect((await runAsync({ ctxIn: ctx, ctxSizeOut: 0 })).code).toBe('EINVAL');
      const error = await failure(() => prog.run({ data: packet, ctx: empty }));
      expect(error.code).toBe('EINVAL');
      expect(error.message).toMatch(/ctx is empty/);
      // Absent, they are fine.
      expect(bpfProgTestRun({ progFd: prog.fd, dataIn: packet }).retval).toBe(0);
    });

    test('an empty dataOut passes no data_out (the kernel would copy the whole packet into it)', () => {
      using prog = load('XDP', returns(2));
      const result = bpfProgTestRun({ progFd: prog.fd, dataIn: packet, dataOut: new Uint8Array(0) });
      expect(result.dataSizeOut).toBe(packet.length);
    });
  });
});
