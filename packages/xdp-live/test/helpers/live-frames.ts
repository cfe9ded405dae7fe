import { requireFeature, xdpLiveFrames } from '@progrun/syscall/features';
import type { TestContext } from 'vitest';

/**
 * Skips the test on kernels older than 5.18 (no live-frame mode), and fails it when a newer kernel
 * claims not to support it: a broken probe must not hide behind a skip.
 */
export function requireLiveFrames(context: TestContext): void {
  requireFeature(context, xdpLiveFrames);
}
