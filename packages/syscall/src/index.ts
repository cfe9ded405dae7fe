export { kernelOlderThan, ProgrunError, ProgrunErrorCode, ValidationError } from '@progrun/uapi';
export * as asm from './asm/index.js';
export { type BtfValue, BtfValueCodec } from './btf/btf-value-codec.js';
export { BtfHandle, type BtfInfo } from './btf-handle.js';
export { bpfEnableStats } from './commands/enable-stats.js';
export { bpfLinkCreate, type LinkCreateAttr } from './commands/link-create.js';
export {
  bpfMapDeleteBatch,
  bpfMapLookupAndDeleteBatch,
  bpfMapLookupBatch,
  bpfMapUpdateBatch,
  type MapBatchAttr,
  type MapBatchResult,
} from './commands/map-batch.js';
export { bpfMapCreate, type MapCreateAttr } from './commands/map-create.js';
export {
  bpfMapDeleteElem,
  bpfMapFreeze,
  bpfMapGetNextKey,
  bpfMapLookupAndDeleteElem,
  bpfMapLookupElem,
  bpfMapUpdateElem,
} from './commands/map-elem.js';
export { type BpfObjectKind, bpfGetFdById, bpfGetNextId } from './commands/obj-by-id.js';
export { bpfObjGetInfoByFd } from './commands/obj-get-info-by-fd.js';
export { bpfObjGet, bpfObjPin } from './commands/obj-pin.js';
export { bpfProgLoad, type ProgLoadAttr } from './commands/prog-load.js';
export {
  bpfProgTestRun,
  bpfProgTestRunAsync,
  type ProgTestRunAsyncAttr,
  type ProgTestRunAsyncOptions,
  type ProgTestRunAsyncOutput,
  type ProgTestRunAttr,
  type ProgTestRunOutput,
} from './commands/prog-test-run.js';
export { bpfRawTracepointOpen } from './commands/raw-tracepoint-open.js';
export type { AttachTypeInput } from './enum-value.js';
export { BpfError, type BpfErrorOptions } from './errors/bpf-error.js';
export { ENOTSUPP, errnoMessage, errnoName } from './errors/errno-names.js';
export { NotSupportedError } from './errors/not-supported-error.js';
export { FdOwner } from './fd.js';
export { BpfLink, type LinkCreateOptions } from './link.js';
export {
  BpfMap,
  type MapBatch,
  type MapCreateOptions,
  type MapTypeInput,
  type MapUpdateFlag,
} from './map.js';
export type { MapInfo } from './map-info.js';
export {
  type AttachTargetOptions,
  BpfObject,
  BpfObjectError,
  type BpfObjectLoadOptions,
  type BpfObjectOpenOptions,
  type BpfObjectOperation,
  GlobalVariable,
  ObjectMap,
  ObjectProgram,
  type SetTypeOptions,
} from './object/index.js';
export { possibleCpus } from './possible-cpus.js';
export {
  type Cancellable,
  Program,
  type ProgramFromFdOptions,
  type ProgramLoadOptions,
  type ProgTypeInput,
} from './program.js';
export type { ProgramInfo } from './program-info.js';
export type { RunEachAsyncOptions, RunEachInput, RunEachOptions } from './run-each.js';
export { type RunEachEntry, RunEachResult } from './run-each-result.js';
export type { BenchmarkResult, RunOptions, RunResult } from './run-options.js';
export type { RunStreamOptions, RunStreamSource } from './run-stream.js';
export { RunTimeStats } from './stats.js';
export type { TestRunInput, TypedRunOptions, TypedRunResult } from './test-run-input.js';
export { TEST_RUN_SINCE } from './test-run-support.js';
export { TypedMap } from './typed-map.js';
export { type UserPointer, withUserPointers } from './user-pointers.js';
export { type VmlinuxBtfType, vmlinuxBtfType } from './vmlinux-btf.js';
