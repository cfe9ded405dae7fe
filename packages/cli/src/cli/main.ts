import { parseArgs } from 'node:util';
import { demoCommand } from '../commands/demo.js';
import { liveCommand } from '../commands/live.js';
import { matrixCommand } from '../commands/matrix.js';
import { probeCommand } from '../commands/probe.js';
import { runCommand } from '../commands/run.js';
import { type CliError, usageError } from './cli-error.js';
import type { Command } from './command.js';
import { ExitCode, exitCodeHelp } from './exit-codes.js';
import { explainError } from './explain-error.js';
import { createOutput, type Output, type TextStream } from './output.js';
import { cliVersion } from './version.js';

/** Every subcommand, in the order `progrun --help` lists them. */
export const commands: readonly Command[] = [
  runCommand,
  probeCommand,
  demoCommand,
  liveCommand,
  matrixCommand,
];

const mainHelp = `progrun: run eBPF programs with BPF_PROG_RUN, from C source or an ELF object, on this kernel.

Usage: progrun <command> [options]

Commands:
${commands.map((command) => `  ${command.name.padEnd(8)}${command.summary}`).join('\n')}

Every command takes --help (usage and examples) and --json (one JSON document on stdout).

Examples:
  progrun demo                                  run the built-in examples and check their verdicts
  progrun run prog.bpf.c --packet 'eth()/ipv4()/udp(dport=53)'
  progrun probe --json

Environment:
  PROGRUN_CLANG    clang to compile BPF C with (default: clang, or clang-NN on PATH)
  PROGRUN_CACHE    compiled objects are cached in $PROGRUN_CACHE/objects
  XDG_CACHE_HOME   else in $XDG_CACHE_HOME/progrun/objects (default ~/.cache/progrun/objects); a cache
                   that cannot be written is still read, and new objects go to $TMPDIR/progrun-UID
  NO_COLOR         set to turn colours off (they are on only on a terminal anyway)

${exitCodeHelp}`;

/** Streams and environment for {@link runCli}; the process's own by default. */
export interface CliIo {
  stdout: TextStream;
  stderr: TextStream;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/**
 * Runs `progrun` with the given arguments (without `node` and the script) and resolves to the exit
 * code. Never throws: every failure becomes a one-paragraph message and an exit code from
 * {@link ExitCode}.
 */
export async function runCli(argv: readonly string[], io?: CliIo): Promise<number> {
  const streams = io ?? { stdout: process.stdout, stderr: process.stderr };
  const json = argv.includes('--json');
  const out = createOutput(json, streams, io?.env);
  const [name, ...rest] = argv;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      const topic = name === 'help' ? rest[0] : undefined;
      const command = topic ? findCommand(topic) : undefined;
      out.line(command ? command.help : mainHelp);
      return name === undefined ? ExitCode.Usage : ExitCode.Ok;
    }
    if (name === '--version' || name === '-v') {
      out.line(json ? JSON.stringify({ version: cliVersion }) : `progrun ${cliVersion}`);
      return ExitCode.Ok;
    }
    const command = findCommand(name);
    return await execute(command, rest, out, io?.signal ?? new AbortController().signal);
  } catch (error) {
    return report(explainError(error), out);
  }
}

function findCommand(name: string): Command {
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    throw usageError(`unknown command "${name}"; the commands are ${commands.map((c) => c.name).join(', ')}`);
  }
  return command;
}

async function execute(command: Command, args: string[], out: Output, signal: AbortSignal): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      options: {
        ...command.options,
        help: { type: 'boolean', short: 'h' },
        json: { type: 'boolean' },
      },
      allowPositionals: command.positionals,
      strict: true,
    });
  } catch (error) {
    throw usageError(`${(error as Error).message.replace(/\.$/, '')}`, command.name);
  }
  if (parsed.values.help) {
    out.line(command.help);
    return ExitCode.Ok;
  }
  return command.execute({ values: parsed.values, positionals: parsed.positionals, out, signal });
}

/** Prints an error as one paragraph (plus details such as a verifier log) and returns its exit code. */
function report(error: CliError, out: Output): number {
  if (out.json) {
    out.writeJson({
      ok: false,
      error: {
        kind: error.kind,
        exitCode: error.exitCode,
        message: error.message,
        hint: error.hint,
        details: error.details,
      },
    });
    return error.exitCode;
  }
  const style = out.errStyle;
  if (error.details) out.errorLine(error.details);
  const paragraph = [`${style.bold(style.red('progrun:'))} ${error.message}.`, error.hint].filter(Boolean);
  out.errorLine(paragraph.join(' '));
  return error.exitCode;
}
