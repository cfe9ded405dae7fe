import { setTimeout as sleep } from 'node:timers/promises';
import { BpfError } from '@progrun/syscall';
import { native } from '@progrun/syscall/native';
import type { Snapshot } from '../injection/snapshot.js';
import type { ValidatedInjection } from '../injection/validate-options.js';
import { type DeviceRef, describeDevice } from '../topology/device-ref.js';
import { checkXdpReceive } from '../topology/receive-readiness.js';
import { type DeliveryVerdict, deliveryVerdict } from './delivery-verdict.js';
import { counterDelta, type DeviceCounters, readDeviceCounters } from './device-counters.js';
import { comparePagePool, type PagePoolReport, predictPagePool } from './page-pool-model.js';
import type { TracepointCollector } from './tracepoint-collector.js';
import { type FramesByAction, framesByAction, type XdpAction, xdpActionName } from './xdp-action.js';
import type { XdpEventCounts } from './xdp-event-counts.js';

/** A device's counters around the run. */
export interface DeviceReport {
  /** "name" or "name (netns NS)". */
  readonly device: string;
  readonly before: DeviceCounters;
  readonly after: DeviceCounters;
  /** after - before. */
  readonly delta: DeviceCounters;
}

/** Statistics of one injection (`result.stats`). */
export interface LiveStatistics {
  /** Frames per verdict, from each template's previewed verdict (undefined when the preview was off). */
  readonly actions: FramesByAction | undefined;
  /** The run's `xdp:*` tracepoint events (undefined when off). */
  readonly xdp: XdpEventCounts | undefined;
  /** The run's page pools, measured beside the documented model (undefined when off). */
  readonly pagePool: PagePoolReport | undefined;
  /** Counters of the device frames were sent out of, and of the one they should reach. */
  readonly transmit: DeviceReport | undefined;
  readonly receive: DeviceReport | undefined;
  /** Injected N, sent on S, arrived M: flags silent loss. */
  readonly delivery: DeliveryVerdict;
  /** Milliseconds spent before the run (preview, counters, attaching tracepoints) and after it (reading). */
  readonly setupMs: number;
  readonly readMs: number;
  /** Messages that deserve attention (silent loss). */
  readonly warnings: readonly string[];
}

/** How long to wait, at most, for receive counters and page pools to settle after the last call. */
const SETTLE_LIMIT_MS = 2000;
const SETTLE_STEP_MS = 20;
/** The settle limit of a run that was stopped early, whose caller wants it over. */
const STOPPED_SETTLE_LIMIT_MS = 500;

/**
 * The statistics side of an injection: set up before the workers start, read after they stop.
 * @internal
 */
export class LiveStatisticsSession {
  /** The program's verdict per packet template, when previewed. */
  readonly verdicts: readonly XdpAction[] | undefined;
  readonly #v: ValidatedInjection;
  readonly #collector: TracepointCollector | undefined;
  readonly #transmit: DeviceRef | undefined;
  readonly #receive: DeviceRef | undefined;
  readonly #before: { transmit?: DeviceCounters; receive?: DeviceCounters };
  readonly #notReady: string | undefined;
  readonly #setupMs: number;

  private constructor(
    v: ValidatedInjection,
    fields: {
      verdicts: XdpAction[] | undefined;
      collector: TracepointCollector | undefined;
      transmit: DeviceRef | undefined;
      receive: DeviceRef | undefined;
      before: { transmit?: DeviceCounters; receive?: DeviceCounters };
      notReady: string | undefined;
      setupMs: number;
    },
  ) {
    this.#v = v;
    this.verdicts = fields.verdicts;
    this.#collector = fields.collector;
    this.#transmit = fields.transmit;
    this.#receive = fields.receive;
    this.#before = fields.before;
    this.#notReady = fields.notReady;
    this.#setupMs = fields.setupMs;
  }

  /**
   * Previews verdicts, checks that the transmit device can deliver (warning when not), reads counters
   * and attaches the tracepoint programs.
   * @throws {BpfError} when the preview run fails (the live run would fail the same way).
   * @throws {CommandError} when a device cannot be read.
   */
  static async start(v: ValidatedInjection, warn: (message: string) => void): Promise<LiveStatisticsSession> {
    const started = performance.now();
    const netnsFd = v.netns ? v.netns.fd : -1;
    let verdicts: XdpAction[] | undefined;
    if (v.stats.previewVerdicts) {
      verdicts = v.packets.map((packet, i) => {
        const retval = native.xdpVerdict(netnsFd, v.program.fd, packet, v.ifindex, v.rxQueue);
        if (retval < 0) {
          throw new BpfError({
            errno: -retval,
            command: 'BPF_PROG_TEST_RUN',
            hint: `previewing the verdict of packets[${i}] on ${v.ifname} (ifindex ${v.ifindex}) failed; the live run would too`,
          });
        }
        return xdpActionName(retval);
      });
    }
    const ingress: DeviceRef = v.netns ? { netns: v.netns, name: v.ifname } : { name: v.ifname };
    const transmit = v.stats.transmit ?? (verdicts?.includes('tx') ? ingress : undefined);
    const receive = v.stats.receive;

    let notReady: string | undefined;
    if (transmit !== undefined) {
      const peer = v.stats.transmitPeer ?? receive;
      const readiness = await checkXdpReceive(transmit, {
        ...(peer ? { peer } : {}),
        frameLength: Math.max(...v.packets.map((packet) => packet.byteLength)),
      });
      if (readiness.ready === false) {
        notReady = readiness.reason;
        warn(`frames sent out of ${describeDevice(transmit)} cannot arrive: ${readiness.reason}`);
      }
    }
    const before = {
      ...(transmit ? { transmit: await readDeviceCounters(transmit) } : {}),
      ...(receive ? { receive: await readDeviceCounters(receive) } : {}),
    };
    let collector: TracepointCollector | undefined;
    if (v.stats.xdpEvents || v.stats.countRedirects || v.stats.pagePool) {
      // Loaded on demand: runs without statistics never touch the ELF object or libbpf.
      const { TracepointCollector } = await import('./tracepoint-collector.js');
      collector = TracepointCollector.attach({
        xdpEvents: v.stats.xdpEvents || v.stats.countRedirects,
        countRedirects: v.stats.countRedirects,
        pagePool: v.stats.pagePool,
      });
    }
    return new LiveStatisticsSession(v, {
      verdicts,
      collector,
      transmit,
      receive,
      before,
      notReady,
      setupMs: performance.now() - started,
    });
  }

  // Frames sent on are received asynchronously (the peer's NAPI) and pages in flight return late:
  // read until the receive counter and the set of undestroyed pools stop changing.
  // The limit is wall-clock time: each read spawns a command, which takes long on a loaded machine.
  async #settle(limitMs: number): Promise<void> {
    let last = '';
    const deadline = performance.now() + limitMs;
    while (performance.now() < deadline) {
      const receive = this.#receive
        ? (await readDeviceCounters(this.#receive, { driver: false })).rxPackets
        : 0;
      const pending = this.#collector?.pendingPools() ?? 0;
      const now = `${receive}/${pending}`;
      if (now === last && pending === 0) return;
      last = now;
      await sleep(SETTLE_STEP_MS);
    }
  }

  /**
   * Waits for counters to settle, reads everything, detaches the tracepoint programs and judges delivery.
   * A stopped run (stop(), an interrupt) is wrapped up promptly: its counters get less time to settle.
   * @throws {CommandError} when a device cannot be read.
   */
  async finish(snapshot: Snapshot, calls: number, stopped = false): Promise<LiveStatistics> {
    const started = performance.now();
    await this.#settle(stopped ? STOPPED_SETTLE_LIMIT_MS : SETTLE_LIMIT_MS);
    const events = this.#collector?.read(snapshot.workers);
    this.#collector?.close();

    const report = async (ref: DeviceRef | undefined, before: DeviceCounters | undefined) => {
      if (ref === undefined || before === undefined) return undefined;
      const after = await readDeviceCounters(ref);
      return { device: describeDevice(ref), before, after, delta: counterDelta(before, after) };
    };
    const transmit = await report(this.#transmit, this.#before.transmit);
    const receive = await report(this.#receive, this.#before.receive);

    const actions = this.verdicts ? framesByAction(this.verdicts, snapshot.packetFrames) : undefined;
    let pagePool: PagePoolReport | undefined;
    if (events?.pagePool) {
      const facts = {
        calls,
        batchSize: this.#v.batchSize,
        batchFrames: snapshot.workers.reduce((sum, worker) => sum + worker.batchFrames, 0),
        actions,
      };
      pagePool = comparePagePool(events.pagePool, predictPagePool(facts), facts);
    }
    const delivery = deliveryVerdict({
      injected: snapshot.frames,
      batchSize: this.#v.batchSize,
      actions,
      xdp: events?.xdp,
      transmit: transmit?.delta,
      receive: receive?.delta,
      receiveName: receive?.device,
      notReadyReason: this.#notReady,
    });
    const warnings: string[] = [];
    if (delivery.status === 'loss' || delivery.status === 'no-delivery') {
      warnings.push(`silent loss: ${delivery.message}`);
      process.emitWarning(`silent loss: ${delivery.message}`, { code: 'PROGRUN_XDP_LIVE' });
    }
    return {
      actions,
      xdp: events?.xdp,
      pagePool,
      transmit,
      receive,
      delivery,
      setupMs: this.#setupMs,
      readMs: performance.now() - started,
      warnings,
    };
  }

  /** Detaches the tracepoint programs (also when the run failed). Idempotent. */
  close(): void {
    this.#collector?.close();
  }
}
