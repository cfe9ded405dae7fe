import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { compileBpfC } from '@progrun/compile';
import { skLookup } from '@progrun/ctx-builders';
import { type BpfMap, BpfObject, type Program } from '@progrun/syscall';
import { requireFeature, testRunFeature } from '@progrun/syscall/features';
import { SK_DROP, SK_PASS } from '@progrun/uapi';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';

const steeredPort = 7777;
const slot = Buffer.alloc(4);

describe('sk-lookup: steers connections for a set of ports to one listening socket', {
  tags: ['privileged'],
}, () => {
  let object: BpfObject;
  let program: Program;
  let ports: BpfMap;
  let sockets: BpfMap;
  let server: Server;

  // SK_LOOKUP test runs need Linux 5.13: older kernels skip, newer ones that lack it fail.
  const feature = testRunFeature('SK_LOOKUP');
  beforeEach((t) => {
    requireFeature(t, feature);
  });

  beforeAll(async () => {
    if (feature.probe().status !== 'supported') return; // each test then skips or fails, saying why
    const { objectPath } = await compileBpfC(new URL('./sk-lookup.bpf.c', import.meta.url));
    object = BpfObject.open(objectPath).load();
    program = object.program('steer_to_service').toProgram();
    ports = object.map('service_ports').toMap();
    sockets = object.map('service_socket').toMap();
    const port = Buffer.alloc(2);
    port.writeUInt16LE(steeredPort, 0);
    ports.update(port, Buffer.from([1]));
    // The service: a real listening TCP socket on an ephemeral port.
    server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
  });

  afterAll(() => {
    server?.close();
    sockets?.close();
    ports?.close();
    program?.close();
    object?.close();
  });

  /** Puts the server's socket (its fd, which Node keeps on the handle) into the SOCKMAP; returns its cookie. */
  function storeServerSocket(): bigint {
    const fd = (server as unknown as { _handle: { fd: number } })._handle.fd;
    const value = Buffer.alloc(8);
    value.writeBigUInt64LE(BigInt(fd), 0);
    sockets.update(slot, value);
    return sockets.lookup(slot)!.readBigUInt64LE(0);
  }

  function lookup(options: Parameters<typeof skLookup>[0]) {
    const { retval, ctx } = program.run(
      skLookup({ remote_ip: '127.0.0.1', remote_port: 50000, local_ip: '127.0.0.1', ...options }),
    );
    return { retval, selected: ctx?.cookie };
  }

  test('a steered port gets the service socket, whatever port the socket listens on', () => {
    const cookie = storeServerSocket();
    expect(cookie).toBeGreaterThan(0n);
    expect(lookup({ protocol: 'tcp', local_port: steeredPort })).toEqual({
      retval: SK_PASS,
      selected: cookie,
    });
  });

  test('other ports and UDP take the normal lookup', () => {
    storeServerSocket();
    expect(lookup({ protocol: 'tcp', local_port: 8080 })).toEqual({ retval: SK_PASS, selected: 0n });
    expect(lookup({ protocol: 'udp', local_port: steeredPort })).toEqual({ retval: SK_PASS, selected: 0n });
  });

  test('with no socket stored the steered port is refused', () => {
    sockets.delete(slot);
    expect(lookup({ protocol: 'tcp', local_port: steeredPort })).toEqual({ retval: SK_DROP, selected: 0n });
  });

  test('an IPv6 lookup cannot be given an IPv4-only socket: refused', () => {
    storeServerSocket();
    const result = lookup({
      family: 'ipv6',
      protocol: 'tcp',
      remote_ip: '::1',
      local_ip: '::1',
      local_port: steeredPort,
    });
    expect(result).toEqual({ retval: SK_DROP, selected: 0n });
  });
});
