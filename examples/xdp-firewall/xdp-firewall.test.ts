import { compileBpfC } from '@progrun/compile';
import { decodePacket, eth, packet } from '@progrun/ctx-builders';
import { type BpfMap, BpfObject, type Program } from '@progrun/syscall';
import { XdpAction } from '@progrun/uapi';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';

const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;

/** The map key, struct port_rule { __u16 port; __u8 protocol; __u8 pad; }, in the program's byte order. */
function rule(port: number, protocol: number): Buffer {
  const key = Buffer.alloc(4);
  key.writeUInt16LE(port, 0);
  key.writeUInt8(protocol, 2);
  return key;
}

describe('xdp-firewall: drops TCP/UDP by destination port from a map', { tags: ['privileged'] }, () => {
  let object: BpfObject;
  let program: Program;
  let blocked: BpfMap;

  beforeAll(async () => {
    const { objectPath } = await compileBpfC(new URL('./xdp-firewall.bpf.c', import.meta.url));
    object = BpfObject.open(objectPath).load();
    program = object.program('xdp_firewall').toProgram();
    blocked = object.map('blocked_ports').toMap();
  });

  afterAll(() => {
    blocked.close();
    program.close();
    object.close();
  });

  beforeEach(() => {
    for (let key = blocked.nextKey(); key !== undefined; key = blocked.nextKey()) blocked.delete(key);
    blocked.update(rule(53, IPPROTO_UDP), Buffer.alloc(8));
    blocked.update(rule(22, IPPROTO_TCP), Buffer.alloc(8));
  });

  const verdict = (data: Uint8Array) => program.run({ data }).retval;
  const drops = (key: Buffer) => blocked.lookup(key)!.readBigUInt64LE(0);

  test('a blocked UDP port is dropped over IPv4 and IPv6, and each drop is counted', () => {
    expect(verdict(eth().ipv4().udp({ dport: 53 }).build())).toBe(XdpAction.DROP);
    expect(verdict(eth().ipv6().udp({ dport: 53 }).build())).toBe(XdpAction.DROP);
    expect(drops(rule(53, IPPROTO_UDP))).toBe(2n);
  });

  test('rules are per protocol: TCP/53 and UDP/22 pass, TCP/22 is dropped', () => {
    expect(verdict(eth().ipv4().tcp({ dport: 53 }).build())).toBe(XdpAction.PASS);
    expect(verdict(eth().ipv4().udp({ dport: 22 }).build())).toBe(XdpAction.PASS);
    expect(verdict(eth().ipv6().tcp({ dport: 22 }).build())).toBe(XdpAction.DROP);
    expect(drops(rule(22, IPPROTO_TCP))).toBe(1n);
  });

  test('the packet is never modified', () => {
    const data = eth().ipv4().tcp({ dport: 443 }).payload('GET /').build();
    const { retval, dataOut } = program.run({ data });
    expect(retval).toBe(XdpAction.PASS);
    expect(dataOut).toEqual(Buffer.from(data));
  });

  test('a VLAN tag does not hide the port', () => {
    expect(verdict(eth().vlan({ vid: 10 }).ipv4().udp({ dport: 53 }).build())).toBe(XdpAction.DROP);
  });

  test('IPv4 options are skipped to find the port', () => {
    const withOptions = eth()
      .ipv4({ options: ['ra', 'rr:2'] })
      .udp({ dport: 53 })
      .build();
    expect(decodePacket(withOptions).get('ipv4')!.ihl).toBe(9);
    expect(verdict(withOptions)).toBe(XdpAction.DROP);
  });

  test('later fragments carry no ports and pass; the first fragment is judged', () => {
    expect(verdict(eth().ipv4({ fragOffset: 100 }).udp({ dport: 53 }).build())).toBe(XdpAction.PASS);
    expect(verdict(eth().ipv4({ flags: 'MF' }).udp({ dport: 53 }).build())).toBe(XdpAction.DROP);
  });

  test('traffic without ports passes: ARP, ICMP', () => {
    expect(verdict(eth().arp().build())).toBe(XdpAction.PASS);
    expect(verdict(eth().ipv4().icmp().build())).toBe(XdpAction.PASS);
  });

  test('a truncated IPv4 header is dropped', () => {
    const truncated = packet().eth({ type: 0x0800 }).payload(new Uint8Array(10)).build();
    expect(verdict(truncated)).toBe(XdpAction.DROP);
  });
});
