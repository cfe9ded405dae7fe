// Port of prog_tests/map_ptr.c with progs/map_ptr_kern.c: a CGROUP_SKB program reads the kernel's
// struct bpf_map of every map type it declares through the map pointer and checks type, sizes and
// max_entries (the ring buffer sized to a page before load, the page size told through a global after).
import { execFileSync } from 'node:child_process';
import { BpfObject } from '@progrun/syscall';
import { beforeAll, describe, expect, test } from 'vitest';
import { selftestObject } from './helpers/kernel-source.js';
import { pktV4 } from './helpers/network-packets.js';

let objectPath: string;
beforeAll(async () => {
  objectPath = await selftestObject('map_ptr_kern');
});

describe('map_ptr', { tags: ['privileged'] }, () => {
  test('every map type check passes', () => {
    const pageSize = Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }));
    using obj = BpfObject.open(objectPath);
    obj.map('m_ringbuf').setMaxEntries(pageSize);
    obj.load();
    obj.global('page_size').set(pageSize);
    using prog = obj.program('cg_skb').toProgram();
    const { syscallReturn, retval } = prog.run({ data: pktV4(), dataSizeOut: 128, repeat: 1 });
    expect(syscallReturn, 'test_run').toBe(0);
    expect(retval, 'test_run retval').not.toBe(0);
  });
});
