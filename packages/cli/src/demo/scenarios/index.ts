import type { DemoScenario } from '../demo-scenario.js';
import { flowDissectorScenario } from './flow-dissector.js';
import { rawTracepointScenario } from './raw-tracepoint.js';
import { skLookupScenario } from './sk-lookup.js';
import { syscallMapFillScenario } from './syscall-map-fill.js';
import { tcClassifierScenario } from './tc-classifier.js';
import { xdpFirewallScenario } from './xdp-firewall.js';
import { xdpReflectorScenario } from './xdp-reflector.js';
import { xdpTtlForwarderScenario } from './xdp-ttl-forwarder.js';

/** The built-in examples `progrun demo` runs, in the order it runs them. */
export const demoScenarios: readonly DemoScenario[] = [
  xdpReflectorScenario,
  xdpFirewallScenario,
  xdpTtlForwarderScenario,
  tcClassifierScenario,
  flowDissectorScenario,
  skLookupScenario,
  rawTracepointScenario,
  syscallMapFillScenario,
];
