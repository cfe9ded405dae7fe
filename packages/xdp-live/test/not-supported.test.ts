import { NotSupportedError } from '@progrun/syscall';
import { describe, expect, test, vi } from 'vitest';

// A kernel older than 5.18 cannot be produced on demand on the host: the probe's answer is mocked here,
// as such a kernel gives it (the probe itself is tested by @progrun/syscall, also on 5.10 guests).
vi.mock('@progrun/syscall/features', () => ({
  xdpLiveFrames: {
    minKernel: '5.18',
    probe: () => ({
      status: 'unsupported',
      error: new NotSupportedError(
        'XDP live-frames mode (BPF_F_TEST_XDP_LIVE_FRAMES with batch_size)',
        '5.18',
      ),
    }),
    check() {
      throw new NotSupportedError(
        'XDP live-frames mode (BPF_F_TEST_XDP_LIVE_FRAMES with batch_size)',
        '5.18',
      );
    },
  },
}));

const { inject, liveFramesSupported } = await import('../src/index.js');

describe('on a kernel without live frames', () => {
  test('inject() rejects with NotSupportedError naming the feature and 5.18, before any worker starts', async () => {
    const injection = inject({ program: { fd: 0 }, packet: new Uint8Array(64), ifindex: 'lo', count: 1 });
    let started = false;
    injection.on('start', () => {
      started = true;
    });
    const error = await injection.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(NotSupportedError.isInstance(error), String(error)).toBe(true);
    expect(error).toMatchObject({ minKernel: '5.18', feature: expect.stringContaining('live-frames') });
    expect(started).toBe(false);
    expect(liveFramesSupported()).toBe(false);
  });

  test('validation still comes first', async () => {
    await expect(
      inject({ program: { fd: 0 }, packet: new Uint8Array(64), ifindex: 'lo', count: 1, batchSize: 300 }),
    ).rejects.toMatchObject({ field: 'options.batchSize' });
  });
});
