import { compileBpfC } from '@progrun/compile';
import { eth, type PacketBuilder, skBuff } from '@progrun/ctx-builders';
import { type BpfMap, BpfObject, type Program } from '@progrun/syscall';
import { TcAction } from '@progrun/uapi';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const MARK_EXPEDITED = 0xef;
const DSCP_EF = 46;

describe('tc-classifier: skb->mark from the destination port, DSCP EF as a fallback', {
  tags: ['privileged'],
}, () => {
  let object: BpfObject;
  let program: Program;
  let portMarks: BpfMap;

  beforeAll(async () => {
    const { objectPath } = await compileBpfC(new URL('./tc-classifier.bpf.c', import.meta.url));
    object = BpfObject.open(objectPath).load();
    program = object.program('tc_classify').toProgram();
    portMarks = object.map('port_marks').toMap();
    for (const [port, mark] of [
      [443, 0x10],
      [53, 0x20],
    ]) {
      const key = Buffer.alloc(2);
      key.writeUInt16LE(port!, 0);
      const value = Buffer.alloc(4);
      value.writeUInt32LE(mark!, 0);
      portMarks.update(key, value);
    }
  });

  afterAll(() => {
    portMarks.close();
    program.close();
    object.close();
  });

  /** Runs the classifier on a packet with an __sk_buff context and returns its verdict and output fields. */
  function classify(builder: PacketBuilder, fields: { mark?: number; priority?: number } = {}) {
    const packet = builder.build();
    const { retval, verdict, ctx, packet: dataOut } = program.run(skBuff({ packet, ...fields }));
    return { retval, verdict, skb: ctx!, packet, dataOut: dataOut! };
  }

  test('the port map marks TCP and UDP, over IPv4 and IPv6', () => {
    expect(classify(eth().ipv4().tcp({ dport: 443 })).skb.mark).toBe(0x10);
    expect(classify(eth().ipv6().tcp({ dport: 443 })).skb.mark).toBe(0x10);
    expect(classify(eth().ipv4().udp({ dport: 53 })).skb.mark).toBe(0x20);
  });

  test('DSCP EF traffic without a port rule is marked expedited', () => {
    expect(classify(eth().ipv4({ dscp: DSCP_EF }).udp({ dport: 5004 })).skb.mark).toBe(MARK_EXPEDITED);
    expect(
      classify(
        eth()
          .ipv6({ trafficClass: DSCP_EF << 2 })
          .udp({ dport: 5004 }),
      ).skb.mark,
    ).toBe(MARK_EXPEDITED);
  });

  test('a port rule wins over DSCP', () => {
    expect(classify(eth().ipv4({ dscp: DSCP_EF }).tcp({ dport: 443 })).skb.mark).toBe(0x10);
  });

  test('an existing mark is kept, and other fields pass through', () => {
    const { skb } = classify(eth().ipv4().tcp({ dport: 443 }), { mark: 7, priority: 3 });
    expect(skb).toMatchObject({ mark: 7, priority: 3 });
  });

  test('unclassified traffic keeps mark 0', () => {
    expect(classify(eth().ipv4().tcp({ dport: 8080 })).skb.mark).toBe(0);
    expect(classify(eth().arp()).skb.mark).toBe(0);
  });

  test('it never drops and never changes the packet', () => {
    const { retval, verdict, packet, dataOut } = classify(eth().ipv4().udp({ dport: 53 }).payload('query'));
    expect(retval).toBe(TcAction.OK);
    expect(verdict).toBe('TC_ACT_OK');
    expect(Buffer.from(dataOut)).toEqual(Buffer.from(packet));
  });
});
