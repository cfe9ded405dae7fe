import { enumKeyOf, XdpAction as XdpActionValues } from '@progrun/uapi';

/** An XDP verdict (`enum xdp_action`), by name; `'invalid'` for a value the kernel does not define. */
export type XdpAction = Lowercase<keyof typeof XdpActionValues> | 'invalid';

/** The name of an XDP return value (`XDP_ABORTED` = 0 is `'aborted'` ... `XDP_REDIRECT` = 4 is `'redirect'`). */
export function xdpActionName(retval: number): XdpAction {
  return (enumKeyOf(XdpActionValues, retval)?.toLowerCase() as XdpAction | undefined) ?? 'invalid';
}

/** Frames counted per verdict. */
export type FramesByAction = Readonly<Record<XdpAction, number>>;

/** Frames per verdict from each template's verdict and frame count. @internal */
export function framesByAction(
  verdicts: readonly XdpAction[],
  packetFrames: readonly number[],
): FramesByAction {
  const counts: Record<XdpAction, number> = { aborted: 0, drop: 0, pass: 0, tx: 0, redirect: 0, invalid: 0 };
  verdicts.forEach((verdict, i) => {
    counts[verdict] += packetFrames[i] ?? 0;
  });
  return counts;
}
