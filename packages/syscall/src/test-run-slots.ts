import { Buffer } from 'node:buffer';
import { native, TestRunSlot } from './native.js';
import { U32_MAX } from './validate.js';

/**
 * The synchronous BPF_PROG_TEST_RUN call through the addon's slots (see {@link NativeBinding.progTestRun}):
 * the helpers here point a slot pair at a buffer and keep the per-call work to a few stores.
 * @internal
 */
export const slots: Uint32Array = native.testRunSlots;

/**
 * The addon's progTestRun, read once: the addon's exports object holds its properties in dictionary
 * mode, where every lookup costs more than the rest of a call's bookkeeping.
 */
export const progTestRun: typeof native.progTestRun = native.progTestRun;

// Reading `.buffer` is a runtime call; the same input is usually passed run after run, so the last
// view checked and the last view bound remember theirs.
let lastChecked: Uint8Array | undefined;
let lastView: Uint8Array | undefined;
let lastBuffer: ArrayBuffer | undefined;

/**
 * `view` in a form the slots can describe: an ArrayBuffer-backed view whose end fits in 32 bits. Other
 * views (SharedArrayBuffer-backed, or beyond 4 GiB into a huge buffer) are copied.
 */
export function slotable(view: Uint8Array): Uint8Array {
  if (view === lastChecked) return view;
  if (view.buffer instanceof ArrayBuffer && view.byteOffset + view.byteLength <= U32_MAX) {
    lastChecked = view;
    return view;
  }
  return Buffer.from(view);
}

/**
 * Points the slots at `offsetSlot` (offset, then length) at `view` and returns its ArrayBuffer, or
 * undefined (length 0) for no buffer. `view` must be {@link slotable}.
 */
export function bindView(offsetSlot: number, view: Uint8Array | null): ArrayBuffer | undefined {
  if (view === null || view.byteLength === 0) {
    slots[offsetSlot + 1] = 0;
    return undefined;
  }
  slots[offsetSlot] = view.byteOffset;
  slots[offsetSlot + 1] = view.byteLength;
  if (view !== lastView) {
    lastView = view;
    lastBuffer = view.buffer as ArrayBuffer;
  }
  return lastBuffer;
}

/** Sets the scalar slots. */
export function bindScalars(fd: number, repeat: number, flags: number, cpu: number, batchSize: number): void {
  slots[TestRunSlot.progFd] = fd;
  slots[TestRunSlot.repeat] = repeat;
  slots[TestRunSlot.flags] = flags;
  slots[TestRunSlot.cpu] = cpu;
  slots[TestRunSlot.batchSize] = batchSize;
}
