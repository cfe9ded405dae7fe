import { Buffer } from 'node:buffer';
import { ValidationError } from '@progrun/uapi';
import { native } from './native.js';
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
 * @internal
 */
export const progTestRun: typeof native.progTestRun = native.progTestRun;

/** Whether the slots can describe `view`: ArrayBuffer-backed (not shared), its end within 32 bits. */
function describable(view: Uint8Array, buffer: ArrayBufferLike): buffer is ArrayBuffer {
  return buffer instanceof ArrayBuffer && view.byteOffset + view.byteLength <= U32_MAX;
}

/**
 * `view` in a form the slots can describe; other views (SharedArrayBuffer-backed, or beyond 4 GiB into a
 * huge buffer) are copied.
 * @internal
 */
export function slotable(view: Uint8Array): Uint8Array {
  return describable(view, view.buffer) ? view : Buffer.from(view);
}

// Reading `.buffer` is a runtime call, and the same buffers are usually passed call after call: each
// slot pair remembers the view it last described and that view's ArrayBuffer.
const boundViews: (Uint8Array | undefined)[] = [];
const boundBuffers: (ArrayBuffer | undefined)[] = [];

/**
 * Points the slots at `offsetSlot` (offset, then length) at `view` and returns its ArrayBuffer, or
 * undefined (length 0) for no buffer or an empty one (which the emptyBuffers slot tells apart).
 * @throws {ValidationError} naming `field` when the slots cannot describe `view` (see {@link slotable}).
 * @internal
 */
export function bindView(
  offsetSlot: number,
  view: Uint8Array | null,
  field: string,
): ArrayBuffer | undefined {
  if (view === null || view.byteLength === 0) {
    slots[offsetSlot + 1] = 0;
    return undefined;
  }
  slots[offsetSlot] = view.byteOffset;
  slots[offsetSlot + 1] = view.byteLength;
  if (view !== boundViews[offsetSlot]) {
    const buffer = view.buffer;
    if (!describable(view, buffer)) {
      throw new ValidationError(
        field,
        'backed by an ArrayBuffer (not a SharedArrayBuffer), ending within its first 4 GiB',
        { received: view },
      );
    }
    boundViews[offsetSlot] = view;
    boundBuffers[offsetSlot] = buffer;
  }
  return boundBuffers[offsetSlot];
}
