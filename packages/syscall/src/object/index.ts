export { BpfObject, type BpfObjectLoadOptions, type BpfObjectOpenOptions } from './bpf-object.js';
export { BpfObjectError, type BpfObjectOperation } from './bpf-object-error.js';
export { GlobalVariable } from './global-variable.js';
export { ObjectMap } from './object-map.js';
export {
  type AttachTargetOptions,
  ObjectProgram,
  type SetTypeOptions,
} from './object-program.js';
