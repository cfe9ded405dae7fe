import { decodePacket, eth } from '@progrun/ctx-builders';
import { verdictOf } from '../../render/run-report.js';
import { changedPaths } from '../changed-paths.js';
import { type DemoCase, type DemoScenario, Expectations } from '../demo-scenario.js';

const routerMac = '02:00:00:00:00:fe';
const nextHopMac = '02:00:00:00:00:99';

/** struct next_hop { u8 src_mac[6]; u8 dst_mac[6]; u32 ifindex; } */
function nextHop(src: string, dst: string, ifindex: number): Buffer {
  const value = Buffer.alloc(16);
  Buffer.from(src.replace(/:/g, ''), 'hex').copy(value, 0);
  Buffer.from(dst.replace(/:/g, ''), 'hex').copy(value, 6);
  value.writeUInt32LE(ifindex, 12);
  return value;
}

/**
 * The forwarder: a tagged IPv4 packet leaves untagged (bpf_xdp_adjust_head), with TTL 63 and a still
 * valid checksum, the next hop's MACs, and 4 bytes of metadata (bpf_xdp_adjust_meta); TTL 1 goes to the
 * stack untouched.
 */
export const xdpTtlForwarderScenario: DemoScenario = {
  example: 'xdp-ttl-forwarder',
  program: 'xdp_forward',
  title: 'XDP forwarder (TTL, VLAN pop, metadata)',
  testRunType: 'XDP',
  run({ object, run }) {
    using hops = object.map('next_hop').toMap();
    const zero = Buffer.alloc(4);
    hops.update(zero, nextHop(routerMac, nextHopMac, 0));

    const cases: DemoCase[] = [];
    const tagged = eth().vlan({ vid: 100 }).ipv4({ ttl: 64, dst: '192.0.2.7' }).udp({ dport: 4789 }).build();
    const forwarded = run({ packet: tagged, origin: 'VLAN 100, IPv4 TTL 64' });
    const out = forwarded.outputs.packet ? decodePacket(forwarded.outputs.packet) : undefined;
    const meta = forwarded.outputs.metadata;
    const expect = new Expectations()
      .equal('the verdict', verdictOf(forwarded), 'XDP_TX')
      .that(out?.get('vlan') === undefined, 'the VLAN tag is still there')
      .equal('ipv4.ttl', out?.get('ipv4')?.ttl, 63)
      .that(out?.valid === true, 'a checksum or length of the output is wrong')
      .equal('eth.dst', out?.get('eth')?.dst, nextHopMac)
      .equal('eth.src', out?.get('eth')?.src, routerMac)
      .equal('the metadata length', meta?.length ?? 0, 4)
      .equal(
        'the VLAN id in the metadata',
        meta && meta.length >= 2 ? Buffer.from(meta).readUInt16LE(0) : 'none',
        100,
      );
    cases.push({
      input: 'VLAN 100, IPv4 TTL 64',
      record: forwarded,
      summary: `tag popped, ttl 64->${out?.get('ipv4')?.ttl}, MACs rewritten, ${meta?.length ?? 0}B metadata`,
      problems: expect.problems,
    });

    const expiring = eth().ipv4({ ttl: 1 }).udp().build();
    const passed = run({ packet: expiring, origin: 'IPv4 TTL 1' });
    const expectPass = new Expectations()
      .equal('the verdict', verdictOf(passed), 'XDP_PASS')
      .equal('the changed fields', changedPaths(passed).join(' '), '');
    cases.push({
      input: 'IPv4 TTL 1',
      record: passed,
      summary: 'to the stack untouched (ICMP time exceeded)',
      problems: expectPass.problems,
    });
    return cases;
  },
};
