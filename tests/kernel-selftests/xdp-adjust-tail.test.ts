// Port of prog_tests/xdp_adjust_tail.c with progs/test_xdp_adjust_tail_shrink.c and
// test_xdp_adjust_tail_grow.c: bpf_xdp_adjust_tail shrinks and grows linear frames and multi-buffer
// (fragmented) ones; the test case is chosen by the packet's size or first byte. On a 4 KiB-page machine.
import { execFileSync } from 'node:child_process';
import { BpfError, BpfObject, kernelOlderThan } from '@progrun/syscall';
import { XDP_PACKET_HEADROOM } from '@progrun/uapi';
import { beforeAll, describe, expect, test } from 'vitest';
import { thrown } from '../helpers/thrown.js';
import { selftestObject } from './helpers/kernel-source.js';
import { pktV4, pktV6 } from './helpers/network-packets.js';

const XDP_DROP = 1;
const XDP_TX = 3;
/** SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) on x86_64 and arm64, as the C file has it. */
const TAILROOM = 320;

/** Frames larger than a page become multi-buffer XDP frames in a test run from Linux 5.18. */
const noFrags = kernelOlderThan('5.18');
const pageSize = Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }));
let shrinkPath: string;
let growPath: string;
beforeAll(async () => {
  shrinkPath = await selftestObject('test_xdp_adjust_tail_shrink');
  growPath = await selftestObject('test_xdp_adjust_tail_grow');
});

/** Opens and loads an object; the first program's handle, closed with the object. */
function firstProgram(path: string) {
  const obj = BpfObject.open(path);
  try {
    obj.load();
    return { obj, prog: obj.programs[0]!.toProgram() };
  } catch (error) {
    obj.close();
    throw error;
  }
}

describe('xdp_adjust_tail', { tags: ['privileged'] }, () => {
  test('xdp_adjust_tail_shrink', () => {
    const { obj, prog } = firstProgram(shrinkPath);
    using _obj = obj;
    using _prog = prog;
    const v4 = prog.run({ data: pktV4(), dataSizeOut: 128, repeat: 1 });
    expect(v4.syscallReturn, 'ipv4').toBe(0);
    expect(v4.retval, 'ipv4 retval').toBe(XDP_DROP);

    const v6 = prog.run({ data: pktV6(), dataSizeOut: 128, repeat: 1 });
    expect(v6.syscallReturn, 'ipv6').toBe(0);
    expect(v6.retval, 'ipv6 retval').toBe(XDP_TX);
    expect(v6.dataOut?.length, 'ipv6 size').toBe(pktV6().length - 20); // shrink with 20 bytes
  });

  test.skipIf(pageSize !== 4096)('xdp_adjust_tail_grow (4 KiB pages)', () => {
    const { obj, prog } = firstProgram(growPath);
    using _obj = obj;
    using _prog = prog;
    const v4 = prog.run({ data: pktV4(), dataSizeOut: 8192, repeat: 1 });
    expect(v4.syscallReturn, 'ipv4').toBe(0);
    expect(v4.retval, 'ipv4 retval').toBe(XDP_DROP);

    const v6 = prog.run({ data: pktV6(), dataSizeOut: 8192, repeat: 1 });
    expect(v6.syscallReturn, 'ipv6').toBe(0);
    expect(v6.retval, 'ipv6 retval').toBe(XDP_TX);
    expect(v6.dataOut?.length, 'ipv6 size').toBe(pktV6().length + 40); // grow with 40 bytes
  });

  test('xdp_adjust_tail_grow2', () => {
    const { obj, prog } = firstProgram(growPath);
    using _obj = obj;
    using _prog = prog;

    // Test case-64: the program grows by 128, the 128-byte output limit makes the copy partial.
    const error = thrown(() => prog.run({ data: Buffer.alloc(64, 1), dataSizeOut: 128, repeat: 1 }));
    if (!BpfError.isInstance(error)) throw error;
    expect(error.code, 'case-64 errno').toBe('ENOSPC');
    expect(error.retval, 'case-64 retval').toBe(XDP_TX);
    expect(error.dataSizeOut, 'case-64 data_size_out').toBe(192);
    // The C test's buffer was all 1s before the run; the kernel copied the first 128 bytes over it.
    const buf = Buffer.alloc(4096, 1);
    error.dataOut?.copy(buf);
    expect(buf[0], 'case-64-data buf[0]').toBe(1); // 0-63 memset to 1
    expect(buf[63], 'case-64-data buf[63]').toBe(1);
    expect(buf[64], 'case-64-data buf[64]').toBe(0); // 64-127 the grown, zeroed part
    expect(buf[127], 'case-64-data buf[127]').toBe(0);
    expect(buf[128], 'case-64-data buf[128]').toBe(1); // 128-191 not copied
    expect(buf[191], 'case-64-data buf[191]').toBe(1);

    // Test case-128: the program grows to the frame's end.
    const maxGrow = 4096 - XDP_PACKET_HEADROOM - TAILROOM; // 3520
    const run = prog.run({ data: Buffer.alloc(128, 2), dataSizeOut: 4096, repeat: 1 });
    expect(run.syscallReturn, 'case-128').toBe(0);
    expect(run.retval, 'case-128 retval').toBe(XDP_TX);
    expect(run.dataOut?.length, 'case-128 data_size_out').toBe(maxGrow);
    const out = Buffer.alloc(4096, 2);
    run.dataOut?.copy(out);
    const zeros = out.filter((byte) => byte === 0).length;
    expect(zeros, 'case-128-data cnt').toBe(maxGrow - 128);
    expect(run.dataOut?.length, 'case-128-data data_size_out').toBe(maxGrow);
  });

  test.skipIf(noFrags)('xdp_adjust_frags_tail_shrink (needs XDP multi-buffer test runs, Linux 5.18)', () => {
    const { obj, prog } = firstProgram(shrinkPath);
    using _obj = obj;
    using _prog = prog;
    const buf = Buffer.alloc(9000);

    // removing 10 bytes from the last frag, not freeing it
    const tenBytes = prog.run({ data: buf, dataSizeOut: 9000 });
    expect(tenBytes.syscallReturn, '9Kb-10b').toBe(0);
    expect(tenBytes.retval, '9Kb-10b retval').toBe(XDP_TX);
    expect(tenBytes.dataOut?.length, '9Kb-10b size').toBe(8990);

    // removing one of two pages, assuming 4K pages
    buf[0] = 1;
    const onePage = prog.run({ data: buf, dataSizeOut: 9000 });
    expect(onePage.syscallReturn, '9Kb-4Kb').toBe(0);
    expect(onePage.retval, '9Kb-4Kb retval').toBe(XDP_TX);
    expect(onePage.dataOut?.length, '9Kb-4Kb size').toBe(4900);

    // removing two pages, leaving a linear xdp_buff
    buf[0] = 2;
    const twoPages = prog.run({ data: buf, dataSizeOut: 9000 });
    expect(twoPages.syscallReturn, '9Kb-9Kb').toBe(0);
    expect(twoPages.retval, '9Kb-9Kb retval').toBe(XDP_TX);
    expect(twoPages.dataOut?.length, '9Kb-9Kb size').toBe(800);
  });

  test.skipIf(noFrags || pageSize !== 4096)('xdp_adjust_frags_tail_grow (4 KiB pages; Linux 5.18)', () => {
    const { obj, prog } = firstProgram(growPath);
    using _obj = obj;
    using _prog = prog;

    // add 10 bytes to the last frag
    const grown = prog.run({ data: Buffer.alloc(9000, 1), dataSizeOut: 16384 });
    expect(grown.syscallReturn, '9Kb+10b').toBe(0);
    expect(grown.retval, '9Kb+10b retval').toBe(XDP_TX);
    expect(grown.dataOut?.length, '9Kb+10b size').toBe(9010);
    const out = grown.dataOut!;
    expect(
      out.subarray(0, 9000).every((byte) => byte === 1),
      '9Kb+10b-old',
    ).toBe(true);
    expect(
      out.subarray(9000, 9010).every((byte) => byte === 0),
      '9Kb+10b-new',
    ).toBe(true);

    // a too large grow
    const tooLarge = prog.run({ data: Buffer.alloc(9001, 1), dataSizeOut: 16384 });
    expect(tooLarge.syscallReturn, '9Kb+10b').toBe(0);
    expect(tooLarge.retval, '9Kb+10b retval').toBe(XDP_DROP);
    expect(tooLarge.dataOut?.length, '9Kb+10b size').toBe(9001);
  });
});
