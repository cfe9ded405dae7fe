// Port of prog_tests/type_cast.c with progs/type_cast.c: bpf_cast_to_kern_ctx turns an xdp_md into the
// kernel's xdp_buff and an __sk_buff into its sk_buff, and bpf_rdonly_cast reads through them (the
// device's ifindex, name and netns inode; the skb's lengths); two programs that misuse the casts are
// refused at load.
import { BpfObject, kernelOlderThan } from '@progrun/syscall';
import { beforeAll, describe, expect, test } from 'vitest';
import { thrown } from '../helpers/thrown.js';
import { selftestObject } from './helpers/kernel-source.js';
import { pktV4 } from './helpers/network-packets.js';

const XDP_PASS = 2;
/** bpf_cast_to_kern_ctx and bpf_rdonly_cast are kfuncs of Linux 6.2. */
const noCastKfuncs = kernelOlderThan('6.2');

let objectPath: string;
beforeAll(async () => {
  objectPath = await selftestObject('type_cast');
});

/** The object with only `program` set to load (every program of type_cast.c is `SEC("?...")`). */
function openWith(program: string): BpfObject {
  const obj = BpfObject.open(objectPath);
  obj.program(program).autoload = true;
  return obj;
}

describe('type_cast', { tags: ['privileged'] }, () => {
  test.skipIf(noCastKfuncs)('xdp (needs the bpf_cast_to_kern_ctx kfunc, Linux 6.2)', () => {
    using obj = openWith('md_xdp');
    obj.load();
    using prog = obj.program('md_xdp').toProgram();
    const run = prog.run({ data: pktV4(), dataSizeOut: 128, repeat: 1 });
    expect(run.syscallReturn, 'test_run').toBe(0);
    expect(run.retval, 'xdp test_run retval').toBe(XDP_PASS);
    expect(obj.global('ifindex').get(), 'xdp_md ifindex').toBe(1);
    expect(obj.global('ifindex').get(), 'xdp_md ingress_ifindex').toBe(obj.global('ingress_ifindex').get());
    const name = obj.global('name').bytes();
    expect(name.subarray(0, name.indexOf(0)).toString(), 'xdp_md name').toBe('lo');
    expect(obj.global('inum').get(), 'xdp_md inum').not.toBe(0);
  });

  test.skipIf(noCastKfuncs)('tc (needs the bpf_cast_to_kern_ctx kfunc, Linux 6.2)', () => {
    using obj = openWith('md_skb');
    obj.load();
    using prog = obj.program('md_skb').toProgram();
    const run = prog.run({ data: pktV4(), repeat: 1 });
    expect(run.syscallReturn, 'test_run').toBe(0);
    expect(run.retval, 'tc test_run retval').toBe(0);
    expect(obj.global('meta_len').get(), 'skb meta_len').toBe(0);
    expect(obj.global('frag0_len').get(), 'skb frag0_len').toBe(0);
    expect(obj.global('kskb_len').get(), 'skb len').not.toBe(0);
    expect(obj.global('kskb2_len').get(), 'skb2 len').not.toBe(0);
    expect(obj.global('kskb_len').get(), 'skb len compare').toBe(obj.global('kskb2_len').get());
  });

  test('negative', () => {
    for (const program of ['untrusted_ptr', 'kctx_u64']) {
      using obj = openWith(program);
      expect(
        thrown(() => obj.load()),
        `skel_load (${program})`,
      ).toBeInstanceOf(Error);
    }
  });
});
