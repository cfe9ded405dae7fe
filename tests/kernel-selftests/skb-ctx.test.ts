// Port of prog_tests/skb_ctx.c with progs/test_skb_ctx.c: the kernel validates an __sk_buff ctx_in (no
// empty buffers, no len/tc_index/hash/sk), and the program's writes to cb, priority, tstamp and mark come back.
import { BpfError, BpfObject, bpfProgTestRun } from '@progrun/syscall';
import { decode, encode, layouts } from '@progrun/uapi';
import { beforeAll, describe, expect, test } from 'vitest';
import { selftestObject } from './helpers/kernel-source.js';
import { pktV4 } from './helpers/network-packets.js';

const skbLayout = layouts.__sk_buff;
const skb = {
  cb: [1, 2, 3, 4, 5],
  priority: 6,
  ingress_ifindex: 11,
  ifindex: 1,
  tstamp: 7n,
  wire_len: 100,
  gso_segs: 8,
  mark: 9,
  gso_size: 10,
  hwtstamp: 11n,
};

let objectPath: string;
beforeAll(async () => {
  objectPath = await selftestObject('test_skb_ctx');
});

describe('skb_ctx', { tags: ['privileged'] }, () => {
  test('refuses an empty ctx_in or ctx_out and set len, tc_index, hash, sk; returns the written fields', () => {
    using obj = BpfObject.open(objectPath).load();
    using prog = obj.program('process').toProgram();
    const data = pktV4();
    const ctxIn = encode(skbLayout, skb);

    // ctx_in != NULL, ctx_size_in == 0
    expect(() => prog.run({ data, ctx: Buffer.alloc(0) }), 'ctx_size_in').toThrow(BpfError);
    // ctx_out != NULL, ctx_size_out == 0
    expect(
      () => bpfProgTestRun({ progFd: prog.fd, dataIn: data, ctxIn, ctxOut: new Uint8Array(0) }),
      'ctx_size_out',
    ).toThrow(BpfError);
    // non-zero [len, tc_index] fields should be rejected; non-zero [hash, sk] too
    for (const field of ['len', 'tc_index', 'hash'] as const) {
      expect(() => prog.run({ data, ctx: encode(skbLayout, { ...skb, [field]: 1 }) }), field).toThrow(
        BpfError,
      );
    }
    expect(() => prog.run({ data, ctx: encode(skbLayout, { ...skb, sk: 1n }) }), 'sk').toThrow(BpfError);

    const { retval, ctxOut } = prog.run({ data, ctx: ctxIn, ctxSizeOut: skbLayout.size });
    expect(retval, 'test_run retval').toBe(0);
    expect(ctxOut?.length, 'ctx_size_out').toBe(skbLayout.size);
    const out = decode(skbLayout, ctxOut!);
    expect(out.cb, 'ctx_out_cb').toEqual([2, 3, 4, 5, 6]);
    expect(out.priority, 'ctx_out_priority').toBe(7);
    expect(out.ifindex, 'ctx_out_ifindex').toBe(1);
    expect(out.ingress_ifindex, 'ctx_out_ingress_ifindex').toBe(11);
    expect(out.tstamp, 'ctx_out_tstamp').toBe(8n);
    expect(out.mark, 'ctx_out_mark').toBe(10);
  });
});
