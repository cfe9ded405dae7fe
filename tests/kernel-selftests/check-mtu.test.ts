// Port of prog_tests/check_mtu.c with progs/test_check_mtu.c: bpf_check_mtu from XDP and TC programs,
// with the loopback device's MTU (and optionally its ifindex) told to the programs through .rodata
// before load; each program stores the MTU it got in a .bss global.
//
// Left out: "bpf_check_mtu XDP-attach" and the TC run's BPF_MTU_CHK_SEGS case, which attach to and
// change the MTU of the loopback device: the C file runs them in a network namespace of its own
// (test_ns_check_mtu), and here they would act on the host's.
import { readFileSync } from 'node:fs';
import { BpfObject } from '@progrun/syscall';
import { beforeAll, describe, expect, test } from 'vitest';
import { selftestObject } from './helpers/kernel-source.js';
import { pktV4 } from './helpers/network-packets.js';

const IFINDEX_LO = 1;
const XDP_PASS = 2;
const BPF_OK = 0;

const xdpPrograms = [
  'xdp_use_helper',
  'xdp_exceed_mtu',
  'xdp_minus_delta',
  'xdp_input_len',
  'xdp_input_len_exceed',
];
const tcPrograms = [
  'tc_use_helper',
  'tc_exceed_mtu',
  'tc_exceed_mtu_da',
  'tc_minus_delta',
  'tc_input_len',
  'tc_input_len_exceed',
];

let objectPath: string;
let mtuLo: number;
beforeAll(async () => {
  objectPath = await selftestObject('test_check_mtu');
  mtuLo = Number.parseInt(readFileSync('/sys/class/net/lo/mtu', 'utf8'), 10);
});

/** Opens the object with the "constants" set before load, as the C file's skeleton does. */
function openWith(mtu: number, ifindex: number): BpfObject {
  const obj = BpfObject.open(objectPath);
  try {
    obj.global('GLOBAL_USER_MTU').set(mtu);
    obj.global('GLOBAL_USER_IFINDEX').set(ifindex);
    return obj.load();
  } catch (error) {
    obj.close();
    throw error;
  }
}

/** Runs each program on pkt_v4 and checks its verdict and the MTU it stored, in the C file's order. */
function runEach(obj: BpfObject, programs: string[], retvalExpect: number, global: string): void {
  for (const name of programs) {
    using prog = obj.program(name).toProgram();
    const run = prog.run({ data: pktV4(), dataSizeOut: 256, repeat: 1 });
    expect(run.syscallReturn, `test_run (${name})`).toBe(0);
    expect(run.retval, `retval (${name})`).toBe(retvalExpect);
    expect(obj.global(global).get(), `MTU-compare-user (${name})`).toBe(mtuLo);
  }
}

describe('check_mtu', { tags: ['privileged'] }, () => {
  for (const [subtest, ifindex] of [
    ['bpf_check_mtu XDP-run', 0],
    ['bpf_check_mtu XDP-run ifindex-lookup', IFINDEX_LO],
  ] as const) {
    test(subtest, () => {
      using obj = openWith(mtuLo, ifindex);
      runEach(obj, xdpPrograms, XDP_PASS, 'global_bpf_mtu_xdp');
    });
  }

  for (const [subtest, ifindex] of [
    ['bpf_check_mtu TC-run', 0],
    ['bpf_check_mtu TC-run ifindex-lookup', IFINDEX_LO],
  ] as const) {
    test(subtest, () => {
      using obj = openWith(mtuLo, ifindex);
      runEach(obj, tcPrograms, BPF_OK, 'global_bpf_mtu_tc');
    });
  }
});
