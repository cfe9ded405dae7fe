import { writeFileSync } from 'node:fs';
import { encodePcap, parsePacketSpec } from '@progrun/ctx-builders';
import { type BpfProgTypeName, programTypeProfile } from '@progrun/uapi';
import { importNeedingAddon } from '../cli/addon-unavailable.js';
import { usageError } from '../cli/cli-error.js';
import type { Command, CommandInput } from '../cli/command.js';
import { ExitCode, exitCodesHelp } from '../cli/exit-codes.js';
import { interruptedError } from '../cli/interrupted.js';
import { schemaUrl } from '../cli/json-schema.js';
import { integerOption, jsonOption, stringOption, stringsOption } from '../cli/option-values.js';
import { applyMapAssignments, parseMapAssignments, readMapAssignments } from '../program/map-assignments.js';
import { dumpMaps } from '../program/map-dump.js';
import {
  checkOnePacketSource,
  defaultPacketSpec,
  type InputPacket,
  readInputPackets,
} from '../program/packet-source.js';
import { parseTestRunFlags } from '../program/test-run-flags.js';
import { renderMapDumps } from '../render/capture-report.js';
import { type RunRecord, renderRun, runToJson } from '../render/run-report.js';
import { renderMaps, summarize } from '../render/run-summary.js';

const help = `progrun run: load a BPF program and run it once per input with BPF_PROG_RUN.

Usage: progrun run <prog.bpf.c | prog.o> [options]
       progrun run --pinned PATH | --prog-id N [options]

A C source is compiled with clang first (cached by content under ~/.cache/progrun). Prints the return
value by name (XDP_TX, TC_ACT_SHOT, SK_PASS...), the kernel-measured duration, the output packet, its
field-by-field diff against the input, and the output context.

Options:
  --pinned PATH      run the program pinned at PATH on a bpf filesystem, loaded before (by
                     progrun run --pin, bpftool, a loader); its type comes from the kernel
  --prog-id N        run the loaded program with kernel id N (bpftool prog list shows them)
  --pin PATH         leave the program loaded from the file pinned at PATH, for --pinned
  --prog NAME        the program to run (its C function name), when the object holds several
  --type TYPE        program type, when the section name does not say it or to override it
                     (xdp, sched_cls or tc, socket_filter, flow_dissector, sk_lookup, raw_tp, syscall...)
  --packet SPEC      the input packet, as layers joined by '/':
                       'eth()/ipv4(dst=10.0.0.2,ttl=3)/udp(dport=53)/payload("hi")'
                       'eth(dst=ff:ff:ff:ff:ff:ff)/vlan(vid=100)/ipv6()/tcp(dport=443,flags=S)'
                     default for packet programs: ${defaultPacketSpec}
  --pcap FILE        run every packet of a pcap or pcapng file, streamed (any size, constant memory),
                     in batches spread over the CPUs; prints the verdicts with their shares and the
                     packets the program changed, with the field diff of the first ones
  --concurrency N    with --pcap: threads the batches are spread over (default: the CPUs available)
  --jsonl            with --pcap: one JSON line per packet, then the summary as a last line
  --data HEX         the input packet as raw bytes in hex
  --ctx JSON         the context, as JSON (or @file.json): fields of xdp_md, __sk_buff,
                     bpf_sk_lookup, flow dissector flags, raw tracepoint args ([0, 39]), or a SYSCALL
                     program's struct as {"field": "u32:8", ...} in declaration order
  --map NAME:KEY=VALUE
                     set a map entry before the run (repeatable); KEY and VALUE are integers written
                     little-endian in the map's key/value size (53, 0x110035) or hex:BYTES; the
                     entries are printed again after the run
  --repeat N         run N times in the kernel; the duration is then the mean per run
  --flags LIST       BPF_F_TEST_* flags: run-on-cpu, skb-checksum-complete, or a number (live frames
                     are \`progrun live\`)
  --cpu N            the CPU to run on (raw tracepoints; implies run-on-cpu)
  --out FILE         write the output packets to a pcap file (open it in Wireshark); with --pcap a
                     pcapng file, each packet with its verdict as a comment
  --maps             print every map of the object after the run (the first 64 entries of each)
  --cflag=FLAG       extra clang flag for C sources (repeatable), e.g. --cflag=-DDEBUG
  --full-log         on a verifier rejection, print the whole verifier log, not its tail
  --json             print one JSON document instead of text
  -h, --help         this help

Examples:
  progrun run examples/xdp-reflector/xdp-reflector.bpf.c
  progrun run examples/xdp-firewall/xdp-firewall.bpf.c --map blocked_ports:0x110035=0 --packet 'eth()/ipv4()/udp(dport=53)'
  progrun run examples/tc-classifier/tc-classifier.bpf.c --packet 'eth()/ipv6(trafficClass=184)/udp()' --ctx '{"priority": 3}'
  progrun run examples/flow-dissector/flow-dissector.bpf.c --pcap capture.pcap --json
  progrun run examples/xdp-firewall/xdp-firewall.bpf.c --pcap big.pcap --map blocked_ports:0x110035=0 --maps --out verdicts.pcapng
  progrun run examples/raw-tracepoint/raw-tracepoint.bpf.c --ctx '[0, 39]' --cpu 1
  progrun run examples/syscall-map-fill/syscall-map-fill.bpf.c --ctx '{"max_entries": "u32:4", "step": "u32:10", "map_fd": "s32", "err": "s32"}'
  progrun run examples/ifindex-stamp/ifindex-stamp.bpf.c --prog xdp_stamp --repeat 1000000
  progrun run examples/xdp-reflector/xdp-reflector.bpf.c --pin /sys/fs/bpf/xdp_reflect
  progrun run --pinned /sys/fs/bpf/xdp_reflect --packet 'eth()/ipv4()/udp(dport=53)'

${exitCodesHelp([0, 1, 2, 3, 4, 5, 6, 130], {
  1: 'the program loaded but its run failed (a bpf() error at run time)',
})}`;

async function execute({ values, positionals, out, signal }: CommandInput): Promise<number> {
  const repeat = integerOption(values, 'repeat', 'run', { min: 1, max: 0xffffffff });
  const cpu = integerOption(values, 'cpu', 'run', { min: 0, max: 0xffffffff });
  const flagsText = stringOption(values, 'flags');
  const flags = flagsText === undefined ? undefined : parseTestRunFlags(flagsText);
  const ctx = jsonOption(values, 'ctx', 'run');
  const outFile = stringOption(values, 'out');
  const fullLog = values['full-log'] === true;
  const mapAssignments = parseMapAssignments(stringsOption(values, 'map'), 'run');
  const pcap = stringOption(values, 'pcap');
  const jsonl = values.jsonl === true;
  const allMaps = values.maps === true;
  const concurrency = integerOption(values, 'concurrency', 'run', { min: 1, max: 1024 });
  const pin = stringOption(values, 'pin');
  for (const [given, name] of [
    [jsonl, '--jsonl'],
    [concurrency !== undefined, '--concurrency'],
  ] as const) {
    if (given && pcap === undefined) {
      throw usageError(
        name,
        'given with --pcap',
        `${name} applies to a capture's runs: give --pcap FILE`,
        'run',
      );
    }
  }
  // These load @progrun/syscall's native addon, so they come in here: `progrun run --help` works without it.
  const [{ explainError }, { openRunTarget, pinProgram }, { runOnceInterruptible }, { runCapture }] =
    await importNeedingAddon('run', () =>
      Promise.all([
        import('../cli/explain-error.js'),
        import('../program/run-target.js'),
        import('../program/run-once.js'),
        import('./run-capture.js'),
      ]),
    );

  try {
    const sources = {
      packet: stringOption(values, 'packet'),
      data: stringOption(values, 'data'),
      pcap,
    };
    checkOnePacketSource(sources, 'run');
    // A capture is streamed by runCapture, never read whole.
    const packets = pcap === undefined ? readInputPackets(sources, 'run') : [];
    using loaded = await openRunTarget(values, positionals);
    if (loaded.object) applyMapAssignments(loaded.object, mapAssignments, 'run');
    const typeName = loaded.typeName as BpfProgTypeName;
    const packetProgram = programTypeProfile(typeName)?.testRun?.data === 'required';
    let inputs: (InputPacket | undefined)[] = packets;
    if (packetProgram && packets.length === 0) {
      inputs = [
        { bytes: parsePacketSpec(defaultPacketSpec).build(), origin: `default packet ${defaultPacketSpec}` },
      ];
    } else if (!packetProgram) {
      if (packets.length > 0) {
        throw usageError(
          '--packet',
          'absent for programs that take no packet',
          `${loaded.typeName} programs take no packet in a test run; give their input with --ctx`,
          'run',
        );
      }
      inputs = [undefined];
    }
    if (outFile !== undefined && !packetProgram) {
      throw usageError(
        '--out',
        'absent for programs that return no packet',
        `--out writes output packets, and ${loaded.typeName} programs return none`,
        'run',
      );
    }
    const programInfo = { ...loaded.json, ...(pin === undefined ? {} : { pinnedAt: pin }) };
    const title = loaded.title(out.style);
    // A capture's run and --maps read the object file (instructions, every map): a program loaded
    // before has none here.
    if (!loaded.object && (pcap !== undefined || allMaps)) {
      throw usageError(
        pcap !== undefined ? '--pcap' : '--maps',
        'with a program loaded from its file',
        `${pcap !== undefined ? '--pcap' : '--maps'} needs the program's object file; with --pinned or --prog-id give --packet or --data`,
        'run',
      );
    }

    if (pcap !== undefined) {
      if (!packetProgram) {
        throw usageError(
          '--pcap',
          'absent for programs that take no packet',
          `${loaded.typeName} programs take no packet in a test run; give their input with --ctx`,
          'run',
        );
      }
      const object = loaded.object!;
      return await runCapture({
        out,
        signal,
        object,
        program: loaded.program,
        typeName,
        file: pcap,
        ctx,
        instructions: object.program(loaded.name).instructions,
        run: {
          ...(repeat === undefined ? {} : { repeat }),
          ...(flags === undefined ? {} : { flags }),
          ...(cpu === undefined ? {} : { cpu }),
        },
        concurrency,
        outFile,
        jsonl,
        maps: allMaps,
        mapEntries: () => readMapAssignments(object, mapAssignments, 'run'),
        programInfo,
        title,
      });
    }

    // Without --pcap there is one input: the packet given, the default packet, or none.
    const input = inputs[0];
    const run = await runOnceInterruptible(
      loaded.program,
      typeName,
      input?.bytes,
      ctx,
      {
        ...(repeat === undefined ? {} : { repeat }),
        ...(flags === undefined ? {} : { flags }),
        ...(cpu === undefined ? {} : { cpu }),
      },
      signal,
    );
    const records: RunRecord[] = [{ origin: input?.origin, typeName, repeat: repeat ?? 1, ...run }];

    const maps = loaded.object ? readMapAssignments(loaded.object, mapAssignments, 'run') : [];
    if (pin !== undefined) pinProgram(loaded.program, pin);
    if (outFile !== undefined) {
      writeFileSync(
        outFile,
        encodePcap(records.flatMap((record) => (record.outputs.packet ? [record.outputs.packet] : []))),
      );
    }
    const objectMaps = allMaps && loaded.object ? dumpMaps(loaded.object) : undefined;
    if (out.json) {
      out.writeJson({
        $schema: schemaUrl('run'),
        ok: true,
        program: programInfo,
        runs: records.map(runToJson),
        summary: summarize(records),
        ...(maps.length > 0 ? { maps } : {}),
        ...(objectMaps ? { objectMaps } : {}),
      });
      return ExitCode.Ok;
    }
    const style = out.style;
    out.line(title);
    out.line(renderRun(records[0]!, style));
    if (maps.length > 0) out.line(renderMaps(maps, style));
    if (objectMaps) out.line(renderMapDumps(objectMaps, style));
    if (outFile !== undefined) out.line(style.dim(`output packets written to ${outFile}`));
    if (pin !== undefined)
      out.line(style.dim(`pinned at ${pin}: run it again with progrun run --pinned ${pin}`));
    return ExitCode.Ok;
  } catch (error) {
    // SIGINT/SIGTERM: a long repeat stops within one chunk of the kernel's loop (a capture's runs report
    // their own progress).
    if (signal.aborted) throw interruptedError(signal, pcap === undefined ? '0 of 1 runs' : undefined, error);
    throw explainError(error, { fullLog });
  }
}

/** `progrun run`. */
export const runCommand: Command = {
  name: 'run',
  help,
  positionals: true,
  options: {
    prog: { type: 'string' },
    type: { type: 'string' },
    packet: { type: 'string' },
    pcap: { type: 'string' },
    data: { type: 'string' },
    ctx: { type: 'string' },
    repeat: { type: 'string' },
    flags: { type: 'string' },
    cpu: { type: 'string' },
    out: { type: 'string' },
    cflag: { type: 'string', multiple: true },
    map: { type: 'string', multiple: true },
    'full-log': { type: 'boolean' },
    jsonl: { type: 'boolean' },
    maps: { type: 'boolean' },
    concurrency: { type: 'string' },
    pinned: { type: 'string' },
    'prog-id': { type: 'string' },
    pin: { type: 'string' },
  },
  execute,
};
