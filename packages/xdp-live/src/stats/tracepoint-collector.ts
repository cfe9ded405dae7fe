import { fileURLToPath } from 'node:url';
import { BpfLink, type BpfMap, BpfObject, errnoName, type Program } from '@progrun/syscall';
import type { PagePoolMeasurement } from './page-pool-model.js';
import type { XdpEventCounts, XdpEventTotals } from './xdp-event-counts.js';

/**
 * The compiled bpf/live-stats.bpf.c, shipped in dist/bpf (`npm run build:bpf`). Resolved through the
 * package root so that it is found from dist/stats and, in tests, from src/stats alike.
 */
const OBJECT_PATH = fileURLToPath(new URL('../../dist/bpf/live-stats.bpf.o', import.meta.url));

const XDP_PROGRAMS = {
  on_xdp_redirect_err: 'xdp_redirect_err',
  on_xdp_devmap_xmit: 'xdp_devmap_xmit',
} as const;
const PAGE_POOL_PROGRAMS = {
  on_page_pool_state_hold: 'page_pool_state_hold',
  on_page_pool_state_release: 'page_pool_state_release',
  on_page_pool_release: 'page_pool_release',
} as const;

const MAX_ERRNO = 256;
/** struct xdp_counts: six u64. */
const XDP_COUNTS_SIZE = 48;
/** struct pool_totals: pools, hold, release, record_hold, record_release, records, records_inflight,
 * hold_min, hold_max (u64), inflight_max (s64). */
const POOL_TOTALS_FIELDS = 10;

/** Which tracepoints to attach. */
export interface TracepointSelection {
  /** xdp_redirect_err and xdp_devmap_xmit. */
  readonly xdpEvents: boolean;
  /** xdp_redirect, per frame. */
  readonly countRedirects: boolean;
  readonly pagePool: boolean;
}

/** A worker as the collector attributes events: by pinned CPU (xdp events) and thread id (pools). */
export interface WorkerIdentity {
  readonly cpu: number;
  readonly tid: number;
}

function key32(value: number): Buffer {
  const key = Buffer.alloc(4);
  key.writeUInt32LE(value);
  return key;
}

function perCpu(map: BpfMap, key: Buffer, size: number): Buffer[] {
  const value = map.lookup(key);
  if (value === undefined) return [];
  const stride = Math.ceil(size / 8) * 8;
  return Array.from({ length: value.length / stride }, (_, cpu) =>
    value.subarray(cpu * stride, cpu * stride + size),
  );
}

function totalsOf(slot: Buffer | undefined, countRedirects: boolean): XdpEventTotals {
  const at = (i: number) => (slot ? Number(slot.readBigUInt64LE(i * 8)) : 0);
  return {
    redirected: countRedirects ? at(0) : undefined,
    redirectErrors: at(1),
    xmitSent: at(2),
    xmitDrops: at(3),
    xmitFlushes: at(4),
    xmitErrorFlushes: at(5),
  };
}

/**
 * Counts the `xdp:*` and `page_pool:*` events of this process with raw tracepoint programs
 * (bpf/live-stats.bpf.c), attached from {@link attach} until {@link close}. Events of other processes are
 * ignored (the programs compare the tgid).
 *
 * Minimum kernel: 4.17 (raw tracepoints); page_pool_release 5.5. Needs CAP_BPF and CAP_PERFMON.
 * @internal
 */
export class TracepointCollector implements Disposable {
  readonly #links: BpfLink[];
  readonly #maps: Record<string, BpfMap>;
  readonly #selection: TracepointSelection;
  #closed = false;

  private constructor(links: BpfLink[], maps: Record<string, BpfMap>, selection: TracepointSelection) {
    this.#links = links;
    this.#maps = maps;
    this.#selection = selection;
  }

  /**
   * Loads the statistics programs and attaches the selected ones.
   * @throws {BpfObjectError} or {BpfError} when loading or attaching fails.
   */
  static attach(selection: TracepointSelection): TracepointCollector {
    const wanted: Record<string, string> = {
      ...(selection.xdpEvents ? XDP_PROGRAMS : {}),
      ...(selection.countRedirects ? { on_xdp_redirect: 'xdp_redirect' } : {}),
      ...(selection.pagePool ? PAGE_POOL_PROGRAMS : {}),
    };
    const programs: Program[] = [];
    const links: BpfLink[] = [];
    const maps: Record<string, BpfMap> = {};
    try {
      using object = BpfObject.open(OBJECT_PATH);
      for (const program of object.programs) program.autoload = program.name in wanted;
      object.load();
      for (const map of object.maps) {
        if (!map.name.startsWith('.')) maps[map.name] = map.toMap();
      }
      maps.config?.update(key32(0), key32(process.pid));
      for (const [name, tracepoint] of Object.entries(wanted)) {
        const program = object.program(name).toProgram();
        programs.push(program);
        links.push(BpfLink.rawTracepoint(program, tracepoint));
      }
    } catch (error) {
      for (const link of links) link.close();
      for (const map of Object.values(maps)) map.close();
      throw error;
    } finally {
      // The links hold the programs; their own handles are not needed any more.
      for (const program of programs) program.close();
    }
    return new TracepointCollector(links, maps, selection);
  }

  #map(name: string): BpfMap {
    const map = this.#maps[name];
    if (map === undefined) throw new Error(`live-stats object lacks map '${name}'`);
    return map;
  }

  /** Pools of this process not destroyed yet (pages still in flight, or the run still going). */
  pendingPools(): number {
    if (!this.#selection.pagePool || this.#closed) return 0;
    const pools = this.#map('pools');
    let count = 0;
    for (let key = pools.nextKey(null); key !== undefined; key = pools.nextKey(key)) count++;
    return count;
  }

  #errnoCounts(map: BpfMap, zeroName: string): Record<string, number> {
    const counts: Record<string, number> = {};
    for (let index = 0; index < MAX_ERRNO; index++) {
      const total = perCpu(map, key32(index), 8).reduce(
        (sum, slot) => sum + Number(slot.readBigUInt64LE(0)),
        0,
      );
      if (total > 0) counts[index === 0 ? zeroName : errnoName(index)] = total;
    }
    return counts;
  }

  #xdp(workers: readonly WorkerIdentity[]): XdpEventCounts {
    const slots = perCpu(this.#map('xdp_counts'), key32(0), XDP_COUNTS_SIZE);
    const counting = this.#selection.countRedirects;
    const all = slots.map((slot) => totalsOf(slot, counting));
    const sum = (field: Exclude<keyof XdpEventTotals, 'redirected'>) =>
      all.reduce((total, slot) => total + slot[field], 0);
    return {
      redirected: counting ? all.reduce((total, slot) => total + (slot.redirected ?? 0), 0) : undefined,
      redirectErrors: sum('redirectErrors'),
      xmitSent: sum('xmitSent'),
      xmitDrops: sum('xmitDrops'),
      xmitFlushes: sum('xmitFlushes'),
      xmitErrorFlushes: sum('xmitErrorFlushes'),
      redirectErrno: this.#errnoCounts(this.#map('redirect_errno'), 'E0'),
      xmitErrno: this.#errnoCounts(this.#map('xmit_errno'), 'partial'),
      workers: workers.map((worker) => ({ cpu: worker.cpu, ...totalsOf(slots[worker.cpu], counting) })),
    };
  }

  #pagePool(workers: readonly WorkerIdentity[]): PagePoolMeasurement {
    const tids = new Set(workers.map((worker) => worker.tid));
    const totals = this.#map('pool_totals');
    const fields = new Array<number>(POOL_TOTALS_FIELDS).fill(0);
    let holdMin = Number.POSITIVE_INFINITY;
    let holdMax = 0;
    let inflightMax = 0;
    for (const tid of tids) {
      const value = totals.lookup(key32(tid));
      if (value === undefined) continue;
      for (let i = 0; i < 7; i++) fields[i] = (fields[i] ?? 0) + Number(value.readBigUInt64LE(i * 8));
      holdMin = Math.min(holdMin, Number(value.readBigUInt64LE(56)));
      holdMax = Math.max(holdMax, Number(value.readBigUInt64LE(64)));
      inflightMax = Math.max(inflightMax, Number(value.readBigInt64LE(72)));
    }
    const [
      pools = 0,
      hold = 0,
      release = 0,
      recordHold = 0,
      recordRelease = 0,
      records = 0,
      recordsInflight = 0,
    ] = fields;
    const poolMap = this.#map('pools');
    let pending = 0;
    for (let key = poolMap.nextKey(null); key !== undefined; key = poolMap.nextKey(key)) {
      const state = poolMap.lookup(key);
      if (state !== undefined && tids.has(state.readUInt32LE(0))) pending++;
    }
    return {
      pools,
      hold,
      release,
      recordHold,
      recordRelease,
      holdPerPool: { min: pools > 0 ? holdMin : 0, max: holdMax, mean: pools > 0 ? hold / pools : 0 },
      records,
      recordsInflight,
      inflightMax,
      pending,
    };
  }

  /** Reads the counts, attributing xdp events by CPU and pools by thread id. */
  read(workers: readonly WorkerIdentity[]): { xdp?: XdpEventCounts; pagePool?: PagePoolMeasurement } {
    return {
      ...(this.#selection.xdpEvents ? { xdp: this.#xdp(workers) } : {}),
      ...(this.#selection.pagePool ? { pagePool: this.#pagePool(workers) } : {}),
    };
  }

  /** Detaches the programs and closes the maps. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const link of this.#links) link.close();
    for (const map of Object.values(this.#maps)) map.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
