import type { SerializedConfig } from 'vitest';

/**
 * A vitest worker's configuration with its default deadlines (`testTimeout`, `hookTimeout`, each tag's
 * `timeout`) multiplied by `factor`: a guest under TCG runs code several times slower than the host,
 * and a deadline meant for the host would fail tests that are only slow there. Deadlines passed to
 * `test(name, fn, ms)` itself are the test's own and stay as they are.
 */
export function scaleConfigTimeouts(config: SerializedConfig, factor: number): SerializedConfig {
  if (factor === 1) return config;
  const scale = (ms: number | undefined) => (ms === undefined || ms <= 0 ? ms : Math.round(ms * factor));
  return {
    ...config,
    testTimeout: scale(config.testTimeout)!,
    hookTimeout: scale(config.hookTimeout)!,
    tags: config.tags.map((tag) =>
      tag.timeout === undefined ? tag : { ...tag, timeout: scale(tag.timeout) },
    ),
  };
}
