import { kernelOlderThan } from '@progrun/syscall';
import type { TestContext } from 'vitest';
import { LIVE_FRAMES_MIN_KERNEL, liveFramesSupported } from '../../src/index.js';

/**
 * Skips the test on kernels older than 5.18 (no live-frame mode), and fails it when a newer kernel
 * claims not to support it: a broken probe must not hide behind a skip.
 */
export function requireLiveFrames(context: TestContext): void {
  if (liveFramesSupported()) return;
  if (kernelOlderThan(LIVE_FRAMES_MIN_KERNEL)) {
    context.skip(`needs XDP live frames (Linux ${LIVE_FRAMES_MIN_KERNEL}+)`);
  }
  throw new Error(`the live-frames probe says unsupported on a kernel newer than ${LIVE_FRAMES_MIN_KERNEL}`);
}
