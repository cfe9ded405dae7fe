import { eth } from '@progrun/ctx-builders';
import { verdictOf } from '../../render/run-report.js';
import { type DemoCase, type DemoScenario, Expectations } from '../demo-scenario.js';

const webMark = 0x10;
const expeditedMark = 0xef;

/** The tc classifier: skb->mark from the port map, DSCP EF as a fallback, an existing mark kept. */
export const tcClassifierScenario: DemoScenario = {
  example: 'tc-classifier',
  program: 'tc_classify',
  title: 'tc classifier (skb->mark)',
  testRunType: 'SCHED_CLS',
  run({ object, run }) {
    using marks = object.map('port_marks').toMap();
    const port = Buffer.alloc(2);
    port.writeUInt16LE(443, 0);
    const mark = Buffer.alloc(4);
    mark.writeUInt32LE(webMark, 0);
    marks.update(port, mark);

    const inputs = [
      {
        input: 'TCP to port 443',
        packet: eth().ipv4().tcp({ dport: 443 }).build(),
        ctx: undefined,
        mark: webMark,
      },
      {
        input: 'UDP, DSCP EF',
        packet: eth().ipv4({ dscp: 46 }).udp({ dport: 5004 }).build(),
        ctx: undefined,
        mark: expeditedMark,
      },
      {
        input: 'TCP/443, mark 7 set',
        packet: eth().ipv4().tcp({ dport: 443 }).build(),
        ctx: { mark: 7 },
        mark: 7,
      },
    ];
    const cases: DemoCase[] = [];
    for (const { input, packet, ctx, mark: expected } of inputs) {
      const record = run({ packet, ctx, origin: input });
      const got = record.outputs.ctx?.mark;
      const expect = new Expectations()
        .equal('the verdict', verdictOf(record), 'TC_ACT_OK')
        .equal('skb->mark', got, expected);
      const before = record.ctxIn?.mark ?? 0;
      cases.push({ input, record, summary: `mark ${hex(before)} -> ${hex(got)}`, problems: expect.problems });
    }
    return cases;
  },
};

function hex(value: unknown): string {
  return typeof value === 'number' ? `0x${value.toString(16)}` : String(value);
}
