// Port of prog_tests/map_lock.c with progs/test_map_lock.c: four test runs (10,000 repeats each, in
// parallel on the libuv pool) update a hash and an array value under their bpf_spin_lock, while user
// space reads both (one after the other, on the main thread) with BPF_F_LOCK and must always see a consistent value (var[0] 0, the rest equal).
import { BpfObject } from '@progrun/syscall';
import { beforeAll, describe, expect, test } from 'vitest';
import { selftestObject } from './helpers/kernel-source.js';
import { pktV4 } from './helpers/network-packets.js';

const BPF_F_LOCK = 4;
const VAR_NUM = 16;

let objectPath: string;
beforeAll(async () => {
  objectPath = await selftestObject('test_map_lock');
});

describe('map_lock', { tags: ['privileged'] }, () => {
  test('locked lookups never see a half-written value', async () => {
    using obj = BpfObject.open(objectPath);
    obj.load();
    using prog = obj.program('bpf_map_lock_test').toProgram();
    using hashMap = obj.map('hash_map').toMap();
    using arrayMap = obj.map('array_map').toMap();
    const key = Buffer.alloc(4);
    // The value: the bpf_spin_lock (4 bytes) then var[16], as the C test's int vars[17].
    hashMap.update(key, Buffer.alloc(4 * (VAR_NUM + 1)), BPF_F_LOCK);

    const runs = Array.from({ length: 4 }, () => prog.runAsync({ data: pktV4(), repeat: 10000 }));
    for (const map of [hashMap, arrayMap]) {
      for (let i = 0; i < 10000; i++) {
        const value = map.lookup(key, BPF_F_LOCK);
        expect(value, 'lookup').toBeDefined();
        const vars = Array.from({ length: VAR_NUM + 1 }, (_, j) => value!.readInt32LE(4 * j));
        if (vars[0] !== 0) expect(vars[0], `lookup #${i} var[0]`).toBe(0);
        const rnd = vars[1];
        for (let j = 2; j < VAR_NUM + 1; j++) {
          if (vars[j] !== rnd) expect(vars[j], `lookup #${i} var[1]=${rnd} var[${j}]`).toBe(rnd);
        }
      }
    }
    for (const run of await Promise.all(runs)) {
      expect(run.syscallReturn, 'test_run_opts err').toBe(0);
      expect(run.retval, 'test_run_opts retval').toBe(0);
    }
  });
});
