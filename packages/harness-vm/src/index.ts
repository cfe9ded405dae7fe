export {
  type AcceleratorVerdict,
  type DetectAcceleratorOptions,
  detectAccelerator,
} from './accelerator/detect-accelerator.js';
export { type RunTimeouts, scaleTimeouts } from './accelerator/timeouts.js';
export { HarnessError, type HarnessErrorCode } from './errors.js';
export { defaultConcurrency } from './harness/concurrency.js';
export type {
  AcceleratorEvent,
  BootingEvent,
  HarnessEvent,
  ProvisioningEvent,
  ResultEvent,
  RunningEvent,
} from './harness/harness-events.js';
export type { KernelRunResult } from './harness/kernel-run-result.js';
export { type RunReport, runKernels } from './harness/run-kernels.js';
export type { RunKernelsOptions } from './harness/run-options.js';
export { parseShard, type Shard, selectShard } from './harness/shard.js';
export { cachePaths, defaultCacheDir } from './kernels/cache-layout.js';
export {
  type DebianKernelEntry,
  findKernel,
  type HostKernelEntry,
  type KernelEntry,
  kernelCatalogue,
  kernelOutsideCatalogue,
  searchedSuites,
} from './kernels/catalogue.js';
export {
  type InventoryKernel,
  type InventoryRelease,
  type KernelInventory,
  kernelInventory,
} from './kernels/kernel-inventory.js';
export {
  listCachedKernels,
  type ProvisioningStep,
  type ProvisionOptions,
  provisionKernel,
} from './kernels/provision-kernel.js';
export { resolveHostKernel } from './kernels/resolve-host-kernel.js';
export type { ProvisionedKernel, ResolvedKernel } from './kernels/resolved-kernel.js';
export { evaluateMatrix } from './matrix/evaluate-matrix.js';
export type {
  CellVerdict,
  KernelMatrix,
  MatrixCell,
  MatrixColumn,
  MatrixRow,
} from './matrix/kernel-matrix.js';
export { type MatrixRunResult, type RunMatrixOptions, runMatrix } from './matrix/run-matrix.js';
export { type ProbeDefinition, type ProbeGroup, probeDefinitions } from './probes/probe-definitions.js';
export type { Expectation, ExpectedResult } from './probes/probe-expectation.js';
export { formatObservation, type ProbeObservation, type ProbeReport } from './probes/probe-observation.js';
export { renderKernelMatrixDocument } from './report/kernel-matrix-document.js';
export { renderMatrixJunit } from './report/matrix-junit.js';
export { renderMatrixMarkdown } from './report/matrix-markdown.js';
export { renderRunJunit } from './report/run-junit.js';
export { type Classification, classifyRun, type RunObservation } from './vm/classify-run.js';
export { analyseConsole, type ConsoleAnalysis } from './vm/console-analysis.js';
export { runInVm, type VmRunOptions, type VmRunRecord } from './vm/run-in-vm.js';
export { type RunOutcome, runOutcomes } from './vm/run-outcome.js';
export type { Accelerator } from './vm/vng-arguments.js';
