import { eth } from '@progrun/ctx-builders';

/** A 64-byte UDP frame, 10.199.0.1 -> 10.199.0.2 (the addresses of a VethTopology). */
export function udpFrame(options: { dstMac?: string; payload?: string; dport?: number } = {}): Uint8Array {
  const payload = options.payload ?? 'progrun xdp-live';
  return eth({ ...(options.dstMac ? { dst: options.dstMac } : {}) })
    .ipv4({ src: '10.199.0.1', dst: '10.199.0.2', ttl: 64 })
    .udp({ sport: 40000, dport: options.dport ?? 9 })
    .payload(payload)
    .build();
}
