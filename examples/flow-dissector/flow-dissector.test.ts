import { compileBpfC } from '@progrun/compile';
import { eth, FlowDissectorFlag, flowKeys, type PacketBuilder } from '@progrun/ctx-builders';
import { BpfObject, type Program } from '@progrun/syscall';
import { BPF_DROP, BPF_OK } from '@progrun/uapi';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const ETH_P_IP = 0x0800;
const ETH_P_IPV6 = 0x86dd;

describe('flow-dissector: keys for Ethernet, VLAN, IPv4, IPv6, TCP and UDP', { tags: ['privileged'] }, () => {
  let object: BpfObject;
  let program: Program;

  beforeAll(async () => {
    const { objectPath } = await compileBpfC(new URL('./flow-dissector.bpf.c', import.meta.url));
    object = BpfObject.open(objectPath).load();
    program = object.program('dissect').toProgram();
  });

  afterAll(() => {
    program.close();
    object.close();
  });

  /** Runs the dissector; the test run returns the keys it filled in as data_out. */
  function dissect(builder: PacketBuilder, flags = 0) {
    const { retval, flowKeys: keys } = program.run(flowKeys({ packet: builder.build(), flags }));
    return { retval, keys: keys! };
  }

  test('TCP over IPv4: addresses, protocol, ports and header offsets', () => {
    const { retval, keys } = dissect(
      eth().ipv4({ src: '198.51.100.1', dst: '203.0.113.9' }).tcp({ sport: 40000, dport: 443 }),
    );
    expect(retval).toBe(BPF_OK);
    expect(keys).toMatchObject({
      nhoff: 14,
      thoff: 34,
      addr_proto: ETH_P_IP,
      n_proto: ETH_P_IP,
      ip_proto: 6,
      src: '198.51.100.1',
      dst: '203.0.113.9',
      sport: 40000,
      dport: 443,
      is_frag: 0,
    });
  });

  test('a VLAN tag moves the network header by 4 bytes; IPv4 options move the transport header', () => {
    expect(dissect(eth().vlan({ vid: 7 }).ipv4().udp()).keys).toMatchObject({ nhoff: 18, thoff: 38 });
    expect(
      dissect(
        eth()
          .ipv4({ options: ['ra'] })
          .udp(),
      ).keys,
    ).toMatchObject({ nhoff: 14, thoff: 38 });
  });

  test('UDP over IPv6, with the flow label', () => {
    const { retval, keys } = dissect(
      eth()
        .ipv6({ src: '2001:db8::1', dst: '2001:db8::2', flowLabel: 0xabcde })
        .udp({ sport: 5353, dport: 53 }),
    );
    expect(retval).toBe(BPF_OK);
    expect(keys).toMatchObject({
      addr_proto: ETH_P_IPV6,
      ip_proto: 17,
      src: '2001:db8::1',
      dst: '2001:db8::2',
      flow_label: 0xabcde,
      thoff: 54,
      sport: 5353,
      dport: 53,
    });
  });

  test('STOP_AT_FLOW_LABEL: a flow label is enough, the ports are not read', () => {
    const { keys } = dissect(
      eth().ipv6({ flowLabel: 0x12345 }).udp({ dport: 53 }),
      FlowDissectorFlag.STOP_AT_FLOW_LABEL,
    );
    expect(keys).toMatchObject({
      flow_label: 0x12345,
      flags: FlowDissectorFlag.STOP_AT_FLOW_LABEL,
      dport: 0,
    });
  });

  test('fragments: ports only for a first fragment, and only with PARSE_1ST_FRAG', () => {
    const first = eth().ipv4({ flags: 'MF' }).udp({ dport: 53 });
    expect(dissect(first).keys).toMatchObject({ is_frag: 1, is_first_frag: 1, dport: 0 });
    expect(dissect(first, FlowDissectorFlag.PARSE_1ST_FRAG).keys).toMatchObject({
      is_first_frag: 1,
      dport: 53,
    });
    const later = eth().ipv4({ fragOffset: 185 }).payload(new Uint8Array(8));
    expect(dissect(later, FlowDissectorFlag.PARSE_1ST_FRAG).keys).toMatchObject({
      is_frag: 1,
      is_first_frag: 0,
      dport: 0,
    });
  });

  test('without the bound on header offsets, the verifier refuses the program', async () => {
    const source = new URL('./flow-dissector.bpf.c', import.meta.url);
    const { objectPath } = await compileBpfC(source, { cflags: ['-DMAX_HEADER_OFFSET=65535'] });
    using unbounded = BpfObject.open(objectPath);
    expect(() => unbounded.load()).toThrow(/invalid access to packet/);
  });

  test('what it does not know is refused, so that the kernel dissects it', () => {
    expect(dissect(eth().arp()).retval).toBe(BPF_DROP);
  });
});
