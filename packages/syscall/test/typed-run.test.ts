// The typed-run protocol of Program.run/runAsync: any object with data/ctx bytes and a decode method (what
// the context builders of @progrun/ctx-builders return) runs, and comes back with its verdict by name and
// its decoded outputs; plain options keep working as before.
import { BPF_F_TEST_RUN_ON_CPU, TcAction, XdpAction } from '@progrun/uapi';
import { describe, expect, test } from 'vitest';
import type { RunResult, TestRunInput } from '../src/index.js';
import { ValidationError } from '../src/index.js';
import { load, returns, tcMark, xdpRewrite } from './helpers/programs.js';

const frame = Buffer.alloc(64, 7);

/** A hand-made typed input: a packet in, its length and first byte out. */
function packetInput(
  packet: Uint8Array,
): TestRunInput<{ length: number | undefined; first: number | undefined }> {
  return {
    dataIn: packet,
    decode: (result: RunResult) => ({ length: result.dataOut?.length, first: result.dataOut?.[0] }),
  };
}

describe('typed runs', { tags: ['privileged'] }, () => {
  test('return the raw result, the verdict by name and what the input decoded', () => {
    using prog = load('XDP', xdpRewrite);
    const result = prog.run(packetInput(frame));
    expect(result).toMatchObject({ retval: XdpAction.TX, verdict: 'XDP_TX', length: 64, first: 0xab });
    expect(result.dataOut?.[0]).toBe(0xab);
    expect(typeof result.durationNs).toBe('number');
  });

  test('the verdict reads by the program type: TC actions for SCHED_CLS, none for RAW_TRACEPOINT', () => {
    using tc = load('SCHED_CLS', returns(TcAction.SHOT));
    expect(tc.run(packetInput(frame)).verdict).toBe('TC_ACT_SHOT');
    using tp = load('RAW_TRACEPOINT', returns(0));
    const args: TestRunInput<object> = { ctxIn: new Uint8Array(8), decode: () => ({}) };
    expect(tp.run(args)).toMatchObject({ retval: 0, verdict: undefined });
  });

  test('the caller adds options; flags are or-ed with the input’s; data and ctx stay the input’s', () => {
    using tp = load('RAW_TRACEPOINT', returns(0));
    const onCpu: TestRunInput<object> = {
      ctxIn: new Uint8Array(8),
      flags: BPF_F_TEST_RUN_ON_CPU,
      cpu: 0,
      decode: () => ({}),
    };
    expect(tp.run(onCpu, { flags: 0 }).retval).toBe(0);
    using xdp = load('XDP', returns(XdpAction.PASS));
    expect(xdp.run(packetInput(frame), { repeat: 1, dataSizeOut: 0 })).toMatchObject({
      verdict: 'XDP_PASS',
      length: undefined,
    });
    expect(() => xdp.run(packetInput(frame), { data: frame } as never)).toThrow(ValidationError);
    expect(() => xdp.run(packetInput(frame), { ctx: frame } as never)).toThrow(/options\.ctx/);
    expect(() => xdp.run(packetInput(frame), { bogus: 1 } as never)).toThrow(/options\.bogus/);
  });

  test('runAsync takes the same inputs', async () => {
    using prog = load('SCHED_CLS', tcMark);
    const result = await prog.runAsync(packetInput(frame));
    expect(result).toMatchObject({ retval: 64, verdict: undefined, length: 64, first: 7 });
  });

  test('plain options keep working, and a plain options object is never taken for an input', () => {
    using prog = load('XDP', returns(XdpAction.DROP));
    const plain = prog.run({ data: frame });
    expect(plain.retval).toBe(XdpAction.DROP);
    expect(plain).not.toHaveProperty('verdict');
    expect(() => prog.run({ decode: 1 } as never)).toThrow(/options\.decode/);
  });
});
