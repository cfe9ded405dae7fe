export { describeValue } from './arguments/describe-value.js';
export type { ByteSource } from './byte-view.js';
export { decode } from './decode.js';
export { encode, encodeInto } from './encode.js';
export {
  describeEnumValue,
  enumCNameOf,
  enumFirstHeaderSetOf,
  enumKeyOf,
  uapiEnums,
} from './enum-lookup.js';
export type { ErrnoInfo } from './errno-info.js';
export { describeErrno, errnoMessage, errnoName } from './errno-lookup.js';
export { ProgrunError, type ProgrunErrorOptions } from './errors/progrun-error.js';
export { ProgrunErrorCode } from './errors/progrun-error-code.js';
export { UapiLookupError } from './errors/uapi-lookup-error.js';
export { type ValidationDetails, ValidationError } from './errors/validation-error.js';
export { firstHeaderSetOf, isKnownIn } from './first-header-set-lookup.js';
export * from './generated/constants.js';
export * from './generated/enums.js';
export { Errno, type ErrnoName, errnoInfo } from './generated/errno.js';
export { headerSets } from './generated/header-sets.js';
export * from './generated/helper-ids.js';
export {
  type HeaderVersion,
  headerVersions,
  isHeaderVersion,
  latestHeaderVersion,
} from './header-version.js';
export {
  type BtfDatasec,
  type BtfTypeInfo,
  type BtfVariable,
  KernelBtf,
  type KernelField,
} from './kernel-btf.js';
export { kernelInternalLayouts, kernelInternalLayoutsByVersion } from './kernel-internal-layout-lookup.js';
export {
  compareKernelVersions,
  formatKernelVersion,
  type KernelVersion,
  kernelAtLeast,
  kernelOlderThan,
  parseKernelVersion,
  runningKernel,
  tryParseKernelVersion,
} from './kernel-version.js';
export {
  fieldMap,
  fieldOf,
  type LayoutName,
  layoutFor,
  layouts,
  layoutsByVersion,
  offsetOfEnd,
  sizeOf,
} from './layout-lookup.js';
export type {
  ArrayType,
  CharsType,
  FieldLayout,
  FieldType,
  IntType,
  PointerType,
  RecordType,
  StructLayout,
} from './layout-types.js';
export type { LayoutInput, LayoutValue, TypeInput, TypeValue } from './layout-value-types.js';
export {
  kernelLimitFor,
  type NamedProgramTypeProfile,
  NOT_BPF_OK,
  programTypeFromName,
  programTypeProfile,
  programTypeProfiles,
  retvalConventionFor,
  verdictName,
} from './program-types/program-type-lookup.js';
export type {
  ContextLayout,
  KernelChange,
  KernelLimit,
  ProbeRecipe,
  ProgramTypeProfile,
  RetvalConvention,
  TestRunContext,
  TestRunProfile,
  VerdictEnumName,
} from './program-types/program-type-profile.js';
export { programTypes } from './program-types/program-type-table.js';
export { CgroupSkbVerdict, type VerdictEnum, verdictEnums } from './program-types/verdict-enums.js';
export type { UapiConstant } from './uapi-constant.js';
export type { UapiEnum } from './uapi-enum.js';
