import { packetChanges, type RunRecord } from '../render/run-report.js';

/** The paths of the packet fields a run changed (`eth.dst`, `ipv4.ttl`, `-vlan`), in packet order. */
export function changedPaths(record: RunRecord): string[] {
  return packetChanges(record).map((change) => change.path);
}
