// The packet and pcap halves are subpaths of their own and also part of the package root, which lists
// their names again: nothing a subpath exports may be missing from the root.
import { expect, test } from 'vitest';
import * as root from '../src/index.js';
import * as packet from '../src/packet/index.js';
import * as pcap from '../src/pcap/index.js';

test.each([
  ['packet', packet],
  ['pcap', pcap],
])('the root re-exports every value of the %s subpath, the same object', (_name, subpath) => {
  const values = Object.entries(subpath);
  expect(values.length).toBeGreaterThan(0);
  for (const [name, value] of values) expect(root).toHaveProperty([name], value);
});

test('the subpaths do not overlap, and carry no program contexts', () => {
  const packetNames = Object.keys(packet);
  expect(Object.keys(pcap).filter((name) => packetNames.includes(name))).toEqual([]);
  for (const context of ['xdpMd', 'skBuff', 'flowKeys']) {
    expect(packet).not.toHaveProperty([context]);
    expect(pcap).not.toHaveProperty([context]);
  }
});
