// Port of prog_tests/pkt_md_access.c with progs/test_pkt_md_access.c: the program's reads of __sk_buff
// fields at every width the verifier allows pass on the IPv4 test vector.
import { BpfObject } from '@progrun/syscall';
import { beforeAll, describe, expect, test } from 'vitest';
import { selftestObject } from './helpers/kernel-source.js';
import { pktV4 } from './helpers/network-packets.js';

let objectPath: string;
beforeAll(async () => {
  objectPath = await selftestObject('test_pkt_md_access');
});

describe('pkt_md_access', { tags: ['privileged'] }, () => {
  test('the __sk_buff reads return 0', () => {
    using obj = BpfObject.open(objectPath).load();
    using prog = obj.program('test_pkt_md_access').toProgram();
    const { syscallReturn, retval } = prog.run({ data: pktV4(), repeat: 10 });
    expect(syscallReturn, 'test_run_opts err').toBe(0);
    expect(retval, 'test_run_opts retval').toBe(0);
  });
});
