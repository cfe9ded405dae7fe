// Many inputs per crossing: Program.runEach (one synchronous call), runEachAsync (spread over the pool)
// and runStream (an unbounded source, a bounded number of inputs in flight). Every input gets what
// Program.run would have given it, or its own typed error.
import { BPF_F_SLEEPABLE, TcAction, XdpAction } from '@progrun/uapi';
import { describe, expect, test } from 'vitest';
import { requireFeature, testRunFeature, xdpRejectsShortData } from '../src/features/index.js';
import {
  asm,
  BpfError,
  type RunEachEntry,
  RunEachResult,
  type RunResult,
  type TestRunInput,
  ValidationError,
} from '../src/index.js';
import { load, returns, skb, tcChangeTail, tcMark, xdpAdjustHead, xdpRewrite } from './helpers/programs.js';

const packets = (count: number, size = 64) =>
  Array.from({ length: count }, (_, i) => Buffer.alloc(size + (i % 7), i & 0xff));

/** What run() returns, reduced to what a batch must reproduce. */
const essentials = (result: RunResult) => ({
  retval: result.retval,
  syscallReturn: result.syscallReturn,
  dataOut: result.dataOut === undefined ? undefined : Buffer.from(result.dataOut),
  ctxOut: result.ctxOut === undefined ? undefined : Buffer.from(result.ctxOut),
});

describe('runEach', { tags: ['privileged'] }, () => {
  test('each input gets what run() gives it, in input order', () => {
    using prog = load('XDP', xdpRewrite);
    const inputs = packets(300);
    const results = prog.runEach(inputs);
    expect(results).toBeInstanceOf(RunEachResult);
    expect(results.length).toBe(300);
    inputs.forEach((packet, i) => {
      expect(results.ok(i)).toBe(true);
      expect(results.retval(i)).toBe(XdpAction.TX);
      expect(essentials(results.result(i))).toEqual(essentials(prog.run({ data: packet })));
    });
    // The input packets are untouched; the outputs are views into one slab.
    expect(inputs[5]![0]).toBe(5);
    expect(results.dataOut(1)!.buffer).toBe(results.dataOut(2)!.buffer);
  });

  test('bare packets, { data } options, options with a ctx and typed inputs mix in one call', () => {
    using prog = load('SCHED_CLS', tcMark);
    const ctx = Buffer.alloc(skb('priority') + 4);
    ctx.writeUInt32LE(41, skb('mark'));
    const typed: TestRunInput<{ first: number | undefined }> = {
      dataIn: Buffer.alloc(70, 3),
      decode: (result) => ({ first: result.dataOut?.[0] }),
    };
    const inputs = [
      Buffer.alloc(64, 1),
      { data: Buffer.alloc(65, 2) },
      { data: Buffer.alloc(66), ctx },
      typed,
    ];
    const results = prog.runEach(inputs);
    expect([0, 1, 2, 3].map((i) => results.retval(i))).toEqual([64, 65, 66, 70]);
    const withCtx = results.result(2);
    expect(withCtx.ctxOut?.readUInt32LE(skb('mark'))).toBe(42);
    expect(essentials(withCtx)).toEqual(essentials(prog.run({ data: Buffer.alloc(66), ctx })));
    expect(results.result(3)).toMatchObject({ retval: 70, verdict: undefined, first: 3 });
  });

  test('shared options apply to every input; an input’s own options win', () => {
    using prog = load('XDP', returns(XdpAction.PASS));
    const results = prog.runEach([Buffer.alloc(64), { data: Buffer.alloc(64), dataSizeOut: 64 }], {
      dataSizeOut: 0,
      repeat: 1,
    });
    expect(results.dataOut(0)).toBeUndefined();
    expect(results.dataOut(1)).toEqual(Buffer.alloc(64));
    expect(() => prog.runEach([Buffer.alloc(64)], { data: Buffer.alloc(64) } as never)).toThrow(
      /options\.data/,
    );
    expect(() => prog.runEach([Buffer.alloc(64)], { repeat: -1 })).toThrow(ValidationError);
    expect(() => prog.runEach('packets' as never)).toThrow(/inputs must be an array/);
  });

  test('a failing input gets its own typed error; the others still run', () => {
    using prog = load('XDP', xdpAdjustHead(-32));
    const results = prog.runEach([
      Buffer.alloc(64, 1),
      { data: Buffer.alloc(64), bogus: 1 } as never,
      { data: Buffer.alloc(64), dataSizeOut: 80 },
      Buffer.alloc(64, 5),
    ]);
    expect(results.ok(0) && results.ok(3)).toBe(true);
    expect(results.dataOut(3)).toHaveLength(96);
    expect(results.error(1)).toBeInstanceOf(ValidationError);
    expect(results.error(1)).toMatchObject({ field: 'inputs[1].bogus' });
    // An explicit size is a hard limit, as for run(): ENOSPC with what the kernel wrote.
    const enospc = results.error(2) as BpfError;
    expect(BpfError.isInstance(enospc)).toBe(true);
    expect(enospc).toMatchObject({ code: 'ENOSPC', command: 'BPF_PROG_TEST_RUN', dataSizeOut: 96 });
    expect(enospc.dataOut).toHaveLength(80);
    expect(() => results.result(2)).toThrow(BpfError);
    const entries = [...results];
    expect(entries.map((e) => e.ok)).toEqual([true, false, false, true]);
    expect(entries[2]).toMatchObject({ index: 2, ok: false, error: enospc });
  });

  test('a packet the kernel refuses fails alone, with the errno and its explanation', (t) => {
    // Older kernels run a packet shorter than an Ethernet header.
    requireFeature(t, xdpRejectsShortData);
    using prog = load('XDP', returns(XdpAction.PASS));
    const results = prog.runEach([Buffer.alloc(64), Buffer.alloc(10), Buffer.alloc(64)]);
    expect([0, 1, 2].map((i) => results.ok(i))).toEqual([true, false, true]);
    expect(results.error(1)).toMatchObject({ code: 'EINVAL', command: 'BPF_PROG_TEST_RUN' });
    expect(results.error(1)?.message).toMatch(/at least 14 bytes/);
  });

  test('an automatic output size grows as run() grows it: the input runs again with the room it needs', () => {
    using prog = load('SCHED_CLS', tcChangeTail(9000));
    const results = prog.runEach([Buffer.alloc(64), Buffer.alloc(64, 1)]);
    expect(results.ok(0)).toBe(true);
    expect(results.dataOut(0)).toHaveLength(9000);
    expect(results.dataOut(1)?.subarray(0, 64)).toEqual(Buffer.alloc(64, 1));
  });

  test('outputs that overflow an output slab continue in the next', () => {
    using prog = load('XDP', xdpRewrite);
    const inputs = packets(200, 1400);
    const results = prog.runEach(inputs);
    const slabs = new Set(inputs.map((_, i) => results.dataOut(i)!.buffer));
    expect(slabs.size).toBeGreaterThan(1);
    inputs.forEach((packet, i) => {
      expect(results.dataOut(i)!.subarray(1, 13)).toEqual(packet.subarray(1, 13));
      expect(results.dataOut(i)).toHaveLength(packet.length);
    });
  });

  test('dataOutChanged tells the packets the program changed, sync and async, reruns included', async () => {
    // xdpRewrite writes 0xab and 0xcd at bytes 0 and 13: a packet that holds them already stays the same.
    const same = Buffer.alloc(64);
    same[0] = 0xab;
    same[13] = 0xcd;
    // The third fails on every kernel: an explicit output size too small for the packet (ENOSPC).
    const tooSmall = { data: Buffer.alloc(64, 2), dataSizeOut: 16 };
    const inputs = [Buffer.alloc(64, 1), same, tooSmall, { data: Buffer.alloc(64), dataSizeOut: 0 }];
    {
      using prog = load('XDP', xdpRewrite);
      for (const results of [prog.runEach(inputs), await prog.runEachAsync(inputs)]) {
        // Changed; unchanged; failed (ENOSPC); no packet asked for.
        expect(inputs.map((_, i) => results.dataOutChanged(i))).toEqual([true, false, false, false]);
        expect(results.ok(2)).toBe(false);
      }
    }
    {
      using prog = load('XDP', returns(XdpAction.PASS));
      expect(prog.runEach([Buffer.alloc(64, 7)]).dataOutChanged(0)).toBe(false);
    }
    {
      // Grown past the default room: the input ran again, and its longer packet is a change.
      using prog = load('SCHED_CLS', tcChangeTail(9000));
      const results = prog.runEach([Buffer.alloc(64)]);
      expect(results.dataOut(0)).toHaveLength(9000);
      expect(results.dataOutChanged(0)).toBe(true);
    }
  });

  test('SYSCALL programs return the context written back, per input, sync and async', async (t) => {
    requireFeature(t, testRunFeature('SYSCALL'));
    // *(u32 *)ctx += 1; return 7
    using prog = load(
      'SYSCALL',
      [asm.ldx('u32', 'r2', 'r1', 0), asm.add64('r2', 1), asm.stx('u32', 'r1', 'r2', 0), ...returns(7)],
      { flags: BPF_F_SLEEPABLE },
    );
    const ctx = Buffer.alloc(8, 0);
    const inputs = [{ ctx }, { ctx: Buffer.from([1, 0, 0, 0]) }];
    for (const results of [prog.runEach(inputs), await prog.runEachAsync(inputs)]) {
      expect(results.retval(0)).toBe(7);
      expect(results.ctxOut(0)).toEqual(Buffer.from([1, 0, 0, 0, 0, 0, 0, 0]));
      expect(results.ctxOut(1)).toEqual(Buffer.from([2, 0, 0, 0]));
    }
    // The caller's context is not written: the run writes into a copy.
    expect(ctx).toEqual(Buffer.alloc(8, 0));
  });

  test('a closed program throws EBADF for the whole call', () => {
    const prog = load('XDP', returns(2));
    prog.close();
    expect(() => prog.runEach([Buffer.alloc(64)])).toThrow(expect.objectContaining({ code: 'EBADF' }));
  });
});

describe('runEachAsync', { tags: ['privileged'] }, () => {
  test('gives what runEach gives, spread over the pool, in input order', async () => {
    using prog = load('XDP', xdpRewrite);
    const inputs = [...packets(500), Buffer.alloc(3), ...packets(100)];
    const sync = prog.runEach(inputs);
    for (const concurrency of [1, 2, 4]) {
      const results = await prog.runEachAsync(inputs, { concurrency });
      expect(results.length).toBe(inputs.length);
      for (let i = 0; i < inputs.length; i++) {
        expect(results.ok(i)).toBe(sync.ok(i));
        if (results.ok(i)) expect(essentials(results.result(i))).toEqual(essentials(sync.result(i)));
        else expect(results.error(i)?.message).toBe(sync.error(i)?.message);
      }
    }
  });

  test('copies the inputs when it starts, and runs typed inputs and contexts', async () => {
    using prog = load('SCHED_CLS', tcMark);
    const data = Buffer.alloc(64, 1);
    const ctx = Buffer.alloc(skb('priority') + 4);
    const typed: TestRunInput<{ len: number }> = {
      dataIn: Buffer.alloc(80),
      decode: (r) => ({ len: r.retval }),
    };
    const pending = prog.runEachAsync([data, { data, ctx }, typed]);
    data.fill(9);
    const results = await pending;
    expect(results.dataOut(0)).toEqual(Buffer.alloc(64, 1));
    expect(results.ctxOut(1)?.readUInt32LE(skb('priority'))).toBe(7);
    expect(results.result(2)).toMatchObject({ len: 80 });
  });

  test('validates its options', async () => {
    using prog = load('XDP', returns(2));
    expect(() => prog.runEachAsync([], { concurrency: 0 })).toThrow(/options\.concurrency/);
    expect(() => prog.runEachAsync([], { signal: 'stop' as never })).toThrow(/options\.signal/);
    expect((await prog.runEachAsync([])).length).toBe(0);
  });
});

describe('runStream', { tags: ['privileged'] }, () => {
  test('yields every input’s entry in order, with a bounded number of inputs taken ahead', async () => {
    using prog = load('SCHED_CLS', returns(TcAction.OK));
    let pulled = 0;
    async function* source() {
      for (let i = 0; i < 2000; i++) {
        pulled++;
        yield Buffer.alloc(64 + (i % 50), i & 0xff);
      }
    }
    const perBatch = 64;
    const concurrency = 2;
    let seen = 0;
    let maxAhead = 0;
    for await (const entry of prog.runStream(source(), { inputsPerBatch: perBatch, concurrency })) {
      expect(entry.index).toBe(seen);
      expect(entry.ok && entry.result.dataOut).toEqual(Buffer.alloc(64 + (seen % 50), seen & 0xff));
      maxAhead = Math.max(maxAhead, pulled - seen);
      seen++;
    }
    expect(seen).toBe(2000);
    // In flight at most: the batch being read and `concurrency` more.
    expect(maxAhead).toBeLessThanOrEqual((concurrency + 1) * perBatch);
  });

  test('takes sync iterables, yields whole batches on request, and names failing inputs by stream index', async () => {
    using prog = load('XDP', returns(XdpAction.DROP));
    const inputs = [...packets(10), { data: Buffer.alloc(64), dataSizeOut: 1 }, ...packets(5)];
    const batches: RunEachResult[] = [];
    for await (const batch of prog.runStream(inputs, { inputsPerBatch: 4, batches: true }))
      batches.push(batch);
    expect(batches.map((b) => [b.offset, b.length])).toEqual([
      [0, 4],
      [4, 4],
      [8, 4],
      [12, 4],
    ]);
    expect(batches[2]!.ok(2)).toBe(false);
    expect(batches[2]!.entry(2)).toMatchObject({ index: 10, error: { code: 'ENOSPC' } });
    const bad = [...packets(5), { data: Buffer.alloc(64), bogus: 1 } as never];
    const entries: RunEachEntry[] = [];
    for await (const entry of prog.runStream(bad, { inputsPerBatch: 2 })) entries.push(entry);
    expect(entries[5]).toMatchObject({ index: 5, ok: false, error: { field: 'inputs[5].bogus' } });
  });

  test('leaving the loop early closes the source', async () => {
    using prog = load('XDP', returns(XdpAction.PASS));
    let closed = false;
    async function* source() {
      try {
        for (;;) yield Buffer.alloc(64);
      } finally {
        closed = true;
      }
    }
    let count = 0;
    for await (const _ of prog.runStream(source(), { inputsPerBatch: 8 })) if (++count === 20) break;
    expect(closed).toBe(true);
  });

  test('refuses what is not iterable', async () => {
    using prog = load('XDP', returns(XdpAction.PASS));
    await expect(
      prog
        .runStream(42 as never)
        [Symbol.asyncIterator]()
        .next(),
    ).rejects.toThrow(/source must be/);
  });
});
