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
  /** More host directories shared read-write at the same paths. */
  readonly writableDirs?: readonly string[];
  /**
   * Directories the guest may write although the host's root is read-only: the guest's writes land
   * in a tmpfs over the host's tree (an overlay) and vanish with the guest; the host sees none.
   */
  readonly overlayDirs?: readonly string[];
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
    // guest=host form: vng resolves a bare path relative to its cwd when checking it.
    `--rwdir=${options.sharedDir}=${options.sharedDir}`,
    ...(options.writableDirs ?? []).map((dir) => `--rwdir=${dir}=${dir}`),
    ...(options.overlayDirs ?? []).map((dir) => `--overlay-rwdir=${dir}`),
    '--cwd',
    options.cwd,
  ];
  if (options.accelerator === 'tcg') args.push('--disable-kvm');
  for (const arg of options.kernelArgs ?? []) args.push('--append', arg);
  if (options.qemuArgs?.length) args.push(`--qemu-opts=${options.qemuArgs.join(' ')}`);
  args.push('--exec', options.exec);
  return args;
}
