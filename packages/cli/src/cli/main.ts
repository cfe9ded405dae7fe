import type { CliError } from './cli-error.js';
import type { Command } from './command.js';
import { type CommandEntry, type CommandGroup, commandTable, isGroup } from './command-table.js';
import { ExitCode, exitCodeHelp, exitCodesHelp } from './exit-codes.js';
import { schemaUrl } from './json-schema.js';
import { createOutput, type Output, type TextStream } from './output.js';
import { cliVersion } from './version.js';

function listing(entries: readonly (CommandEntry | CommandGroup)[], prefix = ''): string {
  const names = entries.map((entry) => entry.name.slice(prefix.length));
  const width = Math.max(...names.map((name) => name.length)) + 2;
  return entries.map((entry, i) => `  ${names[i]!.padEnd(width)}${entry.summary}`).join('\n');
}

const mainHelp = `progrun: run eBPF programs with BPF_PROG_RUN, from C source or an ELF object, on this kernel.

Usage: progrun <command> [options]

Commands:
${listing(commandTable)}

Every command takes --help (usage and examples) and --json (one JSON document on stdout).

Examples:
  progrun demo                                  run the built-in examples and check their verdicts
  progrun run examples/xdp-firewall/xdp-firewall.bpf.c --packet 'eth()/ipv4()/udp(dport=53)'
  progrun probe --json
  progrun vm matrix --kernels host,5.10,6.1     the probe suite on other kernels, in QEMU

Environment:
  PROGRUN_CLANG    clang to compile BPF C with (default: clang, or clang-NN on PATH)
  PROGRUN_CACHE    compiled objects are cached in $PROGRUN_CACHE/objects, the kernels of progrun vm in
                   $PROGRUN_CACHE/harness-vm
  XDG_CACHE_HOME   else in $XDG_CACHE_HOME/progrun/objects and .../harness-vm (default ~/.cache/progrun);
                   an object cache that cannot be written is still read, and new objects go to
                   $TMPDIR/progrun-UID
  CI               if set, progrun vm prints progress as plain lines, also on a terminal
  NO_COLOR         set to turn colours off (they are on only on a terminal anyway)

${exitCodeHelp}`;

function groupHelp(group: CommandGroup): string {
  return `${group.description}

Usage: progrun ${group.name} <command> [options]

Commands:
${listing(group.commands, `${group.name} `)}

Each takes --help (usage and examples) and --json (one JSON document on stdout).

${group.examples}

${exitCodesHelp([0, 1, 2, 130], {
  1: 'a kernel of vm run or vm matrix did not pass',
  2: 'usage error: unknown option, a bad value, an unknown kernel',
})}`;
}

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
  // Words after `--` belong to the command a command runs (`progrun vm run -- tool --json`).
  const end = argv.indexOf('--');
  const json = (end < 0 ? argv : argv.slice(0, end)).includes('--json');
  const out = createOutput(json, streams, io?.env);
  const signal = io?.signal ?? new AbortController().signal;
  const [name, ...rest] = argv;
  // The command's words once known, for errors that name it.
  let words: string | undefined;
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      const topic = name === 'help' ? rest : [];
      out.line(topic.length > 0 ? await helpOf(topic) : mainHelp);
      return name === undefined ? ExitCode.Usage : ExitCode.Ok;
    }
    if (name === '--version' || name === '-v') {
      out.line(
        json
          ? JSON.stringify({ $schema: schemaUrl('version'), version: cliVersion })
          : `progrun ${cliVersion}`,
      );
      return ExitCode.Ok;
    }
    const found = await findCommand(name, commandTable, 'the commands are');
    words = found.name;
    if (!isGroup(found)) return await execute(found, await found.load(), rest, out, signal);
    const [word, ...args] = rest;
    if (word === undefined || word === '--help' || word === '-h' || word === 'help') {
      out.line(groupHelp(found));
      return word === undefined ? ExitCode.Usage : ExitCode.Ok;
    }
    const entry = await findCommand(`${name} ${word}`, found.commands, `the ${name} commands are`);
    words = entry.name;
    return await execute(entry, await entry.load(), args, out, signal);
  } catch (error) {
    const { errorJson } = await import('./cli-error.js');
    return report(await explain(error, words, signal), out, errorJson);
  }
}

/**
 * The CliError for what a command threw. Usage errors of the dispatcher itself are reported without
 * loading the explanations of every library's errors, which import those libraries (and so the native
 * addon: where it cannot be loaded, that is the explanation); `--version` and `--help` load neither.
 * Whatever a command throws once SIGINT/SIGTERM stopped it (the signal's reason, an aborted child
 * process) is the interrupt, never a bug.
 */
async function explain(error: unknown, command: string | undefined, signal: AbortSignal): Promise<CliError> {
  const { CliError } = await import('./cli-error.js');
  if (CliError.isInstance(error)) return error;
  if (signal.aborted) return (await import('./interrupted.js')).interruptedError(signal, undefined, error);
  const { importNeedingAddon } = await import('./addon-unavailable.js');
  try {
    return (await importNeedingAddon(command, () => import('./explain-error.js'))).explainError(error);
  } catch (unexplained) {
    if (CliError.isInstance(unexplained)) return unexplained;
    throw unexplained;
  }
}

/** The help text of `progrun help <words...>`: a group's or a command's. */
async function helpOf(words: readonly string[]): Promise<string> {
  const found = await findCommand(words[0]!, commandTable, 'the commands are');
  if (!isGroup(found)) return (await found.load()).help;
  if (words[1] === undefined) return groupHelp(found);
  const entry = await findCommand(
    `${found.name} ${words[1]}`,
    found.commands,
    `the ${found.name} commands are`,
  );
  return (await entry.load()).help;
}

async function findCommand<T extends CommandEntry | CommandGroup>(
  name: string,
  entries: readonly T[],
  listed: string,
): Promise<T> {
  const found = entries.find((entry) => entry.name === name);
  if (!found) {
    const names = entries.map((entry) => entry.name.split(' ').at(-1)).join(', ');
    const { usageError } = await import('./cli-error.js');
    throw usageError('command', 'one of the commands', `unknown command "${name}"; ${listed} ${names}`);
  }
  return found;
}

async function execute(
  entry: CommandEntry,
  command: Command,
  args: string[],
  out: Output,
  signal: AbortSignal,
): Promise<number> {
  const { parseCommandLine } = await import('./parse-command-line.js');
  const parsed = parseCommandLine(entry.name, args, {
    options: { ...command.options, help: { type: 'boolean', short: 'h' }, json: { type: 'boolean' } },
    positionals: command.positionals,
  });
  if (parsed.values.help) {
    out.line(command.help);
    return ExitCode.Ok;
  }
  return command.execute({ values: parsed.values, positionals: parsed.positionals, out, signal });
}

/** Prints an error as one paragraph (plus details such as a verifier log) and returns its exit code. */
function report(error: CliError, out: Output, errorJsonOf: (error: CliError) => unknown): number {
  if (out.json) {
    out.writeJson({ $schema: schemaUrl('error'), ok: false, error: errorJsonOf(error) });
    return error.exitCode;
  }
  const style = out.errStyle;
  if (error.details) out.errorLine(error.details);
  const paragraph = [`${style.bold(style.red('progrun:'))} ${error.message}.`, error.hint].filter(Boolean);
  out.errorLine(paragraph.join(' '));
  return error.exitCode;
}
