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

test('the arbitraries subpath stands apart: only it imports fast-check, an optional peer dependency', async () => {
  const arbitraries = await import('../src/arbitraries/index.js');
  expect(arbitraries).toHaveProperty('validPacket');
  expect(root).not.toHaveProperty('validPacket');
  const { readdirSync, readFileSync } = await import('node:fs');
  const src = new URL('../src/', import.meta.url);
  const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const importers = files.filter((f) => /from 'fast-check'/.test(readFileSync(new URL(f, src), 'utf8')));
  expect(importers.length).toBeGreaterThan(0);
  for (const file of importers) expect(file.startsWith('arbitraries/'), file).toBe(true);
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  expect(pkg.peerDependenciesMeta['fast-check'].optional).toBe(true);
  expect(pkg.dependencies).not.toHaveProperty('fast-check');
});
