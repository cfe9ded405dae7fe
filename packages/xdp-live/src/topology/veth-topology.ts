import { availableParallelism } from 'node:os';
import { ValidationError } from '@progrun/syscall';
import { objectArgument } from '../object-argument.js';
import { signalArgument } from '../signal-argument.js';
import { NAME_PREFIX } from './cleanup-registry.js';
import type { DeviceRef } from './device-ref.js';
import { Netns } from './netns.js';
import { loadReceiveProgram } from './receive-program.js';
import { checkXdpReceive, type ReceiveReadiness } from './receive-readiness.js';
import { XDP_FLAGS_DRV_MODE, XdpLink } from './xdp-link.js';

/**
 * How the ends of a veth pair are made to accept frames sent to them by XDP_TX/XDP_REDIRECT (a veth
 * refuses them otherwise, silently for the sender):
 * - `'xdp-pass'`: an XDP_PASS program on each end (native mode): frames arrive and enter the stack;
 * - `'xdp-drop'`: an XDP_DROP program on each end: frames arrive (rx_packets counts them) and are
 *   dropped at once, which measures the sender rather than the receiver's stack;
 * - `'gro'`: GRO enabled on each end (`ethtool -K DEV gro on`; Linux 5.13+): frames enter the stack;
 * - `'none'`: neither, to reproduce the no-receiver case.
 *
 * The programs are attached through BPF links ({@link XdpLink}) held by the topology (iproute2 cannot
 * attach a program given by fd).
 */
export type ReceiveMode = 'xdp-pass' | 'xdp-drop' | 'gro' | 'none';

/** One end of a {@link VethTopology}. */
export interface VethEnd extends DeviceRef {
  readonly netns: Netns;
  readonly name: string;
  readonly ifindex: number;
  readonly mac: string;
  /** Its IPv4 address (without prefix length). */
  readonly ipv4: string;
}

/** Options of {@link VethTopology.create}. */
export interface VethTopologyOptions {
  /** Default `'xdp-pass'`. */
  readonly receive?: ReceiveMode;
  /** MTU of both ends; default 1500. */
  readonly mtu?: number;
  /**
   * Receive and transmit queues of each end; default: the host's CPU count. veth hands an XDP_TX or
   * XDP_REDIRECT frame to the peer's receive ring of the sending CPU (CPU number modulo the queues), so
   * with a queue per CPU, workers on different CPUs never contend for one ring.
   */
  readonly queues?: number;
  /** Aborting deletes the topology (also after creation). */
  readonly signal?: AbortSignal;
}

const SUBNET = '10.199.0';
/** The most queues accepted per veth end (the kernel allows more; nothing here needs them). */
const MAX_QUEUES = 1024;

let sequence = 0;

/** The queues per veth end: the option, validated, or the host's CPU count. */
function queueCount(queues: number | undefined): number {
  if (queues === undefined) return availableParallelism();
  if (!Number.isInteger(queues) || queues < 1 || queues > MAX_QUEUES)
    throw new ValidationError('options.queues', `an integer from 1 to ${MAX_QUEUES}`, { received: queues });
  return queues;
}

interface Link {
  readonly ifindex: number;
  readonly address: string;
}

async function showLink(netns: Netns, name: string, signal?: AbortSignal): Promise<Link> {
  const json = await netns.ip(['-j', 'link', 'show', 'dev', name], `inspect ${name}`, signal);
  return (JSON.parse(json) as Link[])[0] as Link;
}

/**
 * Two network namespaces joined by a veth pair, `a` in one and `b` in the other, both up, with IPv4
 * addresses 10.199.0.1/24 and .2/24, IPv6 off and permanent neighbour entries (so that no router
 * solicitation, DAD or ARP frame disturbs exact counts), and the receive mode applied to both ends. Names start with `pr-xl-`. Always cleaned up:
 * close() (or `await using`), the signal, and on process exit or SIGINT/SIGTERM/SIGHUP.
 *
 * Inject on `a` (`inject({ netns: topology.a.netns, ifindex: topology.a.name, ... })`): XDP_TX frames leave
 * through `a` and arrive at `b`; XDP_PASS frames enter `a`'s stack.
 *
 * Its fds are those of its two {@link Netns} and of the receive programs' {@link XdpLink}s, each an
 * {@link FdOwner} with its own safety net: a topology collected without close() has them closed, with a
 * `PROGRUN_FD_LEAK` warning, and its namespaces deleted at process exit.
 *
 * Needs CAP_SYS_ADMIN and CAP_NET_ADMIN, iproute2 (and ethtool for `'gro'`). Minimum kernel: 5.9 for
 * `'xdp-*'` (BPF links for XDP), 5.13 for `'gro'`.
 */
export class VethTopology implements AsyncDisposable {
  readonly a: VethEnd;
  readonly b: VethEnd;
  readonly receive: ReceiveMode;
  readonly #links: readonly XdpLink[];
  #closing: Promise<void> | undefined;
  #onAbort: (() => void) | undefined;
  readonly #signal: AbortSignal | undefined;

  private constructor(
    a: VethEnd,
    b: VethEnd,
    receive: ReceiveMode,
    links: readonly XdpLink[],
    signal?: AbortSignal,
  ) {
    this.a = a;
    this.b = b;
    this.receive = receive;
    this.#links = links;
    this.#signal = signal;
    if (signal) {
      this.#onAbort = () => {
        this.close().catch(() => undefined);
      };
      signal.addEventListener('abort', this.#onAbort, { once: true });
    }
  }

  /**
   * Creates the topology.
   * @throws {ValidationError} for options that are not an object, a signal that is not an AbortSignal or
   *   `queues` out of range, before anything is created.
   * @throws {CommandError} when iproute2 or ethtool fail; {@link BpfError} when the XDP_PASS programs
   *   cannot be loaded or attached; the signal's reason when aborted. Nothing is left behind.
   */
  static async create(options: VethTopologyOptions = {}): Promise<VethTopology> {
    objectArgument('options', options, 'an options object');
    const signal = signalArgument('options.signal', options.signal);
    const receive = options.receive ?? 'xdp-pass';
    const queues = String(queueCount(options.queues));
    const queueArgs = ['numtxqueues', queues, 'numrxqueues', queues];
    const token = (process.pid * 64 + (sequence++ % 64)).toString(36);
    const names = { a: `${NAME_PREFIX}${token}a`, b: `${NAME_PREFIX}${token}b` };
    const spaces: Netns[] = [];
    const links: XdpLink[] = [];
    try {
      const nsA = await Netns.create({ ...(signal ? { signal } : {}) });
      spaces.push(nsA);
      const nsB = await Netns.create({ ...(signal ? { signal } : {}) });
      spaces.push(nsB);
      for (const ns of spaces) {
        await ns.exec(
          'sysctl',
          ['-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1'],
          `turn IPv6 off in ${ns.name}`,
          signal,
        );
      }
      await nsA.ip(
        [
          ...['link', 'add', 'name', names.a, ...queueArgs, 'type', 'veth'],
          ...['peer', 'name', names.b, ...queueArgs, 'netns', nsB.name],
        ],
        `create veth pair ${names.a}/${names.b}`,
        signal,
      );
      const ends = [
        { ns: nsA, name: names.a, ip: `${SUBNET}.1` },
        { ns: nsB, name: names.b, ip: `${SUBNET}.2` },
      ];
      for (const end of ends) {
        if (options.mtu !== undefined) {
          await end.ns.ip(
            ['link', 'set', 'dev', end.name, 'mtu', String(options.mtu)],
            `set MTU of ${end.name}`,
            signal,
          );
        }
        await end.ns.ip(['addr', 'add', `${end.ip}/24`, 'dev', end.name], `address ${end.name}`, signal);
        await end.ns.ip(['link', 'set', 'dev', end.name, 'up'], `bring ${end.name} up`, signal);
        await end.ns.ip(['link', 'set', 'dev', 'lo', 'up'], `bring lo up in ${end.ns.name}`, signal);
        if (receive === 'gro') {
          await end.ns.exec('ethtool', ['-K', end.name, 'gro', 'on'], `enable GRO on ${end.name}`, signal);
        }
      }
      const resolved: VethEnd[] = [];
      for (const end of ends) {
        const link = await showLink(end.ns, end.name, signal);
        resolved.push({
          netns: end.ns,
          name: end.name,
          ifindex: link.ifindex,
          mac: link.address,
          ipv4: end.ip,
        });
      }
      // Permanent neighbours: no ARP exchange ever adds a frame to the counters.
      for (const [end, other] of [
        [resolved[0], resolved[1]],
        [resolved[1], resolved[0]],
      ] as [VethEnd, VethEnd][]) {
        await end.netns.ip(
          ['neigh', 'replace', other.ipv4, 'lladdr', other.mac, 'dev', end.name, 'nud', 'permanent'],
          `add a permanent neighbour on ${end.name}`,
          signal,
        );
      }
      if (receive === 'xdp-pass' || receive === 'xdp-drop') {
        using program = loadReceiveProgram(receive === 'xdp-pass' ? 'pass' : 'drop');
        for (const end of resolved) {
          links.push(
            XdpLink.attach(
              end.netns.fd,
              end.ifindex,
              program.fd,
              XDP_FLAGS_DRV_MODE,
              `the ${receive} receive program to ${end.name}`,
            ),
          );
        }
      }
      signal?.throwIfAborted();
      return new VethTopology(resolved[0] as VethEnd, resolved[1] as VethEnd, receive, links, signal);
    } catch (error) {
      for (const link of links) link.close();
      for (const ns of spaces) await ns.close().catch(() => undefined);
      throw error;
    }
  }

  /** The device and peer for statistics of frames sent out of `from` toward the other end. */
  path(from: 'a' | 'b'): { readonly transmit: VethEnd; readonly receive: VethEnd } {
    return from === 'a' ? { transmit: this.a, receive: this.b } : { transmit: this.b, receive: this.a };
  }

  /** Whether frames sent out of `from` by XDP_TX/XDP_REDIRECT can arrive at the other end. */
  checkReceive(from: 'a' | 'b', frameLength?: number): Promise<ReceiveReadiness> {
    const { transmit, receive } = this.path(from);
    return checkXdpReceive(transmit, { peer: receive, ...(frameLength ? { frameLength } : {}) });
  }

  /** True once close() ran. */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /**
   * Detaches the receive programs and deletes both namespaces (and with them the veth pair). Idempotent:
   * later calls (and the signal's abort) share the first call's promise.
   * @throws {CommandError} when a namespace cannot be deleted (it is retried at process exit).
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    if (this.#onAbort) this.#signal?.removeEventListener('abort', this.#onAbort);
    for (const link of this.#links) link.close();
    const results = await Promise.allSettled([this.a.netns.close(), this.b.netns.close()]);
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
