// Port of prog_tests/xdp_adjust_frags.c with progs/test_xdp_update_frags.c: an XDP multi-buffer program
// rewrites 16 bytes at the offset the frame's first word names, in the linear head, in a fragment and
// across the head/fragment and fragment/fragment boundaries; a frame of more fragments than
// /proc/sys/net/core/max_skb_frags allows is refused with ENOMEM.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { BpfError, BpfObject, kernelOlderThan } from '@progrun/syscall';
import { beforeAll, describe, expect, test } from 'vitest';
import { thrown } from '../helpers/thrown.js';
import { selftestObject } from './helpers/kernel-source.js';

const XDP_PASS = 2;

let objectPath: string;
beforeAll(async () => {
  objectPath = await selftestObject('test_xdp_update_frags');
});

/** A zeroed frame of `size` bytes whose first u32 is `offset`, with 0xaa markers at offset and offset + 15. */
function frame(size: number, offset: number): Buffer {
  const buf = Buffer.alloc(size);
  buf.writeUInt32LE(offset, 0);
  buf[offset] = 0xaa;
  buf[offset + 15] = 0xaa;
  return buf;
}

describe('xdp_adjust_frags', { tags: ['privileged'] }, () => {
  test.skipIf(kernelOlderThan('5.18'))(
    'xdp_adjust_frags (needs XDP multi-buffer test runs, Linux 5.18)',
    () => {
      using obj = BpfObject.open(objectPath);
      obj.load();
      using prog = obj.programs[0]!.toProgram();

      for (const [size, offset, where] of [
        [128, 16, 'head'],
        [9000, 5000, 'frag0'],
        [9000, 3510, 'head and frag0'],
        [9000, 7606, 'frag0 and frag1'],
      ] as const) {
        const run = prog.run({ data: frame(size, offset), dataSizeOut: size });
        // test_xdp_update_frags: the markers 0xaa -> 0xbb
        expect(run.syscallReturn, `xdp_update_frag (${where})`).toBe(0);
        expect(run.retval, 'xdp_update_frag retval').toBe(XDP_PASS);
        expect(run.dataOut?.[offset], `xdp_update_frag buf[${offset}]`).toBe(0xbb);
        expect(run.dataOut?.[offset + 15], `xdp_update_frag buf[${offset + 15}]`).toBe(0xbb);
      }

      // unsupported buffer size: the xdp_buff's linear area is always 4096 bytes in a test run
      const maxSkbFrags = Number.parseInt(readFileSync('/proc/sys/net/core/max_skb_frags', 'utf8'), 10);
      const pageSize = Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }));
      const bufSize = 4096 + (maxSkbFrags + 1) * pageSize;
      const error = thrown(() => prog.run({ data: frame(bufSize, 16), dataSizeOut: bufSize }));
      expect(
        BpfError.isInstance(error) && error.code,
        'unsupported buf size, possible non-default /proc/sys/net/core/max_skb_flags?',
      ).toBe('ENOMEM');
    },
  );
});
