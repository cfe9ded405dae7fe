// Port of prog_tests/pkt_access.c with progs/test_pkt_access.c: the program's direct packet access
// checks pass on the IPv4 and the IPv6 test vector, 100,000 runs each.
import { BpfObject } from '@progrun/syscall';
import { beforeAll, describe, expect, test } from 'vitest';
import { selftestObject } from './helpers/kernel-source.js';
import { pktV4, pktV6 } from './helpers/network-packets.js';

let objectPath: string;
beforeAll(async () => {
  objectPath = await selftestObject('test_pkt_access');
});

describe('pkt_access', { tags: ['privileged'] }, () => {
  test('IPv4 and IPv6 runs return 0', () => {
    using obj = BpfObject.open(objectPath).load();
    using prog = obj.program('test_pkt_access').toProgram();

    const v4 = prog.run({ data: pktV4(), repeat: 100000 });
    expect(v4.syscallReturn, 'ipv4 test_run_opts err').toBe(0);
    expect(v4.retval, 'ipv4 test_run_opts retval').toBe(0);

    const v6 = prog.run({ data: pktV6(), dataSizeOut: 0, repeat: 100000 });
    expect(v6.syscallReturn, 'ipv6 test_run_opts err').toBe(0);
    expect(v6.retval, 'ipv6 test_run_opts retval').toBe(0);
  });
});
