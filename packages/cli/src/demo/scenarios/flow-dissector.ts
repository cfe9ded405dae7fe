import { eth, FlowDissectorFlag } from '@progrun/ctx-builders';
import { verdictOf } from '../../render/run-report.js';
import { type DemoCase, type DemoScenario, Expectations } from '../demo-scenario.js';

/** The flow dissector: keys of a tagged TCP/IPv4 packet, and an IPv6 flow label that ends dissection. */
export const flowDissectorScenario: DemoScenario = {
  example: 'flow-dissector',
  program: 'dissect',
  title: 'flow dissector',
  testRunType: 'FLOW_DISSECTOR',
  run({ run }) {
    const cases: DemoCase[] = [];
    const tcp = eth()
      .vlan({ vid: 7 })
      .ipv4({ src: '198.51.100.1', dst: '203.0.113.9' })
      .tcp({ sport: 40000, dport: 443 })
      .build();
    const record = run({ packet: tcp, origin: 'VLAN 7, TCP/IPv4' });
    const keys = record.outputs.flowKeys ?? {};
    const expect = new Expectations()
      .equal('the verdict', verdictOf(record), 'BPF_OK')
      .equal('nhoff', keys.nhoff, 18)
      .equal('thoff', keys.thoff, 38)
      .equal('ip_proto', keys.ip_proto, 6)
      .equal('src', keys.src, '198.51.100.1')
      .equal('dst', keys.dst, '203.0.113.9')
      .equal('sport', keys.sport, 40000)
      .equal('dport', keys.dport, 443);
    cases.push({
      input: 'VLAN 7, TCP/IPv4',
      record,
      summary: `${String(keys.src)}:${String(keys.sport)} -> ${String(keys.dst)}:${String(keys.dport)}`,
      problems: expect.problems,
    });

    const labelled = eth().ipv6({ flowLabel: 0x12345 }).udp({ sport: 5000, dport: 53 }).build();
    const stop = run({
      packet: labelled,
      ctx: { flags: FlowDissectorFlag.STOP_AT_FLOW_LABEL },
      origin: 'IPv6 with a flow label',
    });
    const stopKeys = stop.outputs.flowKeys ?? {};
    const expectStop = new Expectations()
      .equal('the verdict', verdictOf(stop), 'BPF_OK')
      .equal('flow_label', stopKeys.flow_label, 0x12345)
      .equal('dport (not read: STOP_AT_FLOW_LABEL)', stopKeys.dport, 0);
    cases.push({
      input: 'IPv6 flow label, STOP_AT_FLOW_LABEL',
      record: stop,
      summary: `flow label 0x${Number(stopKeys.flow_label).toString(16)}, ports not read`,
      problems: expectStop.problems,
    });
    return cases;
  },
};
