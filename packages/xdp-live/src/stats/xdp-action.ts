/** An XDP verdict (`enum xdp_action`), by name; `'invalid'` for a value the kernel does not define. */
export type XdpAction = 'aborted' | 'drop' | 'pass' | 'tx' | 'redirect' | 'invalid';

const ACTIONS: readonly XdpAction[] = ['aborted', 'drop', 'pass', 'tx', 'redirect'];

/** The name of an XDP return value (0 = aborted ... 4 = redirect). */
export function xdpActionName(retval: number): XdpAction {
  return ACTIONS[retval] ?? 'invalid';
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
