import type { HarnessEvent } from '@progrun/harness-vm';
import type { Output } from '../cli/output.js';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** One harness event in words: the kernel (or `accelerator`) it is about, and what happens to it. */
export function describeHarnessEvent(event: HarnessEvent): { subject: string; text: string } {
  switch (event.type) {
    case 'provisioning':
      return { subject: event.kernel, text: `provisioning: ${event.step} ${event.detail}` };
    case 'accelerator':
      return {
        subject: 'accelerator',
        text:
          event.phase === 'probing'
            ? 'probing KVM with a short deadline'
            : `${event.verdict?.accelerator ?? '?'}${event.verdict?.cached ? ' (cached)' : ''}: ${event.verdict?.reason ?? ''}`,
      };
    case 'booting':
      return {
        subject: event.kernel,
        text:
          event.accelerator === 'none'
            ? `running on the host (${event.release})`
            : `booting ${event.release} (${event.accelerator}, boot deadline ${seconds(event.bootTimeoutMs)})`,
      };
    case 'running':
      return {
        subject: event.kernel,
        text: event.bootMs > 0 ? `running (booted in ${seconds(event.bootMs)})` : 'running',
      };
    case 'result':
      return {
        subject: event.kernel,
        text: `${event.result.outcome}: ${event.result.reason} (${seconds(event.result.totalMs)})`,
      };
  }
}

/** Shows a harness run's progress on stderr; see {@link createVmProgress}. */
export interface VmProgress {
  readonly onEvent: (event: HarnessEvent) => void;
  /** Stops redrawing; call before the summary is printed. */
  stop(): void;
}

/**
 * Progress of guests on stderr. On a terminal (and not under CI) each kernel has one status line,
 * redrawn in place with the time spent in its current phase; elsewhere each event is one line,
 * `[  12.3 s] 5.10: booting ...`, stamped with the time since the start. Nothing with `--json`.
 */
export function createVmProgress(out: Output, env: NodeJS.ProcessEnv = process.env): VmProgress {
  const started = performance.now();
  const style = out.errStyle;
  if (out.json) return { onEvent() {}, stop() {} };
  if (!out.interactive || env.CI) {
    return {
      onEvent(event) {
        const { subject, text } = describeHarnessEvent(event);
        const stamp = `[${seconds(performance.now() - started).padStart(7)}]`;
        out.errorLine(`${style.dim(stamp)} ${subject}: ${text}`);
      },
      stop() {},
    };
  }
  const lines = new Map<string, { text: string; since: number; done: boolean }>();
  let drawn = 0;
  const draw = () => {
    const pad = Math.max(...[...lines.keys()].map((subject) => subject.length));
    // A line that wrapped would throw off the cursor-up count of the next redraw.
    const room = out.errorColumns - 1;
    let text = drawn > 0 ? `\u001b[${drawn}A` : '';
    for (const [subject, line] of lines) {
      const clock = line.done ? '' : ` ${seconds(performance.now() - line.since)}`;
      const body = line.text.slice(0, Math.max(0, room - pad - 1 - clock.length));
      text += `\u001b[2K${style.bold(subject.padEnd(pad))} ${body}${clock && style.dim(clock)}\n`;
    }
    drawn = lines.size;
    out.errorWrite(text);
  };
  const timer = setInterval(draw, 500);
  timer.unref();
  return {
    onEvent(event) {
      const { subject, text } = describeHarnessEvent(event);
      const previous = lines.get(subject);
      // Provisioning steps of one kernel are one phase: its clock keeps running across them.
      const since = previous && event.type === 'provisioning' ? previous.since : performance.now();
      const done = event.type === 'result' || (event.type === 'accelerator' && event.phase === 'decided');
      lines.set(subject, { text, since, done });
      draw();
    },
    stop() {
      clearInterval(timer);
      draw();
    },
  };
}
