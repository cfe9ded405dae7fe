import { decodePacket, diffPackets, formatSpec, type PacketChange } from '@progrun/ctx-builders';
import { type BpfProgTypeName, formatKernelVersion, runningKernel, verdictName } from '@progrun/uapi';
import type { RunOutputs } from '../program/run-once.js';
import { changedFields, formatFields } from './format-value.js';
import type { Style } from './style.js';

/** One finished test run and everything needed to report it. */
export interface RunRecord {
  /** Where the input came from (`--packet` spec, `capture.pcap #3`), if there was a packet. */
  readonly origin: string | undefined;
  /** The program's type name (`XDP`), for naming the return value. */
  readonly typeName: string;
  readonly retval: number;
  /** Mean kernel-measured nanoseconds per run. */
  readonly durationNs: number;
  readonly repeat: number;
  /** The input packet, for packet programs. */
  readonly packet: Uint8Array | undefined;
  /** The context as sent, decoded. */
  readonly ctxIn: Readonly<Record<string, unknown>> | undefined;
  readonly outputs: RunOutputs;
}

/**
 * Program types whose test run the kernel does not time: net/bpf/test_run.c measures only the runs that
 * go through bpf_test_run() (packet types, flow dissector, sk_lookup, netfilter); raw tracepoint,
 * SYSCALL, tracing and struct_ops runs call the program once and leave `duration` at 0.
 */
const untimedTypes: ReadonlySet<string> = new Set([
  'RAW_TRACEPOINT',
  'SYSCALL',
  'TRACING',
  'STRUCT_OPS',
  'LSM',
]);

/** Whether the kernel measured the run's duration (it does not for raw tracepoints, SYSCALL, ...). */
export function kernelTimed(record: Pick<RunRecord, 'typeName'>): boolean {
  return !untimedTypes.has(record.typeName);
}

/**
 * A return value by name as the running kernel reports it (`XDP_TX`; FLOW_DISSECTOR before 6.1 reports
 * only whether the program said BPF_OK), or undefined when the type has no names for it.
 */
export function retvalName(typeName: string, retval: number): string | undefined {
  const running = runningKernel();
  return verdictName(
    typeName as BpfProgTypeName,
    retval,
    running === undefined ? undefined : formatKernelVersion(running),
  );
}

/** The return value by name when the type has names for it (`XDP_TX`), else the number. */
export function verdictOf(record: Pick<RunRecord, 'typeName' | 'retval'>): string {
  return retvalName(record.typeName, record.retval) ?? String(record.retval);
}

/** The packet a program returned as a spec string (what `--packet` would take to build it again). */
export function packetSpec(bytes: Uint8Array): string {
  return formatSpec(decodePacket(bytes).layers);
}

/** Field-by-field changes from the input packet to the output packet; empty when either is missing. */
export function packetChanges(record: RunRecord): readonly PacketChange[] {
  if (!record.packet || !record.outputs.packet) return [];
  return diffPackets(record.packet, record.outputs.packet).changes;
}

function changeLines(record: RunRecord): string[] {
  if (!record.packet || !record.outputs.packet) return [];
  return diffPackets(record.packet, record.outputs.packet).lines();
}

/** A run as a JSON-ready object: verdict, duration, packets in hex and as specs, changes, contexts. */
export function runToJson(record: RunRecord): Record<string, unknown> {
  const { outputs } = record;
  return {
    ...(record.origin === undefined ? {} : { origin: record.origin }),
    retval: record.retval,
    verdict: verdictOf(record),
    durationNs: kernelTimed(record) ? record.durationNs : null,
    repeat: record.repeat,
    ...(record.packet ? { input: { bytes: record.packet, spec: packetSpec(record.packet) } } : {}),
    ...(outputs.packet
      ? {
          output: {
            bytes: outputs.packet,
            spec: packetSpec(outputs.packet),
            valid: decodePacket(outputs.packet).valid,
            ...(outputs.metadata && outputs.metadata.length > 0 ? { metadata: outputs.metadata } : {}),
          },
          changes: packetChanges(record),
        }
      : {}),
    ...(record.ctxIn ? { ctxIn: record.ctxIn } : {}),
    ...(outputs.ctx ? { ctxOut: outputs.ctx, ctxChanges: changedFields(outputs.ctx, record.ctxIn) } : {}),
    ...(outputs.flowKeys ? { flowKeys: outputs.flowKeys } : {}),
  };
}

/**
 * A run for people: the verdict by name, the kernel's duration, the output packet layer by layer,
 * the field-by-field diff, XDP metadata, and the output context with its changed fields marked.
 */
export function renderRun(record: RunRecord, style: Style): string {
  const rows: [string, string][] = [];
  const { outputs } = record;
  if (record.packet) {
    const what = record.origin ?? packetSpec(record.packet);
    rows.push(['input', `${what}  ${style.dim(`(${record.packet.length} bytes)`)}`]);
  }
  const name = retvalName(record.typeName, record.retval);
  rows.push([
    'verdict',
    name
      ? `${style.bold(verdictColor(name, style))} ${style.dim(`(${record.retval})`)}`
      : style.bold(String(record.retval)),
  ]);
  const per = record.repeat > 1 ? `mean of ${record.repeat} runs` : 'one run';
  rows.push([
    'duration',
    kernelTimed(record)
      ? `${record.durationNs} ns ${style.dim(`(kernel-measured, ${per})`)}`
      : style.dim(`not measured: the kernel does not time ${record.typeName} test runs`),
  ]);
  if (outputs.packet) {
    const after = record.repeat > 1 ? `, as ${record.repeat} runs on the same buffer left it` : '';
    rows.push([
      'output',
      `${outputs.packet.length} bytes${after}, ${validity(record, outputs.packet, style)}`,
    ]);
    for (const layer of decodePacket(outputs.packet).layers) rows.push(['', `  ${formatSpec([layer])}`]);
    const lines = changeLines(record);
    rows.push(['changes', lines.length === 0 ? style.dim('none: the packet is unchanged') : lines[0]!]);
    for (const line of lines.slice(1)) rows.push(['', line]);
  }
  if (outputs.metadata && outputs.metadata.length > 0) {
    rows.push([
      'metadata',
      `${Buffer.from(outputs.metadata).toString('hex')} ${style.dim(`(${outputs.metadata.length} bytes before the packet)`)}`,
    ]);
  }
  if (outputs.flowKeys) rows.push(['flow keys', formatFields(outputs.flowKeys, undefined).join(' ')]);
  if (outputs.ctx) {
    rows.push(['context', formatFields(outputs.ctx, record.ctxIn, style.yellow).join(' ')]);
  } else if (record.ctxIn) {
    rows.push(['context in', formatFields(record.ctxIn, undefined).join(' ')]);
  }
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, text]) => `${style.dim(label.padEnd(width))}  ${text}`).join('\n');
}

// The output packet's checksums and lengths, against the input's: a field that was already wrong in the
// input (`--data`, a capture) is not something the program broke.
function validity(record: RunRecord, output: Uint8Array, style: Style): string {
  const invalid = decodePacket(output).checks.filter((check) => check.status === 'invalid');
  if (invalid.length === 0) return style.dim('checksums and lengths consistent');
  const wrongBefore = new Set(
    record.packet
      ? decodePacket(record.packet)
          .checks.filter((check) => check.status === 'invalid')
          .map((check) => check.field)
      : [],
  );
  const describe = (check: (typeof invalid)[number]) =>
    `${check.field} (should be 0x${(check.expected ?? 0).toString(16)})`;
  const now = invalid.filter((check) => !wrongBefore.has(check.field));
  const still = invalid.filter((check) => wrongBefore.has(check.field));
  return [
    ...(now.length > 0 ? [style.yellow(`now wrong: ${now.map(describe).join(', ')}`)] : []),
    ...(still.length > 0
      ? [style.yellow(`wrong already in the input: ${still.map(describe).join(', ')}`)]
      : []),
  ].join('; ');
}

function verdictColor(name: string, style: Style): string {
  if (/DROP|SHOT|ABORTED/.test(name)) return style.red(name);
  if (/TX|REDIRECT/.test(name)) return style.magenta(name);
  if (/PASS|OK/.test(name)) return style.green(name);
  return name;
}
