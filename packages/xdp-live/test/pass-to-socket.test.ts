import { execa } from 'execa';
import { afterEach, describe, expect, test } from 'vitest';
import { inject, VethTopology } from '../src/index.js';
import { udpFrame } from './helpers/frames.js';
import { leftoverNetns } from './helpers/leftovers.js';
import { requireLiveFrames } from './helpers/live-frames.js';
import { verdictProgram } from './helpers/programs.js';

afterEach(() => {
  expect(leftoverNetns()).toEqual([]);
});

// Runs in the peer namespace: binds 10.199.0.2:PORT, says "ready", prints each datagram's payload
// (base64) on its own line until EXPECTED have arrived or none came for 3 s, then exits, so a lost
// datagram fails the count below instead of hanging the test.
const RECEIVER = `
import dgram from 'node:dgram';
const [port, expected] = process.argv.slice(1).map(Number);
const socket = dgram.createSocket('udp4');
let received = 0;
let idle;
socket.on('message', (message) => {
  process.stdout.write(message.toString('base64') + '\\n');
  clearTimeout(idle);
  if (++received === expected) socket.close();
  else idle = setTimeout(() => socket.close(), 3000);
});
socket.bind(port, '10.199.0.2', () => process.stdout.write('ready\\n'));
`;

describe('XDP_PASS frames enter the stack of the ingress device', {
  tags: ['privileged', 'slow'],
}, () => {
  test('UDP frames addressed to the namespace reach a dgram socket there, payloads intact', async (context) => {
    requireLiveFrames(context);
    await using topology = await VethTopology.create({ receive: 'xdp-pass' });
    using program = verdictProgram('pass');
    const { b } = topology;
    const port = 4789;
    const payloads = ['first payload', 'second, longer payload ........', 'third', 'fourth \u00e9\u00e8'];
    const packets = payloads.map((payload) => udpFrame({ dstMac: b.mac, dport: port, payload }));
    const count = 200;

    const receiver = execa(
      'ip',
      [
        'netns',
        'exec',
        b.netns.name,
        process.execPath,
        '--input-type=module',
        '-e',
        RECEIVER,
        String(port),
        String(count),
      ],
      {
        lines: true,
        timeout: 30_000,
      },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        receiver.stdout.once('data', () => resolve());
        receiver.catch(reject);
      });
      const result = await inject({
        program,
        packets,
        netns: b.netns,
        ifindex: b.name,
        count,
        // Slow enough that the receiver, a separate process, drains its socket buffer even on a loaded machine.
        rate: 1000,
        stats: true,
      });
      expect(result.frames).toBe(count);
      expect(result.stats?.actions?.pass).toBe(count);
      const { stdout } = await receiver;
      const received = (stdout as string[]).slice(1).map((line) => Buffer.from(line, 'base64').toString());
      expect(received).toHaveLength(count);
      for (const [i, payload] of payloads.entries()) {
        expect(received.filter((text) => text === payload)).toHaveLength(result.packets[i]?.frames ?? -1);
      }
    } finally {
      receiver.kill();
      await receiver.catch(() => undefined);
    }
  });
});
