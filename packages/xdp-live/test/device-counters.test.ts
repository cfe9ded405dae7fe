import { expect, test } from 'vitest';
import { parseEthtoolStats } from '../src/stats/device-counters.js';

test('ethtool -S text becomes counters by name', () => {
  const text = `NIC statistics:
     peer_ifindex: 2
     rx_queue_0_xdp_packets: 1000
     tx_queue_0_xdp_xmit: 998
     tx_queue_0_xdp_xmit_errors: 2
`;
  expect(parseEthtoolStats(text)).toEqual({
    peer_ifindex: 2,
    rx_queue_0_xdp_packets: 1000,
    tx_queue_0_xdp_xmit: 998,
    tx_queue_0_xdp_xmit_errors: 2,
  });
});
