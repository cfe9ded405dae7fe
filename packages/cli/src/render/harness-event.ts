import type { HarnessEvent } from '@progrun/harness-vm';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** One line for a harness-vm lifecycle event: which kernel, and what is happening to it. */
export function describeHarnessEvent(event: HarnessEvent): string {
  switch (event.type) {
    case 'provisioning':
      return `${event.kernel}: provisioning, ${event.step} ${event.detail}`;
    case 'accelerator':
      return event.phase === 'probing'
        ? 'accelerator: probing KVM with a short deadline'
        : `accelerator: ${event.verdict?.accelerator ?? '?'}${event.verdict?.cached ? ' (cached)' : ''}, ${event.verdict?.reason ?? ''}`;
    case 'booting':
      return event.accelerator === 'none'
        ? `${event.kernel}: running on the host (${event.release})`
        : `${event.kernel}: booting ${event.release} under ${event.accelerator}`;
    case 'running':
      return `${event.kernel}: running the probes${event.bootMs > 0 ? ` (booted in ${seconds(event.bootMs)})` : ''}`;
    case 'result':
      return `${event.kernel}: ${event.result.outcome}, ${event.result.reason} (${seconds(event.result.totalMs)})`;
  }
}
