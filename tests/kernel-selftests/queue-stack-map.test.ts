// Port of prog_tests/queue_stack_map.c with progs/test_queue_map.c and progs/test_stack_map.c: the
// program pops map_in into the packet's iph.daddr and pushes iph.saddr into map_out; a queue pops in
// push order, a stack in reverse, and an empty map makes the program return TC_ACT_SHOT.
import { randomInt } from 'node:crypto';
import { BpfObject } from '@progrun/syscall';
import { describe, expect, test } from 'vitest';
import { selftestObject } from './helpers/kernel-source.js';
import { pktV4 } from './helpers/network-packets.js';

const MAP_SIZE = 32;
const TC_ACT_SHOT = 2;
const ETH_HLEN = 14;
const IP_SADDR = ETH_HLEN + 12;
const IP_DADDR = ETH_HLEN + 16;

function u32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
}

describe('queue_stack_map', { tags: ['privileged'] }, () => {
  for (const [type, file] of [
    ['QUEUE', 'test_queue_map'],
    ['STACK', 'test_stack_map'],
  ] as const) {
    test(`${type}: pops in ${type === 'QUEUE' ? 'push' : 'reverse'} order, shoots when empty`, async () => {
      using obj = BpfObject.open(await selftestObject(file)).load();
      using prog = obj.program('_test').toProgram();
      using mapIn = obj.map('map_in').toMap();
      using mapOut = obj.map('map_out').toMap();
      // The C test's rand(): u32 values whose *5 wraps as the program's u32 arithmetic does.
      const vals = Array.from({ length: MAP_SIZE }, () => randomInt(0, 2 ** 31));

      // Push 32 elements to the input map
      for (const val of vals) mapIn.update(null, u32(val));

      // The program pushes iph.saddr in the output map, pops the input map and saves that in iph.daddr.
      const packet = pktV4();
      let run = { syscallReturn: 0, retval: 0, dataOut: undefined as Buffer | undefined };
      let daddr = 0;
      let val = 0;
      for (let i = 0; i < MAP_SIZE; i++) {
        val = type === 'QUEUE' ? vals[i]! : vals[MAP_SIZE - 1 - i]!;
        // pkt_v4.iph.saddr is a host-order u32 written into the packet as the C struct holds it.
        packet.writeUInt32LE((val * 5) >>> 0, IP_SADDR);
        run = prog.run({ data: packet, dataSizeOut: 128, repeat: 1 });
        if (run.syscallReturn || run.retval || run.dataOut?.length !== packet.length) break;
        daddr = run.dataOut.readUInt32LE(IP_DADDR);
        if (daddr !== val) break;
      }
      expect(run.syscallReturn, 'bpf_map_pop_elem').toBe(0);
      expect(run.retval, 'bpf_map_pop_elem test retval').toBe(0);
      expect(run.dataOut?.length, 'bpf_map_pop_elem data_size_out').toBe(packet.length);
      expect(daddr, 'bpf_map_pop_elem iph.daddr').toBe(val);

      // Queue is empty, program should return TC_ACT_SHOT
      const empty = prog.run({ data: packet, dataSizeOut: 128, repeat: 1 });
      expect(empty.syscallReturn, 'check-queue-stack-map-empty').toBe(0);
      expect(empty.retval, 'check-queue-stack-map-empty test retval').toBe(TC_ACT_SHOT);
      expect(empty.dataOut?.length, 'check-queue-stack-map-empty data_size_out').toBe(packet.length);

      // Check that the program pushed elements correctly
      for (const pushed of vals) {
        const out = mapOut.lookupAndDelete(null);
        expect(out, 'bpf_map_lookup_and_delete_elem').toBeDefined();
        expect(out!.readUInt32LE(), 'bpf_map_push_elem val').toBe((pushed * 5) >>> 0);
      }
    });
  }
});
