import { eth } from '@progrun/ctx-builders';
import { verdictOf } from '../../render/run-report.js';
import { changedPaths } from '../changed-paths.js';
import { type DemoScenario, Expectations } from '../demo-scenario.js';

/** The MAC-swapping reflector: the frame goes back (XDP_TX) with its addresses swapped. */
export const xdpReflectorScenario: DemoScenario = {
  example: 'xdp-reflector',
  program: 'xdp_reflect',
  title: 'XDP reflector (MAC swap)',
  testRunType: 'XDP',
  run({ run }) {
    const packet = eth({ src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' })
      .ipv4({ src: '10.0.0.1', dst: '10.0.0.2' })
      .udp({ sport: 40000, dport: 7 })
      .payload('ping')
      .build();
    const record = run({ packet, origin: 'UDP echo request' });
    const expect = new Expectations()
      .equal('the verdict', verdictOf(record), 'XDP_TX')
      .equal('the changed fields', changedPaths(record).join(' '), 'eth.dst eth.src');
    return [
      {
        input: 'UDP 10.0.0.1 -> 10.0.0.2:7',
        record,
        summary: 'eth.src and eth.dst swapped',
        problems: expect.problems,
      },
    ];
  },
};
