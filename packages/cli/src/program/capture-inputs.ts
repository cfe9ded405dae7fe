import { testRunInputFor } from '@progrun/ctx-builders';
import { kernelOlderThan, type RunEachInput } from '@progrun/syscall';
import { BpfFunc, type BpfProgTypeName, programTypeProfile } from '@progrun/uapi';
import { ctxFields, rawCtx } from './ctx-option.js';

/** How each packet of a capture becomes a run's input, and how its output packet is read. */
export interface CaptureInputs {
  /** The run's input for one packet. */
  readonly input: (packet: Uint8Array) => RunEachInput;
  /**
   * True when the inputs are typed contexts: the output packet is then the typed result's `packet`
   * (without XDP metadata), else the run's data_out.
   */
  readonly typed: boolean;
  /** True when `input` returns the packet itself: the packets are then the inputs, as they are. */
  readonly bare: boolean;
}

const BPF_JMP_CALL = 0x85;

/** Whether the instructions call helper `id` (a helper call has src_reg 0; 1 and 2 are other calls). */
function callsHelper(instructions: Uint8Array, id: number): boolean {
  const view = new DataView(instructions.buffer, instructions.byteOffset, instructions.byteLength);
  for (let at = 0; at + 8 <= instructions.length; at += 8) {
    if (
      instructions[at] === BPF_JMP_CALL &&
      instructions[at + 1]! >> 4 === 0 &&
      view.getInt32(at + 4, true) === id
    ) {
      return true;
    }
  }
  return false;
}

/**
 * How the packets of a capture become runs' inputs, decided once for the whole capture. Without `--ctx`
 * each input is the bare packet (the kernel builds the default context, and nothing is built per packet),
 * except for an XDP program that calls bpf_xdp_adjust_meta: its output starts with the metadata, which
 * only the output `xdp_md` measures, so it gets a typed `xdp_md` per packet. With `--ctx` each input is
 * the type's typed context around the packet (its fields checked once, up front), or plain options with
 * `--ctx` as raw hex for types without a context builder (or a kernel older than the type's ctx_in).
 * @throws CliError (usage) for a `--ctx` of the wrong shape; ValidationError for a field the kernel would
 *   reject
 */
export function captureInputs(
  typeName: BpfProgTypeName,
  ctx: unknown,
  cpu: number | undefined,
  instructions: Uint8Array,
): CaptureInputs {
  const metadata = typeName === 'XDP' && callsHelper(instructions, BpfFunc.xdp_adjust_meta);
  if (ctx === undefined && !metadata) return { input: (packet) => packet, typed: false, bare: true };
  const context = programTypeProfile(typeName)?.testRun?.context;
  const typed =
    context !== undefined &&
    context.layout.kind !== 'program-defined' &&
    !(context.ctxInSince !== undefined && kernelOlderThan(context.ctxInSince));
  if (!typed) {
    const raw = rawCtx(ctx);
    return { input: (packet) => ({ data: packet, ...raw }), typed: false, bare: false };
  }
  const fields = ctxFields(typeName, ctx, cpu);
  // Built once to check the fields before the capture is read: a bad --ctx fails before the first run.
  testRunInputFor(typeName, { ...fields, packet: new Uint8Array(64) });
  return {
    input: (packet) => testRunInputFor(typeName, { ...fields, packet }) as RunEachInput,
    typed: true,
    bare: false,
  };
}
