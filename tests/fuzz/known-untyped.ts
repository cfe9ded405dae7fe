/**
 * The entry points that still throw untyped errors (a raw TypeError from V8 or Node.js) on some hostile
 * arguments, as `<module> <entry>`: counted and listed by the fuzz, but not a failure while they are
 * listed here. Any other entry point with an untyped error fails, and so does one listed here that the
 * fuzz (with its default seed and inputs) no longer finds one in: fixing an entry point removes its line.
 * Crashes and hangs are never excused.
 */
export const knownUntyped: ReadonlySet<string> = new Set([
  '@progrun/compile bpfCflags',
  '@progrun/compile compileBpfC',
  '@progrun/compile objectCacheDir',
  '@progrun/harness-vm analyseConsole',
  '@progrun/harness-vm cachePaths.aptState',
  '@progrun/harness-vm cachePaths.debs',
  '@progrun/harness-vm cachePaths.kernels',
  '@progrun/harness-vm cachePaths.kernel',
  '@progrun/harness-vm cachePaths.lock',
  '@progrun/harness-vm cachePaths.accelerator',
  '@progrun/harness-vm cachePaths.bootTimes',
  '@progrun/harness-vm cachePaths.runs',
  '@progrun/harness-vm classifyRun',
  '@progrun/harness-vm defaultConcurrency',
  '@progrun/harness-vm evaluateMatrix',
  '@progrun/harness-vm findKernel',
  '@progrun/harness-vm kernelInventory',
  '@progrun/harness-vm listCachedKernels',
  '@progrun/harness-vm renderKernelMatrixDocument',
  '@progrun/harness-vm renderMatrixJunit',
  '@progrun/harness-vm renderMatrixMarkdown',
  '@progrun/harness-vm renderRunJunit',
  '@progrun/harness-vm scaleTimeouts',
  '@progrun/harness-vm/vitest defineKernelProjects',
]);
