import type { HarnessEvent } from '../harness/harness-events.js';

/** Where progress goes: a terminal gets a redrawn status block, anything else plain lines. */
export interface ProgressReporter {
  readonly onEvent: (event: HarnessEvent) => void;
  /** Stops redrawing (call before printing the summary). */
  stop(): void;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function describe(event: HarnessEvent): { kernel: string; text: string } {
  switch (event.type) {
    case 'provisioning':
      return { kernel: event.kernel, text: `provisioning: ${event.step} ${event.detail}` };
    case 'accelerator':
      return {
        kernel: 'accel',
        text:
          event.phase === 'probing'
            ? 'probing KVM with a short deadline'
            : `${event.verdict?.accelerator}${event.verdict?.cached ? ' (cached)' : ''}: ${event.verdict?.reason}`,
      };
    case 'booting':
      return {
        kernel: event.kernel,
        text:
          event.accelerator === 'none'
            ? `running on the host (${event.release})`
            : `booting ${event.release} (${event.accelerator}, boot deadline ${seconds(event.bootTimeoutMs)})`,
      };
    case 'running':
      return {
        kernel: event.kernel,
        text: event.bootMs > 0 ? `running (booted in ${seconds(event.bootMs)})` : 'running',
      };
    case 'result':
      return {
        kernel: event.kernel,
        text: `${event.result.outcome}: ${event.result.reason} (${seconds(event.result.totalMs)})`,
      };
  }
}

/**
 * Progress for the CLI. On a terminal (and not under CI) each kernel has one status line that is
 * redrawn in place, with elapsed time; elsewhere every event is one plain, timestamped line.
 */
export function createProgressReporter(
  stream: NodeJS.WriteStream = process.stderr,
  interactive: boolean = Boolean(stream.isTTY) && !process.env.CI,
): ProgressReporter {
  const started = performance.now();
  if (!interactive) {
    return {
      onEvent(event) {
        const { kernel, text } = describe(event);
        stream.write(`[${seconds(performance.now() - started).padStart(7)}] ${kernel.padEnd(6)} ${text}\n`);
      },
      stop() {},
    };
  }
  const lines = new Map<string, { text: string; since: number; done: boolean }>();
  let drawn = 0;
  const draw = () => {
    const width = (stream.columns || 100) - 1;
    let out = drawn > 0 ? `\x1b[${drawn}A` : '';
    for (const [kernel, line] of lines) {
      const clock = line.done ? '' : ` ${seconds(performance.now() - line.since)}`;
      out += `\x1b[2K${`${kernel.padEnd(6)} ${line.text}${clock}`.slice(0, width)}\n`;
    }
    drawn = lines.size;
    stream.write(out);
  };
  const timer = setInterval(draw, 500);
  timer.unref();
  return {
    onEvent(event) {
      const { kernel, text } = describe(event);
      const previous = lines.get(kernel);
      const phaseChanged = !previous || event.type !== 'provisioning';
      lines.set(kernel, {
        text,
        since: phaseChanged ? performance.now() : previous.since,
        done: event.type === 'result' || (event.type === 'accelerator' && event.phase === 'decided'),
      });
      draw();
    },
    stop() {
      clearInterval(timer);
      draw();
    },
  };
}
