import { compileBpfC } from '@progrun/compile';
import { type GeneratedPacket, malformedPacket, validPacket } from '@progrun/ctx-builders/arbitraries';
import { BpfObject, type Program } from '@progrun/syscall';
import { XdpAction } from '@progrun/uapi';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const BLOCKED = [
  { port: 53, protocol: 17 }, // UDP/53
  { port: 22, protocol: 6 }, // TCP/22
];

describe('xdp-firewall, property-based', { tags: ['privileged'] }, () => {
  let object: BpfObject;
  let program: Program;

  beforeAll(async () => {
    const { objectPath } = await compileBpfC(new URL('./xdp-firewall.bpf.c', import.meta.url));
    object = BpfObject.open(objectPath).load();
    program = object.program('xdp_firewall').toProgram();
    using blocked = object.map('blocked_ports').toMap();
    for (const { port, protocol } of BLOCKED)
      blocked.update(Uint8Array.of(port & 0xff, port >> 8, protocol, 0), new Uint8Array(8));
  });

  afterAll(() => {
    program.close();
    object.close();
  });

  // What the firewall should answer: drop a packet cut short inside a header it reads, one to the
  // reserved port 0, and one to a blocked port; pass the rest.
  function expected(packet: GeneratedPacket): number {
    if (packet.defect?.kind === 'truncated') return XdpAction.DROP;
    const l4 = packet.layer('udp') ?? packet.layer('tcp')!;
    const protocol = l4.kind === 'udp' ? 17 : 6;
    const blocked = BLOCKED.some((rule) => rule.port === l4.dport && rule.protocol === protocol);
    return blocked || l4.dport === 0 ? XdpAction.DROP : XdpAction.PASS;
  }

  // Runs a batch in one call and returns the first packet the firewall got wrong.
  function firstWrong(packets: readonly GeneratedPacket[]): GeneratedPacket | undefined {
    const results = program.runEach(packets.map((packet) => packet.bytes));
    return packets.find(
      (packet, i) => results.retval(i) !== expected(packet) || !results.dataOut(i)?.equals(packet.bytes),
    );
  }

  test('10 000 random packets: dropped exactly when cut short or to a blocked port, never changed', () => {
    // The packets the firewall parses: at most one VLAN tag, IPv4 or IPv6 without extension headers,
    // TCP (without options: the firewall reads the fixed header) or UDP, ports biased to the blocked
    // ones; a third of them broken.
    const constraints = {
      vlanTags: { max: 1 },
      network: ['ipv4', 'ipv6'],
      transport: ['tcp', 'udp'],
      options: false,
      ipv6ExtensionHeaders: false,
      dport: [22, 53, { min: 0, max: 65535 }],
    } as const;
    const packet = fc.oneof(
      { arbitrary: validPacket(constraints), weight: 2 },
      {
        arbitrary: malformedPacket({ ...constraints, defectLayers: ['vlan', 'ipv4', 'ipv6', 'tcp', 'udp'] }),
        weight: 1,
      },
    );
    const result = fc.check(
      fc.property(
        fc.array(packet, { minLength: 1000, maxLength: 1000 }),
        (packets) => firstWrong(packets) === undefined,
      ),
      { numRuns: 10 },
    );
    // fast-check shrinks the batch; the packet the firewall got wrong prints as a spec for --packet.
    const wrong = result.counterexample ? firstWrong(result.counterexample[0]) : undefined;
    expect(wrong?.spec, 'progrun run --packet').toBeUndefined();
    expect(result.numRuns).toBe(10);
  }, 300_000);
});
