import { parsePacketSpec } from '@progrun/ctx-builders';
import type { InjectionResult, ReceiveMode, VethTopology } from '@progrun/xdp-live';
import { importNeedingAddon } from '../cli/addon-unavailable.js';
import { CliError, errorJson, usageError } from '../cli/cli-error.js';
import type { Command, CommandInput } from '../cli/command.js';
import { ExitCode, exitCodesHelp } from '../cli/exit-codes.js';
import { asFlagError } from '../cli/flag-error.js';
import { interruptedError, interruptReason } from '../cli/interrupted.js';
import { schemaUrl } from '../cli/json-schema.js';
import { integerOption, stringOption, stringsOption } from '../cli/option-values.js';
import { readInputPackets } from '../program/packet-source.js';
import { renderLiveStatistics } from '../render/live-statistics.js';
import { formatCount, formatRate, renderProgress } from '../render/progress-bar.js';

const help = `progrun live: inject frames with XDP live-frame mode (BPF_F_TEST_XDP_LIVE_FRAMES, Linux 5.18+).

Usage: progrun live <prog.bpf.c | prog.o> [options]

The kernel runs the XDP program on each frame as if it had arrived on a device and carries out its
verdict: XDP_TX and XDP_REDIRECT transmit, XDP_PASS enters the stack, XDP_DROP recycles. One pinned
worker per CPU loops BPF_PROG_RUN calls. Shows a progress bar with the live rate on a terminal, then the
statistics: per worker, per verdict, xdp tracepoint counts, device counters, the page pool measured
beside its model, and whether the frames that were sent on arrived (silent loss is flagged).

Without --dev, frames are injected on a temporary veth pair in two private network namespaces
(pr-xl-*, removed afterwards, also on Ctrl-C), whose far end accepts XDP frames, so XDP_TX arrives.

Ctrl-C (SIGINT) or SIGTERM, at any moment, stops the workers within a few milliseconds, prints the
statistics gathered so far and "interrupted ... after N frames", and exits with 130 (with --json: a
document with "ok": false and "interrupted").

Options:
  --prog NAME          the program, when the object holds several
  --packet SPEC        a frame template (repeatable: workers cycle through them); default on the veth
                       pair: a UDP datagram from its near end to its far end
  --pcap FILE          frame templates from a capture
  --dev NAME|IFINDEX   the ingress device (XDP_TX leaves through it); default: a temporary veth pair
  --netns NAME         network namespace of --dev
  --receive MODE       with the temporary veth pair: how its far end accepts frames:
                       xdp-pass (default), xdp-drop, gro, none
  --count N            frames to inject in all (default 1000000, unless --duration is given)
  --duration SECONDS   inject for this long instead
  --rate PPS           pace to this many frames per second over all workers
  --batch N            frames per batch, 1..256 (default 64)
  --cpus LIST          CPUs to run one worker each on, e.g. 0,1 (default: the first allowed CPU)
  --workers N          instead of --cpus: this many workers on the first allowed CPUs
  --no-stats           skip the statistics (tracepoints, counters, page pool)
  --count-redirects    also count xdp:xdp_redirect per frame (exact, but costs throughput)
  --no-preview         do not run the program once per frame template before the run to learn its
                       verdicts (for programs whose map updates must not happen an extra time)
  --json               one JSON document with the result and statistics (no progress bar)
  -h, --help           this help

Examples:
  progrun live examples/xdp-reflector/xdp-reflector.bpf.c --count 2000000
  progrun live examples/xdp-firewall/xdp-firewall.bpf.c --duration 5 --workers 2 --batch 256
  progrun live prog.o --dev eth1 --packet 'eth(dst=02:00:00:00:00:02)/ipv4()/udp()' --rate 100000

${exitCodesHelp([0, 1, 2, 3, 4, 5, 6, 130], {
  1: 'no frame was delivered (every batch refused), or the injection failed',
})}`;

const receiveModes: readonly ReceiveMode[] = ['xdp-pass', 'xdp-drop', 'gro', 'none'];
const defaultCount = 1_000_000;

function cpuList(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  const cpus = text.split(',').map((part) => Number(part.trim()));
  if (cpus.length === 0 || cpus.some((cpu) => !Number.isInteger(cpu) || cpu < 0)) {
    throw usageError(
      '--cpus',
      'CPU numbers separated by commas',
      `--cpus must be CPU numbers separated by commas (e.g. 0,1), not "${text}"`,
      'live',
    );
  }
  return cpus;
}

/** Library option paths of inject() and the flags that set them. */
const flagOf: Readonly<Record<string, string>> = {
  'options.ifindex': '--dev',
  'options.netns': '--netns',
  'options.cpus': '--cpus',
  'options.workers': '--workers',
  'options.count': '--count',
  'options.duration': '--duration',
  'options.rate': '--rate',
  'options.batchSize': '--batch',
  'options.packets': '--packet',
  'options.packet': '--packet',
};

/**
 * Every frame the program sent on was refused (a veth peer without XDP or GRO): the run "succeeded"
 * but delivered nothing, which is a failed injection.
 */
function noDelivery(ownPair: boolean): CliError {
  return new CliError(
    'delivery',
    ExitCode.RunFailed,
    'no frame arrived: every frame the program sent on was refused',
    {
      hint: ownPair
        ? 'Let the far end take XDP frames: --receive xdp-pass (an XDP program there) or --receive gro.'
        : "Let the device's peer take XDP frames: attach an XDP program to it, or `ethtool -K PEER gro on`.",
    },
  );
}

/**
 * Runs `work` with @progrun/xdp-live's process warnings held back: the command prints the result's
 * warnings itself, once, and Node's default printer would add each again with a `--trace-warnings` note.
 * Other warnings still reach the listeners there were.
 */
async function withoutProcessWarnings<T>(work: () => Promise<T>): Promise<T> {
  const listeners = process.listeners('warning');
  process.removeAllListeners('warning');
  const forward = (warning: Error & { code?: string }) => {
    if (warning.code === 'PROGRUN_XDP_LIVE') return;
    for (const listener of listeners) listener(warning);
  };
  process.on('warning', forward);
  try {
    return await work();
  } finally {
    // process.emitWarning() dispatches on the next tick: let the last ones arrive first.
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', forward);
    for (const listener of listeners) process.on('warning', listener);
  }
}

async function execute({ values, positionals, out, signal }: CommandInput): Promise<number> {
  if (positionals.length !== 1)
    throw usageError(
      'file',
      'exactly one program file',
      'give the XDP program to inject with: a .c source or a .o object',
      'live',
    );
  const count = integerOption(values, 'count', 'live', { min: 1, max: Number.MAX_SAFE_INTEGER });
  const seconds = stringOption(values, 'duration');
  const duration = seconds === undefined ? undefined : Number(seconds) * 1000;
  if (duration !== undefined && !(duration > 0))
    throw usageError(
      '--duration',
      'a positive number of seconds',
      `--duration must be a positive number of seconds, not "${seconds}"`,
      'live',
    );
  if (count !== undefined && duration !== undefined)
    throw usageError(
      '--duration',
      'absent with --count',
      '--count and --duration cannot be combined',
      'live',
    );
  const rate = integerOption(values, 'rate', 'live', { min: 1, max: Number.MAX_SAFE_INTEGER });
  const batchSize = integerOption(values, 'batch', 'live', { min: 1, max: 256 });
  const workers = integerOption(values, 'workers', 'live', { min: 1, max: 4096 });
  const cpus = cpuList(stringOption(values, 'cpus'));
  if (cpus && workers !== undefined)
    throw usageError('--workers', 'absent with --cpus', '--cpus and --workers cannot be combined', 'live');
  const dev = stringOption(values, 'dev');
  const receiveText = stringOption(values, 'receive');
  if (receiveText !== undefined && !receiveModes.includes(receiveText as ReceiveMode)) {
    throw usageError(
      '--receive',
      `one of ${receiveModes.join(', ')}`,
      `--receive must be one of ${receiveModes.join(', ')}`,
      'live',
    );
  }
  if (receiveText !== undefined && dev !== undefined)
    throw usageError(
      '--receive',
      'absent with --dev',
      '--receive applies to the temporary veth pair, not to --dev',
      'live',
    );
  const specs = stringsOption(values, 'packet');
  const pcap = stringOption(values, 'pcap');
  if (specs.length > 0 && pcap !== undefined)
    throw usageError('--pcap', 'absent with --packet', '--packet and --pcap cannot be combined', 'live');
  const templates =
    pcap !== undefined
      ? readInputPackets({ pcap }, 'live').map((p) => p.bytes)
      : specs.map((spec) => parsePacketSpec(spec).build());
  // Without --dev the default frame is built once the veth pair (and so its addresses) exists.
  if (dev !== undefined && templates.length === 0) {
    throw usageError(
      '--packet',
      'given with --dev (or --pcap)',
      'give the frames to inject with --packet or --pcap (with --dev there is no default)',
      'live',
    );
  }

  // These load @progrun/syscall's native addon, so they come in here: `progrun live --help` works without it.
  const [{ inject, VethTopology: veth }, { loadProgramFromFile }] = await importNeedingAddon('live', () =>
    Promise.all([import('@progrun/xdp-live'), import('../program/open-program.js')]),
  );
  using loaded = await loadProgramFromFile({
    file: positionals[0]!,
    prog: stringOption(values, 'prog'),
    command: 'live',
  });
  if (loaded.typeName !== 'XDP')
    throw usageError(
      'file',
      'an XDP program',
      `live-frame mode runs XDP programs, and ${loaded.name} is ${loaded.typeName}`,
      'live',
    );

  // Compiling and loading cannot be cut short; an interrupt that came meanwhile ends the command here.
  if (signal.aborted) throw interruptedError(signal, '0 frames', signal.reason);
  const topology =
    dev === undefined
      ? await createTopology(veth, (receiveText as ReceiveMode | undefined) ?? 'xdp-pass', signal)
      : undefined;
  try {
    if (signal.aborted) throw interruptedError(signal, '0 frames', signal.reason);
    const packets =
      templates.length > 0
        ? templates
        : [
            parsePacketSpec(
              `eth(src=${topology!.a.mac},dst=${topology!.b.mac})/ipv4(src=${topology!.a.ipv4},dst=${topology!.b.ipv4})/udp(sport=40000,dport=9)/payload("progrun live")`,
            ).build(),
          ];
    const goal: { count: number } | { duration: number } =
      duration === undefined ? { count: count ?? defaultCount } : { duration };
    const where = topology
      ? `on ${topology.a.name}, a temporary veth pair to ${topology.b.name} (${topology.receive}; removed afterwards)`
      : `on ${dev}${stringOption(values, 'netns') ? ` in netns ${stringOption(values, 'netns')}` : ''}`;
    const injection = inject({
      program: loaded.program,
      packets,
      ifindex: topology ? topology.a.name : /^\d+$/.test(dev!) ? Number(dev) : dev!,
      ...(topology
        ? { netns: topology.a.netns }
        : stringOption(values, 'netns')
          ? { netns: stringOption(values, 'netns')! }
          : {}),
      ...goal,
      ...(rate === undefined ? {} : { rate }),
      ...(batchSize === undefined ? {} : { batchSize }),
      ...(cpus ? { cpus } : {}),
      ...(workers === undefined ? {} : { workers }),
      stats:
        values['no-stats'] === true
          ? false
          : {
              countRedirects: values['count-redirects'] === true,
              previewVerdicts: values['no-preview'] !== true,
              ...(topology ? { transmit: topology.a, receive: topology.b } : {}),
            },
    });
    // Announced once the library has checked the options and the workers start, so that a bad --dev,
    // --cpus or --netns is an error without a claim of injecting before it.
    injection.on('start', () => {
      if (out.json) return;
      const what = 'count' in goal ? `${formatCount(goal.count)} frames` : `for ${seconds} s`;
      out.line(
        `${out.style.bold(loaded.name)} ${out.style.cyan('XDP live frames')}: injecting ${what} ${where}`,
      );
    });
    const drawing = !out.json && out.interactive;
    if (drawing) {
      injection.on('progress', (progress) => {
        const done = 'count' in goal ? progress.frames : progress.elapsedMs;
        const total = 'count' in goal ? goal.count : goal.duration;
        const text = `${formatCount(progress.frames)} frames  ${out.errStyle.bold(formatRate(progress.pps))}  (average ${formatRate(progress.averagePps)})`;
        out.errorWrite(`\r${renderProgress({ done, total, text }, out.errStyle)}\u001b[K`);
      });
    }
    // An interrupt stops the workers (stop(), not the signal, so the run still resolves with what it
    // sent and the statistics so far); the veth pair stays until they have been read.
    const stop = () => injection.stop();
    signal.addEventListener('abort', stop, { once: true });
    if (signal.aborted) injection.stop();
    let result: InjectionResult;
    try {
      result = await withoutProcessWarnings(async () => await injection);
    } catch (error) {
      throw asFlagError(error, flagOf, 'live');
    } finally {
      signal.removeEventListener('abort', stop);
      if (drawing) out.errorWrite('\n');
    }
    // An interrupted run's delivery is judged on part of its frames: it is reported, not an error.
    const interrupted = signal.aborted ? interruptReason(signal) : undefined;
    const refused =
      interrupted === undefined && result.stats?.delivery.status === 'no-delivery'
        ? noDelivery(topology !== undefined)
        : undefined;
    if (out.json) {
      out.writeJson({
        $schema: schemaUrl('live'),
        ok: refused === undefined && interrupted === undefined,
        ...(interrupted === undefined ? {} : { interrupted: { reason: interrupted, frames: result.frames } }),
        program: { name: loaded.name, file: positionals[0] },
        device: where,
        result,
        ...(refused ? { error: errorJson(refused) } : {}),
      });
      if (interrupted !== undefined) return ExitCode.Interrupted;
      return refused ? refused.exitCode : ExitCode.Ok;
    }
    out.line();
    out.line(renderLiveStatistics(result, out.style));
    if (interrupted !== undefined) {
      out.errorLine(`progrun: ${interrupted} after ${formatCount(result.frames)} frames`);
      return ExitCode.Interrupted;
    }
    if (refused) throw refused;
    return ExitCode.Ok;
  } finally {
    await topology?.close();
  }
}

/**
 * Creates the temporary veth pair. An interrupt while it is being created aborts the creation (which
 * removes what it made); once it exists, only close() removes it, after the injection has stopped and its
 * statistics (which read the pair's counters) are in. `veth` is xdp-live's VethTopology, imported when the
 * command runs (it needs the native addon).
 */
async function createTopology(
  veth: typeof VethTopology,
  receive: ReceiveMode,
  signal: AbortSignal,
): Promise<VethTopology> {
  const creation = new AbortController();
  const abort = () => creation.abort(signal.reason);
  signal.addEventListener('abort', abort, { once: true });
  try {
    return await veth.create({ receive, signal: creation.signal });
  } catch (error) {
    if (signal.aborted) throw interruptedError(signal, '0 frames', error);
    throw error;
  } finally {
    signal.removeEventListener('abort', abort);
  }
}

/** `progrun live`. */
export const liveCommand: Command = {
  name: 'live',
  help,
  positionals: true,
  options: {
    prog: { type: 'string' },
    packet: { type: 'string', multiple: true },
    pcap: { type: 'string' },
    dev: { type: 'string' },
    netns: { type: 'string' },
    receive: { type: 'string' },
    count: { type: 'string' },
    duration: { type: 'string' },
    rate: { type: 'string' },
    batch: { type: 'string' },
    cpus: { type: 'string' },
    workers: { type: 'string' },
    'no-stats': { type: 'boolean' },
    'count-redirects': { type: 'boolean' },
    'no-preview': { type: 'boolean' },
  },
  execute,
};
