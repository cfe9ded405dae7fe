// Port of prog_tests/for_each.c with progs/for_each_hash_map_elem.c, for_each_array_map_elem.c,
// for_each_map_elem_write_key.c, for_each_multi_maps.c and for_each_hash_modify.c: bpf_for_each_map_elem
// walks hash, array and per-CPU maps (deleting and modifying during the walk), and a callback that
// writes the key is refused at load.
import { BpfObject, possibleCpus } from '@progrun/syscall';
import { describe, expect, test } from 'vitest';
import { thrown } from '../helpers/thrown.js';
import { selftestObject } from './helpers/kernel-source.js';
import { pktV4 } from './helpers/network-packets.js';

async function load(name: string): Promise<BpfObject> {
  const obj = BpfObject.open(await selftestObject(name));
  try {
    return obj.load();
  } catch (error) {
    obj.close();
    throw error;
  }
}

/** Runs test_pkt_access once on pkt_v4. */
function run(obj: BpfObject) {
  using prog = obj.program('test_pkt_access').toProgram();
  return prog.run({ data: pktV4(), repeat: 1 });
}

describe('for_each', { tags: ['privileged'] }, () => {
  test('hash_map', async () => {
    using obj = await load('for_each_hash_map_elem');
    using hashmap = obj.map('hashmap').toMap();
    const maxEntries = hashmap.maxEntries;
    for (let i = 0; i < maxEntries; i++) hashmap.typed<number, bigint>().set(i, BigInt(i + 1));
    const numCpus = possibleCpus();
    using percpuMap = obj.map('percpu_map').toMap();
    percpuMap.typed<number, bigint[]>().set(
      1,
      Array.from({ length: numCpus }, (_, i) => BigInt(i + 1)),
    );

    const { syscallReturn, retval } = run(obj);
    expect([syscallReturn, retval], 'ipv4').toEqual([0, 0]);
    const g = (name: string) => obj.global(name).get();
    expect(g('hashmap_output'), 'hashmap_output').toBe(4);
    expect(g('hashmap_elems'), 'hashmap_elems').toBe(maxEntries);
    expect(hashmap.typed<number, bigint>().get(1), 'hashmap_lookup').toBeUndefined();
    expect(g('percpu_called'), 'percpu_called').toBe(1);
    expect(g('cpu'), 'num_cpus').toBeLessThan(numCpus);
    expect(g('percpu_map_elems'), 'percpu_map_elems').toBe(1);
    expect(g('percpu_key'), 'percpu_key').toBe(1);
    expect(g('percpu_val'), 'percpu_val').toBe(BigInt((g('cpu') as number) + 1));
    expect(g('percpu_output'), 'percpu_output').toBe(100);
  });

  test('array_map', async () => {
    using obj = await load('for_each_array_map_elem');
    using arraymap = obj.map('arraymap').toMap();
    const maxEntries = arraymap.maxEntries;
    let expectedTotal = 0;
    for (let i = 0; i < maxEntries; i++) {
      // skip the last iteration for expected total
      if (i !== maxEntries - 1) expectedTotal += i + 1;
      arraymap.typed<number, bigint>().set(i, BigInt(i + 1));
    }
    using percpuMap = obj.map('percpu_map').toMap();
    percpuMap.typed<number, bigint[]>().set(
      0,
      Array.from({ length: possibleCpus() }, (_, i) => BigInt(i + 1)),
    );

    const { syscallReturn, retval } = run(obj);
    expect([syscallReturn, retval], 'ipv4').toEqual([0, 0]);
    expect(obj.global('arraymap_output').get(), 'array_output').toBe(expectedTotal);
    expect(BigInt((obj.global('cpu').get() as number) + 1), 'percpu_val').toBe(
      obj.global('percpu_val').get(),
    );
  });

  test('write_map_key', async () => {
    const objectPath = await selftestObject('for_each_map_elem_write_key');
    using obj = BpfObject.open(objectPath);
    expect(
      thrown(() => obj.load()),
      'for_each_map_elem_write_key__open_and_load',
    ).toBeInstanceOf(Error);
  });

  test('multi_maps', async () => {
    using obj = await load('for_each_multi_maps');
    using arraymap = obj.map('arraymap').toMap();
    let arrayTotal = 0;
    for (let i = 0; i < arraymap.maxEntries; i++) {
      arrayTotal += i + 1;
      arraymap.typed<number, bigint>().set(i, BigInt(i + 1));
    }
    using hashmap = obj.map('hashmap').toMap();
    let hashTotal = 0;
    for (let i = 0; i < hashmap.maxEntries; i++) {
      hashTotal += i + 1;
      hashmap.typed<number, bigint>().set(i + 100, BigInt(i + 1));
    }

    obj.global('data_output').set(0);
    obj.global('use_array').set(1);
    const arrayRun = run(obj);
    expect(arrayRun.syscallReturn, 'bpf_prog_test_run_opts').toBe(0);
    expect(arrayRun.retval, 'retval').toBe(0);
    expect(obj.global('data_output').get(), 'array output').toBe(arrayTotal);

    obj.global('data_output').set(0);
    obj.global('use_array').set(0);
    const hashRun = run(obj);
    expect(hashRun.syscallReturn, 'bpf_prog_test_run_opts').toBe(0);
    expect(hashRun.retval, 'retval').toBe(0);
    expect(obj.global('data_output').get(), 'hash output').toBe(hashTotal);
  });

  test('hash_modify', async () => {
    using obj = await load('for_each_hash_modify');
    using hashmap = obj.map('hashmap').toMap();
    for (let i = 0; i < hashmap.maxEntries; i++) {
      hashmap.typed<bigint, bigint>().set(BigInt(i), BigInt(i));
    }
    const { syscallReturn, retval } = run(obj);
    expect(syscallReturn, 'bpf_prog_test_run_opts').toBe(0);
    expect(retval, 'retval').toBe(0);
  });
});
