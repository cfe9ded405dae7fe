import {
  BPF_F_TEST_RUN_ON_CPU,
  BPF_F_TEST_SKB_CHECKSUM_COMPLETE,
  BPF_F_TEST_XDP_LIVE_FRAMES,
} from '@progrun/uapi';
import { usageError } from '../cli/cli-error.js';

const flagNames: Readonly<Record<string, number>> = {
  run_on_cpu: BPF_F_TEST_RUN_ON_CPU,
  xdp_live_frames: BPF_F_TEST_XDP_LIVE_FRAMES,
  live_frames: BPF_F_TEST_XDP_LIVE_FRAMES,
  skb_checksum_complete: BPF_F_TEST_SKB_CHECKSUM_COMPLETE,
};

/**
 * Reads `--flags`: comma-separated `BPF_F_TEST_*` names, in any case and with `-` or `_`, with or without
 * the prefix (`run-on-cpu`, `BPF_F_TEST_SKB_CHECKSUM_COMPLETE`), or numbers (`0x2`).
 * @throws CliError (usage) for an unknown name, and for live frames, which `progrun live` runs.
 */
export function parseTestRunFlags(text: string): number {
  let flags = 0;
  for (const part of text.split(',')) {
    const word = part.trim();
    if (word === '') continue;
    if (/^(0x[0-9a-f]+|\d+)$/i.test(word)) {
      flags |= Number(word);
      continue;
    }
    const key = word
      .toLowerCase()
      .replace(/-/g, '_')
      .replace(/^bpf_f_test_/, '');
    const bit = flagNames[key];
    if (bit === undefined) {
      throw usageError(
        '--flags',
        'a test-run flag name or a number',
        `unknown test-run flag "${word}"; use run-on-cpu, skb-checksum-complete or a number`,
        'run',
      );
    }
    flags |= bit;
  }
  // A live-frames run injects into the network stack and returns no packet: that is `progrun live`,
  // with its workers, rates and statistics, not a test run that prints its output.
  if (flags & BPF_F_TEST_XDP_LIVE_FRAMES) {
    throw usageError(
      '--flags',
      'without xdp-live-frames (that is progrun live)',
      '--flags xdp-live-frames injects frames instead of returning one: use `progrun live <prog>` for live-frame mode',
      'run',
    );
  }
  return flags >>> 0;
}
