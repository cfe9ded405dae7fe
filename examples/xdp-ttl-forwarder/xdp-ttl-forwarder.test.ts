import { compileBpfC } from '@progrun/compile';
import { decodePacket, diffPackets, eth, xdpMd } from '@progrun/ctx-builders';
import { type BpfMap, BpfObject, type Program } from '@progrun/syscall';
import { requireFeature, xdpMdContext } from '@progrun/syscall/features';
import { XdpAction } from '@progrun/uapi';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';

const routerMac = '02:00:00:00:00:fe';
const nextHopMac = '02:00:00:00:00:99';
const zero = Buffer.alloc(4);

/** The map value, struct next_hop { u8 src_mac[6]; u8 dst_mac[6]; u32 ifindex; }. */
function nextHop(ifindex = 0): Buffer {
  const value = Buffer.alloc(16);
  Buffer.from(routerMac.replaceAll(':', ''), 'hex').copy(value, 0);
  Buffer.from(nextHopMac.replaceAll(':', ''), 'hex').copy(value, 6);
  value.writeUInt32LE(ifindex, 12);
  return value;
}

describe('xdp-ttl-forwarder: TTL, VLAN pop with adjust_head, metadata with adjust_meta', {
  tags: ['privileged'],
}, () => {
  let object: BpfObject;
  let program: Program;
  let hops: BpfMap;

  // An xdp_md context (to find the metadata) needs Linux 5.15: older kernels skip, newer ones that lack it fail.
  const feature = xdpMdContext;
  beforeEach((t) => {
    if (requireFeature(t, feature)) hops.update(zero, nextHop());
  });

  beforeAll(async () => {
    if (feature.probe().status !== 'supported') return; // each test then skips or fails, saying why
    const { objectPath } = await compileBpfC(new URL('./xdp-ttl-forwarder.bpf.c', import.meta.url));
    object = BpfObject.open(objectPath).load();
    program = object.program('xdp_forward').toProgram();
    hops = object.map('next_hop').toMap();
  });

  afterAll(() => {
    hops?.close();
    program?.close();
    object?.close();
  });

  /** Runs with an xdp_md context, so that the metadata in front of the output can be told apart. */
  function forward(packet: Uint8Array) {
    const { retval, metadata, packet: out } = program.run(xdpMd({ packet }));
    return { retval, metadata: Buffer.from(metadata!), out: decodePacket(out!), bytes: out! };
  }

  test('a tagged IPv4 packet leaves untagged, TTL 63, checksum still valid, addressed to the next hop', () => {
    const input = eth().vlan({ vid: 100 }).ipv4({ ttl: 64 }).udp({ dport: 4789 }).payload('vxlan?').build();
    const { retval, out, bytes } = forward(input);
    expect(retval).toBe(XdpAction.TX);
    expect(out.get('vlan')).toBeUndefined();
    expect(out.get('eth')).toMatchObject({ src: routerMac, dst: nextHopMac, type: 0x0800 });
    expect(out.get('ipv4')!.ttl).toBe(63);
    expect(out.valid).toBe(true);
    expect(bytes.length).toBe(input.length - 4);
    expect(
      diffPackets(input, bytes)
        .changes.map((c) => c.path)
        .sort(),
    ).toEqual(['-vlan', 'eth.dst', 'eth.src', 'eth.type', 'ipv4.checksum', 'ipv4.ttl', 'length']);
  });

  test('the metadata records the VLAN, the TTL on arrival and the IP version', () => {
    const { metadata } = forward(eth().vlan({ vid: 100 }).ipv4({ ttl: 64 }).udp().build());
    expect(metadata.length).toBe(4);
    expect({ vlan: metadata.readUInt16LE(0), ttlIn: metadata[2], version: metadata[3] }).toEqual({
      vlan: 100,
      ttlIn: 64,
      version: 4,
    });
  });

  test('IPv6: the hop limit goes down, untagged frames keep their length', () => {
    const input = eth().ipv6({ hopLimit: 2 }).tcp({ dport: 443 }).build();
    const { retval, out, metadata } = forward(input);
    expect(retval).toBe(XdpAction.TX);
    expect(out.get('ipv6')!.hopLimit).toBe(1);
    expect(out.bytes.length).toBe(input.length);
    expect([metadata.readUInt16LE(0), metadata[2], metadata[3]]).toEqual([0, 2, 6]);
  });

  test('an expiring TTL goes to the stack untouched, for the ICMP time exceeded', () => {
    const input = eth().ipv4({ ttl: 1 }).udp().build();
    const { retval, out, metadata } = forward(input);
    expect(retval).toBe(XdpAction.PASS);
    expect(Buffer.from(out.bytes)).toEqual(Buffer.from(input));
    expect(metadata.length).toBe(0);
  });

  test('with an egress interface configured, the frame is redirected', () => {
    hops.update(zero, nextHop(1));
    expect(forward(eth().ipv4().udp().build()).retval).toBe(XdpAction.REDIRECT);
  });

  test('until a next hop is configured everything passes; non-IP always passes', () => {
    expect(forward(eth().arp().build()).retval).toBe(XdpAction.PASS);
    hops.update(zero, Buffer.alloc(16));
    const input = eth().ipv4().udp().build();
    const { retval, out } = forward(input);
    expect(retval).toBe(XdpAction.PASS);
    expect(Buffer.from(out.bytes)).toEqual(Buffer.from(input));
  });

  test('without a context the kernel returns the metadata in front of the packet', () => {
    const { retval, dataOut } = program.run({ data: eth().ipv4().udp().build() });
    expect(retval).toBe(XdpAction.TX);
    expect(dataOut!.readUInt8(2)).toBe(64); // fwd_meta.ttl_in, before the Ethernet header
  });
});
