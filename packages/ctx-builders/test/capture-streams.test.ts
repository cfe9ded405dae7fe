import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable, Writable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import {
  type CapturedPacket,
  CaptureTruncatedError,
  decodeCapture,
  decodePcap,
  encodePcap,
  encodePcapng,
  eth,
  PacketError,
  readCaptureFile,
  streamCapture,
  streamCaptureBatches,
  writePcapngStream,
  writePcapStream,
} from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'pr-cb-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const summary = (packets: readonly CapturedPacket[]) =>
  packets.map((p) => `${hex(p.data)} ${p.timestampNs} ${p.originalLength} ${p.linkType}`);

async function collect(source: Parameters<typeof streamCapture>[0], chunkBytes?: number) {
  const packets: CapturedPacket[] = [];
  try {
    for await (const packet of streamCapture(source, chunkBytes === undefined ? {} : { chunkBytes }))
      packets.push(packet);
  } catch (error) {
    return { packets, error };
  }
  return { packets, error: undefined };
}

const sample = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    data: eth()
      .ipv4()
      .udp({ dport: i % 65536 })
      .payload('x'.repeat(i % 37))
      .build(),
    timestampNs: 1_700_000_000_000_000_000n + BigInt(i) * 1001n,
    comments: i % 3 === 0 ? [`packet ${i}`] : [],
  }));

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('no error thrown');
}

function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

describe('streaming capture readers', () => {
  test('a file streamed in chunks of any size gives the packets of the whole-file reader', async () => {
    const packets = sample(60);
    for (const [name, file] of [
      ['pcap', encodePcap(packets)],
      ['pcapng', encodePcapng(packets)],
    ] as const) {
      const path = join(dir, `all.${name}`);
      writeFileSync(path, file);
      const whole = summary(decodeCapture(file));
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 3000 }), async (chunkBytes) => {
          const { packets: streamed, error } = await collect(path, chunkBytes);
          expect(error).toBeUndefined();
          expect(summary(streamed)).toEqual(whole);
        }),
        { numRuns: 40 },
      );
    }
  });

  test('a Node stream in chunks of random sizes reads the same, pcapng comments and interfaces included', async () => {
    const packets = sample(40);
    const file = encodePcapng(packets, { interfaces: [{}, { name: 'second' }] });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 1, maxLength: 50 }),
        async (sizes) => {
          const chunks: Buffer[] = [];
          for (let at = 0, i = 0; at < file.length; i++) {
            const size = sizes[i % sizes.length]!;
            chunks.push(file.subarray(at, at + size));
            at += size;
          }
          const { packets: streamed, error } = await collect(Readable.from(chunks));
          expect(error).toBeUndefined();
          expect(streamed.map((p) => hex(p.data))).toEqual(packets.map((p) => hex(p.data)));
          expect(streamed.map((p) => ('comments' in p ? p.comments : undefined) ?? [])).toEqual(
            packets.map((p) => p.comments),
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  test('batches are the packets of each chunk read', async () => {
    const path = join(dir, 'batches.pcap');
    writeFileSync(path, encodePcap(sample(100)));
    const sizes: number[] = [];
    for await (const batch of streamCaptureBatches(path, { chunkBytes: 1024 })) sizes.push(batch.length);
    expect(sizes.reduce((a, b) => a + b)).toBe(100);
    expect(sizes.length).toBeGreaterThan(5);
  });

  test('a capture cut inside its last record yields every complete packet, then CaptureTruncatedError', async () => {
    const packets = sample(12);
    for (const [name, file] of [
      ['pcap', encodePcap(packets)],
      ['pcapng', encodePcapng(packets)],
    ] as const) {
      const whole = decodeCapture(file);
      // Cut 5 bytes into the 11th record's data, and just inside its header.
      const lastStart = file.length - (name === 'pcap' ? 16 + packets[11]!.data.length : 0);
      for (const cut of [file.length - 3, file.length - packets[11]!.data.length + 1]) {
        const path = join(dir, `cut.${name}`);
        writeFileSync(path, file.subarray(0, cut));
        for (const chunkBytes of [64, 1 << 20]) {
          const { packets: streamed, error } = await collect(path, chunkBytes);
          expect(summary(streamed)).toEqual(summary(whole.slice(0, 11)));
          expect(CaptureTruncatedError.isInstance(error), String(error)).toBe(true);
          const truncated = error as CaptureTruncatedError;
          expect(PacketError.isInstance(truncated)).toBe(true);
          expect(truncated.rule).toBe('truncated');
          expect(truncated.packetCount).toBe(11);
          expect(truncated.presentBytes).toBe(cut - truncated.offset);
          if (name === 'pcap') expect(truncated.offset).toBe(lastStart);
        }
        // The whole-file reader reports the same, carrying the complete packets.
        const error = caught(() => readCaptureFile(path));
        expect(CaptureTruncatedError.isInstance(error)).toBe(true);
        expect(summary((error as CaptureTruncatedError).packets)).toEqual(summary(whole.slice(0, 11)));
        // tshark shows the same complete packets, and says the file is cut short.
        if (cut !== file.length - 3) continue;
        const tshark = spawnSync('tshark', ['-r', path, '-T', 'fields', '-e', 'frame.number'], {
          encoding: 'utf8',
        });
        expect(tshark.stdout.trim().split('\n')).toHaveLength(11);
        expect(tshark.stderr).toMatch(/cut short/);
      }
    }
  }, 30_000);

  test('ending the iteration early closes the file', async () => {
    const path = join(dir, 'early.pcap');
    writeFileSync(path, encodePcap(sample(50)));
    const before = openFds();
    for (let i = 0; i < 5; i++) {
      for await (const packet of streamCapture(path, { chunkBytes: 256 })) {
        expect(packet.data.length).toBeGreaterThan(0);
        break;
      }
    }
    expect(openFds()).toBe(before);
  });

  test('bad sources are typed errors: a descriptor number, a string stream, an unknown format, an abort', async () => {
    expect(caught(() => readCaptureFile(2 as unknown as string))).toMatchObject({
      field: 'path',
      rule: 'file-path',
    });
    expect((await collect(2 as unknown as string)).error).toMatchObject({
      field: 'source',
      rule: 'capture-source',
    });
    expect((await collect(Readable.from(['text']))).error).toMatchObject({
      field: 'source',
      rule: 'capture-source',
    });
    expect((await collect(Readable.from([Buffer.from('not a capture')]))).error).toMatchObject({
      rule: 'capture-format',
    });
    expect((await collect(Readable.from([]))).error).toMatchObject({ rule: 'capture-format' });
    const controller = new AbortController();
    const path = join(dir, 'abort.pcap');
    writeFileSync(path, encodePcap(sample(50)));
    const seen: CapturedPacket[] = [];
    const error = await (async () => {
      try {
        for await (const packet of streamCapture(path, { chunkBytes: 128, signal: controller.signal })) {
          seen.push(packet);
          controller.abort(new Error('enough'));
        }
      } catch (e) {
        return e;
      }
    })();
    expect(error).toEqual(new Error('enough'));
    expect(seen.length).toBeLessThan(50);
  });
});

describe('streaming capture writers', () => {
  async function* generated(n: number) {
    for (const packet of sample(n)) yield packet;
  }

  test('to a path, from an async iterable: the same file the whole-file encoders write', async () => {
    const pcapPath = join(dir, 'out.pcap');
    const ngPath = join(dir, 'out.pcapng');
    expect(await writePcapStream(generated(30), pcapPath)).toBe(30);
    expect(await writePcapngStream(generated(30), ngPath, { application: 'progrun' })).toBe(30);
    expect(hex(readFileSync(pcapPath))).toBe(hex(encodePcap(sample(30))));
    expect(hex(readFileSync(ngPath))).toBe(hex(encodePcapng(sample(30), { application: 'progrun' })));
  });

  test('to a slow stream: it waits for the stream to drain and leaves it open', async () => {
    const received: Buffer[] = [];
    let writes = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk, _encoding, done) {
        writes++;
        received.push(chunk);
        setTimeout(done, 1);
      },
    });
    expect(await writePcapStream(generated(3000), slow)).toBe(3000);
    expect(slow.writableEnded).toBe(false);
    await new Promise<void>((resolve) => slow.end(resolve));
    expect(writes).toBeGreaterThan(3);
    expect(decodePcap(Buffer.concat(received)).packets).toHaveLength(3000);
  });

  test('a stream that fails rejects with its error; bad destinations and packets are typed errors', async () => {
    const failing = new PassThrough();
    const failure = writePcapngStream(generated(100_000), failing);
    failing.destroy(new Error('disk full'));
    await expect(failure).rejects.toThrow('disk full');
    await expect(writePcapStream([], 3 as unknown as string)).rejects.toMatchObject({
      field: 'destination',
    });
    await expect(writePcapStream([{} as Uint8Array], join(dir, 'bad.pcap'))).rejects.toMatchObject({
      field: 'packets[0]',
    });
  });
});
