import type { Command } from './command.js';

/**
 * A `progrun` command as `progrun --help` lists it. Its module is imported only when the command runs
 * (or prints its own help), so `progrun --version` and `progrun --help` load none of the libraries.
 */
export interface CommandEntry {
  /** The words after `progrun`, e.g. `run` or `vm matrix`. */
  readonly name: string;
  /** One line for the help that lists it. */
  readonly summary: string;
  /** Imports the command's module. */
  readonly load: () => Promise<Command>;
}

/** A word that groups commands: `progrun vm run`, `progrun vm matrix`. */
export interface CommandGroup {
  readonly name: string;
  readonly summary: string;
  /** The group's help text above its command list. */
  readonly description: string;
  /** The group's help text below its command list. */
  readonly examples: string;
  readonly commands: readonly CommandEntry[];
}

const vmRun: CommandEntry = {
  name: 'vm run',
  summary: 'run a command on each kernel (a test suite, a script) and classify each run',
  load: async () => (await import('../commands/vm/vm-run.js')).vmRunCommand,
};
const vmMatrix: CommandEntry = {
  name: 'vm matrix',
  summary: 'the BPF_PROG_RUN probe suite on each kernel: the kernel x behaviour matrix',
  load: async () => (await import('../commands/vm/vm-matrix.js')).vmMatrixCommand,
};
const vmKernels: CommandEntry = {
  name: 'vm kernels',
  summary: 'the kernel catalogue, what the cache holds, and the accelerator guests use',
  load: async () => (await import('../commands/vm/vm-kernels.js')).vmKernelsCommand,
};

/** `progrun vm`: @progrun/harness-vm's kernels, booted in QEMU. */
export const vmGroup: CommandGroup = {
  name: 'vm',
  summary: 'other kernels, booted in QEMU: run a command on each, or the probe matrix',
  description: `progrun vm: boot other kernels in QEMU (virtme-ng) and run a command or the BPF_PROG_RUN probe suite in each.

Kernels come from @progrun/harness-vm's catalogue (\`progrun vm kernels\` lists it), are downloaded once
into a cache, and boot under KVM when it works and TCG otherwise; \`host\` is the running kernel, no VM.`,
  examples: `Examples:
  progrun vm kernels
  progrun vm run --kernels 5.10,6.1 -- uname -r
  progrun vm matrix --kernels host,5.10,6.1 --report junit.xml`,
  commands: [vmRun, vmMatrix, vmKernels],
};

/** Every top-level word, in the order `progrun --help` lists them. */
export const commandTable: readonly (CommandEntry | CommandGroup)[] = [
  {
    name: 'run',
    summary: 'compile, load and run a BPF program on a packet, a capture or a context',
    load: async () => (await import('../commands/run.js')).runCommand,
  },
  {
    name: 'probe',
    summary: "this kernel's BPF_PROG_RUN capabilities, per program type and option",
    load: async () => (await import('../commands/probe.js')).probeCommand,
  },
  {
    name: 'demo',
    summary: 'run the built-in examples end to end on this kernel and check their results',
    load: async () => (await import('../commands/demo.js')).demoCommand,
  },
  {
    name: 'live',
    summary: 'inject frames with XDP live-frame mode: progress, rate, statistics',
    load: async () => (await import('../commands/live.js')).liveCommand,
  },
  vmGroup,
  // The name the kernel matrix had before the vm group; the same command.
  { name: 'matrix', summary: 'same as `progrun vm matrix`', load: vmMatrix.load },
];

/** Whether a table row is a group of commands. */
export function isGroup(entry: CommandEntry | CommandGroup): entry is CommandGroup {
  return 'commands' in entry;
}
