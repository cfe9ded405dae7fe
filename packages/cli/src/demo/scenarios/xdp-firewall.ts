import { eth } from '@progrun/ctx-builders';
import { verdictOf } from '../../render/run-report.js';
import { changedPaths } from '../changed-paths.js';
import { type DemoCase, type DemoScenario, Expectations } from '../demo-scenario.js';

const IPPROTO_UDP = 17;

/** struct port_rule { __u16 port; __u8 protocol; __u8 pad; } */
function portRule(port: number, protocol: number): Buffer {
  const key = Buffer.alloc(4);
  key.writeUInt16LE(port, 0);
  key.writeUInt8(protocol, 2);
  return key;
}

/** The port firewall: UDP/53 is blocked through its map; TCP/53 and other ports pass. */
export const xdpFirewallScenario: DemoScenario = {
  example: 'xdp-firewall',
  program: 'xdp_firewall',
  title: 'XDP firewall (ports in a map)',
  testRunType: 'XDP',
  run({ object, run }) {
    using blocked = object.map('blocked_ports').toMap();
    const rule = portRule(53, IPPROTO_UDP);
    blocked.update(rule, Buffer.alloc(8));
    const drops = () => blocked.lookup(rule)?.readBigUInt64LE(0) ?? -1n;

    const cases: DemoCase[] = [];
    const inputs = [
      {
        input: 'UDP/IPv4 to port 53',
        packet: eth().ipv4().udp({ dport: 53 }).build(),
        verdict: 'XDP_DROP',
        drops: 1n,
      },
      {
        input: 'UDP/IPv6 to port 53',
        packet: eth().ipv6().udp({ dport: 53 }).build(),
        verdict: 'XDP_DROP',
        drops: 2n,
      },
      {
        input: 'TCP/IPv4 to port 53',
        packet: eth().ipv4().tcp({ dport: 53 }).build(),
        verdict: 'XDP_PASS',
        drops: 2n,
      },
    ];
    for (const { input, packet, verdict, drops: expected } of inputs) {
      const record = run({ packet, origin: input });
      const expect = new Expectations()
        .equal('the verdict', verdictOf(record), verdict)
        .equal('the drop counter of udp/53', drops(), expected)
        .equal('the changed fields', changedPaths(record).join(' '), '');
      cases.push({ input, record, summary: `blocked_ports[udp/53] = ${drops()}`, problems: expect.problems });
    }
    return cases;
  },
};
