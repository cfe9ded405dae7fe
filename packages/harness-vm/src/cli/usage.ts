/** The CLI's help text. */
export const usage = `harness-vm: run commands and BPF_PROG_RUN probes on several kernels in QEMU (virtme-ng)

Usage:
  harness-vm run --kernel 5.10 --kernel 6.1 [options] -- <command> [args...]
  harness-vm matrix [--kernels host,5.10,6.1,6.12] [options] [--markdown FILE] [--docs FILE]
  harness-vm kernels [--json]

Kernels: host (the running kernel, no VM), 5.10 (bullseye), 6.1 (bookworm), 6.12 (trixie).

Options of run and matrix:
  -k, --kernel NAME       a kernel (repeatable); --kernels a,b,c for a list
  -o, --out DIR           keep logs and reports here (default: a new directory in the cache)
      --shard i/n         run only every n-th kernel starting at the i-th (CI job matrices)
      --accelerator A     auto (default: probe KVM briefly, fall back to TCG), kvm or tcg
  -j, --concurrency N     guests at once (default: from cores and free memory)
      --cpus N            vCPUs per guest (default 1 under TCG, 2 under KVM)
      --memory MIB        guest RAM (default 1024)
      --timeout S         command deadline in seconds (default: scaled to the boot time)
      --boot-timeout S    boot deadline in seconds (default: 4x the slowest recent boot)
      --append ARG        extra kernel command-line argument (repeatable)
      --cache-dir DIR     cache (default: $PROGRUN_CACHE/harness-vm or ~/.cache/progrun/harness-vm)
      --json FILE         write the JSON report here too
      --junit FILE        write a JUnit XML report

Options of matrix:
      --markdown FILE     write the kernel x probe table as Markdown
      --docs FILE         write the full kernel-matrix document (as in docs/kernel-matrix.md)

Exit status: 0 all passed (matrix: no contradiction), 1 otherwise, 2 bad usage, 130 interrupted.
`;
