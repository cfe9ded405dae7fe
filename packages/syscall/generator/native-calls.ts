/**
 * The addon's calling conventions, one row per native function: the order of its positional arguments,
 * how the addon reads each, and the slots of the synchronous test run. `npm run generate` (in this
 * package) turns this table into the C++ header the addon reads its arguments with
 * (native/src/generated/native-calls.h) and the TypeScript types and callers the package calls it through
 * (src/generated/native-calls.ts), so an order is written once and a swap cannot compile on one side
 * only. What the addon then puts into `union bpf_attr` is checked against uapi's compiler-derived layouts
 * by test/native-boundary.test.ts.
 */

/** How the addon reads one argument; its C++ and TypeScript types follow from the kind. */
export type ArgKind =
  /** An integer Number in [0, 2^32). */
  | { readonly kind: 'u32' }
  /** A BigInt in [0, 2^64) or a safe-integer Number >= 0. */
  | { readonly kind: 'u64' }
  /** An integer Number in [-2^31, 2^31). */
  | { readonly kind: 'i32' }
  /** A file descriptor: an integer Number in [0, 2^31). */
  | { readonly kind: 'fd' }
  /** A Buffer, TypedArray, DataView or ArrayBuffer; null/undefined too when nullable. */
  | { readonly kind: 'bytes'; readonly nullable: boolean }
  /** A string without NUL of at most maxBytes UTF-8 bytes (a C++ expression); null too when nullable. */
  | { readonly kind: 'string'; readonly maxBytes: string; readonly nullable: boolean }
  /** A boolean. */
  | { readonly kind: 'bool' }
  /** A Uint32Array of at least minLength elements, for results written back. */
  | { readonly kind: 'u32array'; readonly minLength: number }
  /** A Uint32Array of any length: its elements and their count (tables of rows). */
  | { readonly kind: 'u32table' }
  /** An Array of ArrayBuffers, resolved by the addon element by element as rows name them. */
  | { readonly kind: 'arraybuffers' };

/** One positional argument. */
export interface NativeArg {
  /** Its name in JavaScript (camelCase); the C++ member is the snake_case of it. */
  readonly name: string;
  readonly type: ArgKind;
  /** What it holds, for the generated TSDoc. */
  readonly doc: string;
}

/** One native function, or several sharing one signature. */
export interface NativeCall {
  /** Name of the generated argument struct / interface, e.g. `ProgLoad` (`ProgLoadArgs`). */
  readonly name: string;
  /** The addon exports with this signature. */
  readonly exports: readonly string[];
  /** The bpf commands they issue. */
  readonly commands: readonly string[];
  /** TypeScript type of the result. */
  readonly returns: string;
  readonly doc: string;
  readonly args: readonly NativeArg[];
}

const u32 = { kind: 'u32' } as const;
const u64 = { kind: 'u64' } as const;
const fd = { kind: 'fd' } as const;
const bytes = { kind: 'bytes', nullable: false } as const;
const nullableBytes = { kind: 'bytes', nullable: true } as const;
const u32table = { kind: 'u32table' } as const;
const arraybuffers = { kind: 'arraybuffers' } as const;

export const nativeCalls: readonly NativeCall[] = [
  {
    name: 'ProgLoad',
    exports: ['progLoad'],
    commands: ['BPF_PROG_LOAD'],
    returns: 'number',
    doc: 'BPF_PROG_LOAD: the new fd, or -errno.',
    args: [
      { name: 'progType', type: u32, doc: 'prog_type: `enum bpf_prog_type`.' },
      {
        name: 'insns',
        type: bytes,
        doc: 'insns / insn_cnt: raw `struct bpf_insn` bytes, a non-zero multiple of 8.',
      },
      {
        name: 'license',
        type: { kind: 'string', maxBytes: '127', nullable: false },
        doc: 'license, copied and NUL-terminated.',
      },
      {
        name: 'name',
        type: { kind: 'string', maxBytes: 'BPF_OBJ_NAME_LEN - 1', nullable: true },
        doc: 'prog_name, at most 15 bytes; null for none.',
      },
      { name: 'expectedAttachType', type: u32, doc: 'expected_attach_type: `enum bpf_attach_type`.' },
      { name: 'progFlags', type: u32, doc: 'prog_flags: BPF_F_* load flags.' },
      { name: 'attachBtfId', type: u32, doc: 'attach_btf_id.' },
      { name: 'attachFd', type: fd, doc: 'attach_prog_fd / attach_btf_obj_fd (one union); 0 for none.' },
      { name: 'kernVersion', type: u32, doc: 'kern_version.' },
      { name: 'progIfindex', type: u32, doc: 'prog_ifindex.' },
      { name: 'logLevel', type: u32, doc: 'log_level.' },
      {
        name: 'logBuf',
        type: nullableBytes,
        doc: 'log_buf / log_size: receives the verifier log, NUL-terminated; null for none.',
      },
    ],
  },
  {
    name: 'MapCreate',
    exports: ['mapCreate'],
    commands: ['BPF_MAP_CREATE'],
    returns: 'number',
    doc: 'BPF_MAP_CREATE: the new fd, or -errno.',
    args: [
      { name: 'mapType', type: u32, doc: 'map_type: `enum bpf_map_type`.' },
      { name: 'keySize', type: u32, doc: 'key_size.' },
      { name: 'valueSize', type: u32, doc: 'value_size.' },
      { name: 'maxEntries', type: u32, doc: 'max_entries.' },
      { name: 'mapFlags', type: u32, doc: 'map_flags.' },
      {
        name: 'name',
        type: { kind: 'string', maxBytes: 'BPF_OBJ_NAME_LEN - 1', nullable: true },
        doc: 'map_name, at most 15 bytes; null for none.',
      },
      { name: 'innerMapFd', type: fd, doc: 'inner_map_fd; 0 for none.' },
      { name: 'numaNode', type: u32, doc: 'numa_node.' },
      { name: 'mapIfindex', type: u32, doc: 'map_ifindex.' },
      { name: 'btfFd', type: fd, doc: 'btf_fd; 0 for none.' },
      { name: 'btfKeyTypeId', type: u32, doc: 'btf_key_type_id.' },
      { name: 'btfValueTypeId', type: u32, doc: 'btf_value_type_id.' },
      { name: 'btfVmlinuxValueTypeId', type: u32, doc: 'btf_vmlinux_value_type_id.' },
      { name: 'mapExtra', type: u64, doc: 'map_extra.' },
    ],
  },
  {
    name: 'ProgTestRunAsync',
    exports: ['progTestRunAsync'],
    commands: ['BPF_PROG_TEST_RUN'],
    returns: 'Promise<NativeTestRunResult>',
    doc:
      'BPF_PROG_TEST_RUN on the libuv pool. Inputs are copied and outputs are fresh Buffers; the program ' +
      'fd is duplicated for the call.',
    args: [
      { name: 'progFd', type: fd, doc: 'prog_fd.' },
      {
        name: 'dataIn',
        type: nullableBytes,
        doc: 'data_in / data_size_in; null passes no data_in, an empty buffer a non-NULL one of size 0.',
      },
      {
        name: 'dataOutSize',
        type: u32,
        // A non-NULL data_out with data_size_out 0 is not refused: the kernel copies the whole packet into it.
        doc: 'data_size_out: bytes to allocate for data_out; 0 passes none.',
      },
      {
        name: 'ctxIn',
        type: nullableBytes,
        doc: 'ctx_in / ctx_size_in; null passes no ctx_in, an empty buffer a non-NULL one of size 0.',
      },
      {
        name: 'ctxOutSize',
        type: { kind: 'i32' },
        doc: 'ctx_size_out: bytes to allocate for ctx_out; -1 passes none, 0 a non-NULL ctx_out of size 0.',
      },
      { name: 'repeat', type: u32, doc: 'repeat.' },
      { name: 'flags', type: u32, doc: 'flags.' },
      { name: 'cpu', type: u32, doc: 'cpu.' },
      { name: 'batchSize', type: u32, doc: 'batch_size.' },
      {
        name: 'returnCtxIn',
        type: { kind: 'bool' },
        doc: 'Also return the copy of ctxIn after the run (SYSCALL programs write their context back there).',
      },
      {
        name: 'cancelId',
        type: u32,
        doc: 'Id testRunCancel(id) stops the run with (between chunks of a long repeat); 0 for none.',
      },
    ],
  },
  {
    name: 'ProgTestRunEach',
    exports: ['progTestRunEach'],
    commands: ['BPF_PROG_TEST_RUN'],
    returns: 'number',
    doc:
      'One BPF_PROG_TEST_RUN per input row, synchronously, outputs packed into `out`: the number of ' +
      "inputs run (fewer than `count` when `out` has no room for the next one's outputs).",
    args: [
      { name: 'progFd', type: fd, doc: 'prog_fd of every run.' },
      { name: 'count', type: u32, doc: 'Inputs to run: rows of `inputs` and of `results`.' },
      { name: 'inputs', type: u32table, doc: 'count rows of TestRunEachInput fields.' },
      { name: 'buffers', type: arraybuffers, doc: 'The ArrayBuffers the input rows name by index.' },
      {
        name: 'results',
        type: u32table,
        doc: 'Receives the TestRunEachHeader fields, then count rows of TestRunEachResult fields.',
      },
      { name: 'out', type: nullableBytes, doc: 'The ArrayBuffer the outputs are written into.' },
      { name: 'outOffset', type: u32, doc: 'Where in `out` the first output goes (a multiple of 8).' },
    ],
  },
  {
    name: 'ProgTestRunEachAsync',
    exports: ['progTestRunEachAsync'],
    commands: ['BPF_PROG_TEST_RUN'],
    returns: 'Promise<ArrayBuffer>',
    doc:
      'progTestRunEach on the libuv pool, long repeats in chunks. Input bytes are copied and the program ' +
      'fd is duplicated for the call; resolves with one ArrayBuffer holding the TestRunEachHeader fields, ' +
      'count rows of TestRunEachResult fields and the outputs they point at.',
    args: [
      { name: 'progFd', type: fd, doc: 'prog_fd of every run.' },
      { name: 'count', type: u32, doc: 'Inputs to run: rows of `inputs`.' },
      { name: 'inputs', type: u32table, doc: 'count rows of TestRunEachInput fields.' },
      { name: 'buffers', type: arraybuffers, doc: 'The ArrayBuffers the input rows name by index.' },
      {
        name: 'cancelId',
        type: u32,
        doc: 'Id testRunCancel(id) stops the call with (between inputs and chunks); 0 for none.',
      },
    ],
  },
  {
    name: 'MapBatch',
    exports: ['mapLookupBatch', 'mapLookupAndDeleteBatch', 'mapUpdateBatch', 'mapDeleteBatch'],
    commands: [
      'BPF_MAP_LOOKUP_BATCH',
      'BPF_MAP_LOOKUP_AND_DELETE_BATCH',
      'BPF_MAP_UPDATE_BATCH',
      'BPF_MAP_DELETE_BATCH',
    ],
    returns: 'number',
    doc: 'The batch map commands: 0 or -errno; results[0] receives the count the kernel processed.',
    args: [
      { name: 'mapFd', type: fd, doc: 'batch.map_fd.' },
      {
        name: 'inBatch',
        type: nullableBytes,
        doc: 'batch.in_batch (lookups); null to start at the first key.',
      },
      { name: 'outBatch', type: nullableBytes, doc: 'batch.out_batch (lookups): receives the resume token.' },
      { name: 'keys', type: bytes, doc: 'batch.keys: count keys.' },
      { name: 'values', type: nullableBytes, doc: 'batch.values: count values; null for delete.' },
      { name: 'count', type: u32, doc: 'batch.count: elements the buffers hold.' },
      { name: 'elemFlags', type: u64, doc: 'batch.elem_flags.' },
      { name: 'flags', type: u64, doc: 'batch.flags.' },
      {
        name: 'results',
        type: { kind: 'u32array', minLength: 1 },
        doc: 'Receives the count the kernel processed.',
      },
    ],
  },
  {
    name: 'LinkCreate',
    exports: ['linkCreate'],
    commands: ['BPF_LINK_CREATE'],
    returns: 'number',
    doc: 'BPF_LINK_CREATE: the link fd, or -errno.',
    args: [
      { name: 'progFd', type: fd, doc: 'link_create.prog_fd.' },
      { name: 'target', type: u32, doc: 'link_create.target_fd / target_ifindex (one union).' },
      { name: 'attachType', type: u32, doc: 'link_create.attach_type.' },
      { name: 'flags', type: u32, doc: 'link_create.flags.' },
      { name: 'targetBtfId', type: u32, doc: 'link_create.target_btf_id (tracing, LSM); 0 for none.' },
    ],
  },
];

/**
 * The slots of the synchronous BPF_PROG_TEST_RUN (`progTestRun`), in order: a Uint32Array over memory
 * the addon owns, which JavaScript fills before the call and reads the results from after it.
 */
export const testRunSlots: readonly { readonly name: string; readonly doc: string }[] = [
  { name: 'progFd', doc: 'in: prog_fd.' },
  { name: 'dataInOffset', doc: 'in: byte offset of data_in in the dataIn ArrayBuffer.' },
  { name: 'dataInLength', doc: 'in: data_size_in.' },
  { name: 'dataOutOffset', doc: 'in: byte offset of data_out in the dataOut ArrayBuffer.' },
  {
    name: 'dataOutLength',
    doc: 'in: data_size_out; 0 passes no data_out whatever dataOut is (the kernel would copy the whole packet).',
  },
  { name: 'ctxInOffset', doc: 'in: byte offset of ctx_in in the ctxIn ArrayBuffer.' },
  { name: 'ctxInLength', doc: 'in: ctx_size_in.' },
  { name: 'ctxOutOffset', doc: 'in: byte offset of ctx_out in the ctxOut ArrayBuffer.' },
  { name: 'ctxOutLength', doc: 'in: ctx_size_out.' },
  {
    name: 'emptyBuffers',
    doc:
      'in: which buffers of length 0 are present, passed as non-NULL pointers of size 0 (the kernel refuses ' +
      'some; a caller must be able to send them): 1 dataIn, 2 ctxIn, 4 ctxOut. Others of length 0 are NULL.',
  },
  { name: 'repeat', doc: 'in: repeat.' },
  { name: 'flags', doc: 'in: flags.' },
  { name: 'cpu', doc: 'in: cpu.' },
  { name: 'batchSize', doc: 'in: batch_size.' },
  { name: 'retval', doc: "out: the program's return value." },
  { name: 'duration', doc: 'out: mean ns per run.' },
  { name: 'dataSizeOut', doc: 'out: bytes of packet the run produced (more than data_out on ENOSPC).' },
  { name: 'ctxSizeOut', doc: 'out: bytes of context the run produced.' },
  { name: 'restarts', doc: 'out: times the call was reissued after EINTR.' },
  { name: 'ret', doc: "out: bpf()'s return value as an int32: >= 0, or -errno (read it as `slot | 0`)." },
];

/** One field of a row the addon and JavaScript exchange in a Uint32Array. */
export interface RowField {
  readonly name: string;
  readonly doc: string;
}

/** A row layout: its fields in order, and the prefix of its C++ enumerators. */
export interface RowLayout {
  /** Name of the TypeScript constant and the C++ enum. */
  readonly name: string;
  /** Prefix of the C++ enumerators (`kEachIn` + `DataBuffer`), unique among the header's enums. */
  readonly cppPrefix: string;
  readonly doc: string;
  readonly fields: readonly RowField[];
}

/** The rows of progTestRunEach / progTestRunEachAsync. */
export const testRunEachRows: readonly RowLayout[] = [
  {
    name: 'TestRunEachInput',
    cppPrefix: 'kEachIn',
    doc: 'One input of progTestRunEach(Async), a row of `inputs`.',
    fields: [
      { name: 'dataBuffer', doc: 'Index into `buffers` of data_in; 0xffffffff for none.' },
      { name: 'dataOffset', doc: 'Byte offset of data_in in its ArrayBuffer.' },
      { name: 'dataLength', doc: 'data_size_in.' },
      { name: 'ctxBuffer', doc: 'Index into `buffers` of ctx_in; 0xffffffff for none.' },
      { name: 'ctxOffset', doc: 'Byte offset of ctx_in in its ArrayBuffer.' },
      { name: 'ctxLength', doc: 'ctx_size_in.' },
      {
        name: 'dataRoom',
        doc: 'data_size_out: room for the output packet (0: no data_out; the kernel would copy the whole packet).',
      },
      {
        name: 'ctxRoom',
        doc: 'ctx_size_out: room for the output context (0: none, unless flagged present).',
      },
      {
        name: 'bits',
        doc:
          'Which buffers of length 0 are present (non-NULL, size 0): 1 dataIn, 2 ctxIn, 4 ctxOut; 8: return ' +
          'ctx_in after the run as the output context (SYSCALL programs write their context back there); 16: ' +
          'skip the input (JavaScript found it invalid), leaving its result row zero.',
      },
      { name: 'repeat', doc: 'repeat.' },
      { name: 'flags', doc: 'flags.' },
      { name: 'cpu', doc: 'cpu.' },
      { name: 'batchSize', doc: 'batch_size.' },
    ],
  },
  {
    name: 'TestRunEachHeader',
    cppPrefix: 'kEachHead',
    doc: 'The fields before the result rows.',
    fields: [
      { name: 'done', doc: 'Inputs run (their rows are filled).' },
      { name: 'end', doc: 'Where the outputs end: the byte offset after the last one written.' },
      { name: 'cancelled', doc: '1 when testRunCancel stopped the call before every input ran.' },
      { name: 'reserved', doc: 'Zero; keeps the rows 8-byte aligned.' },
    ],
  },
  {
    name: 'TestRunEachResult',
    cppPrefix: 'kEachOut',
    doc: 'What one input of progTestRunEach(Async) produced, a row after the header.',
    fields: [
      { name: 'ret', doc: "bpf()'s return value as an int32: >= 0, or -errno (read it as `field | 0`)." },
      { name: 'retval', doc: "The program's return value (of the last run)." },
      { name: 'duration', doc: 'Mean ns per run (recombined from the chunks of a chunked repeat).' },
      { name: 'dataSizeOut', doc: 'Bytes of packet the run produced (more than dataRoom on ENOSPC).' },
      { name: 'ctxSizeOut', doc: 'Bytes of context the run produced.' },
      { name: 'dataOutOffset', doc: 'Byte offset of the output packet.' },
      { name: 'dataOutLength', doc: 'Its length: min(dataSizeOut, dataRoom).' },
      { name: 'ctxOutOffset', doc: 'Byte offset of the output context.' },
      { name: 'ctxOutLength', doc: 'Its length: min(ctxSizeOut, ctxRoom).' },
      { name: 'restarts', doc: 'Times a call was reissued after EINTR.' },
      { name: 'chunks', doc: 'Kernel calls the repeat was split into (1 unless chunked).' },
      {
        name: 'dataOutSame',
        doc: '1 when the run succeeded and its output packet is its input packet unchanged (same length and bytes); else 0.',
      },
    ],
  },
];
