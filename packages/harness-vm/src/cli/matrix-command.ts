/** `harness-vm matrix`: the probe suite on each kernel (filled in with the probe suite). */
export async function matrixCommand(_args: string[], _signal: AbortSignal): Promise<number> {
  process.stderr.write('harness-vm matrix: not available yet\n');
  return 1;
}
