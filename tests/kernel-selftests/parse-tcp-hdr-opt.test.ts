// Port of prog_tests/parse_tcp_hdr_opt.c with progs/test_parse_tcp_hdr_opt.c and
// test_parse_tcp_hdr_opt_dynptr.c: an XDP program walks the TCP options of an IPv6 packet (by direct
// access, or through a dynptr) to the option whose kind the program's .rodata names, and stores the
// server id it carries.
import { BpfObject } from '@progrun/syscall';
import { describe, expect, test } from 'vitest';
import { selftestObject } from './helpers/kernel-source.js';
import { pktV6 } from './helpers/network-packets.js';

const XDP_PASS = 2;
const TCPOPT_EOL = 0;
const TCPOPT_NOP = 1;
const TCPOPT_MSS = 2;
const TCP_OFFSET = 14 + 40;

/** The C file's struct test_pkt: pkt_v6 with doff 9 and 16 bytes of options, option 6 the server id's kind. */
function testPacket(kindTpr: number): Buffer {
  const packet = pktV6();
  packet[TCP_OFFSET + 12] = 9 << 4; // doff 9: 16 bytes of options
  const options = Buffer.alloc(16);
  Buffer.from([
    TCPOPT_MSS,
    4,
    0x05,
    0xb4,
    TCPOPT_NOP,
    TCPOPT_NOP,
    kindTpr,
    6,
    0xbb,
    0xbb,
    0xbb,
    0xbb,
    TCPOPT_EOL,
  ]).copy(options);
  return Buffer.concat([packet, options]);
}

describe('parse_tcp_hdr_opt', { tags: ['privileged'] }, () => {
  for (const [subtest, file] of [
    ['parse_tcp_hdr_opt', 'test_parse_tcp_hdr_opt'],
    ['parse_tcp_hdr_opt_dynptr', 'test_parse_tcp_hdr_opt_dynptr'],
  ] as const) {
    test(subtest, async () => {
      using obj = BpfObject.open(await selftestObject(file));
      obj.load();
      using prog = obj.program('xdp_ingress_v6').toProgram();
      const packet = testPacket(obj.global('tcp_hdr_opt_kind_tpr').get() as number);
      const run = prog.run({ data: packet, dataSizeOut: 128, repeat: 3 });
      expect(run.syscallReturn, 'ipv6 test_run').toBe(0);
      expect(run.retval, 'ipv6 test_run retval').toBe(XDP_PASS);
      expect(obj.global('server_id').get(), 'server id').toBe(0xbbbbbbbb);
    });
  }
});
