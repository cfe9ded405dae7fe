/** How QEMU executes guest code: hardware virtualisation or the TCG emulator. */
export type Accelerator = 'kvm' | 'tcg';

/** Inputs of {@link vngArguments}. */
export interface VngArgumentsOptions {
  /** Kernel image; its modules are found next to it (`<dir>/boot/vmlinuz-V`, `<dir>/lib/modules/V`). */
  readonly image: string;
  readonly accelerator: Accelerator;
  readonly cpus: number;
  readonly memoryMiB: number;
  /** Host directory shared read-write at the same path in the guest. */
  readonly sharedDir: string;
  /** Guest working directory. */
  readonly cwd: string;
  /** The shell command vng runs in the guest. */
  readonly exec: string;
  readonly kernelArgs?: readonly string[];
  readonly qemuArgs?: readonly string[];
}

/**
 * The vng command line for one run. The host's root is shared read-only (vng's default), the run
 * directory read-write; `--verbose` routes the kernel console to vng's stderr, which the harness
 * keeps as the run's console log. `--disable-kvm` selects TCG.
 */
export function vngArguments(options: VngArgumentsOptions): string[] {
  const args = [
    '--run',
    options.image,
    '--verbose',
    '--cpus',
    String(options.cpus),
    '--memory',
    `${options.memoryMiB}M`,
    `--rwdir=${options.sharedDir}`,
    '--cwd',
    options.cwd,
  ];
  if (options.accelerator === 'tcg') args.push('--disable-kvm');
  for (const arg of options.kernelArgs ?? []) args.push('--append', arg);
  if (options.qemuArgs?.length) args.push(`--qemu-opts=${options.qemuArgs.join(' ')}`);
  args.push('--exec', options.exec);
  return args;
}

/**
 * A tiny sh supervisor that leads the run's process group. It starts vng with stdin from
 * /dev/null and watches its own stdin, a pipe from the harness: if the harness dies without
 * cleaning up (even SIGKILL), the pipe closes and the supervisor kills the whole group, qemu
 * included. It exits with vng's exit code.
 */
export const supervisorScript = [
  'exec 3<&0',
  '"$@" </dev/null 3<&- &',
  'child=$!',
  '{ read -r _ <&3; kill -KILL 0; } &',
  'watchdog=$!',
  'exec 3<&-',
  'wait "$child"',
  'code=$?',
  'kill "$watchdog" 2>/dev/null',
  'exit "$code"',
].join('\n');
