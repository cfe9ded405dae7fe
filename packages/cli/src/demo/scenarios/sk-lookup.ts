import { once } from 'node:events';
import { createServer } from 'node:net';
import { verdictOf } from '../../render/run-report.js';
import { type DemoCase, type DemoScenario, Expectations } from '../demo-scenario.js';

const steeredPort = 7777;

/**
 * The sk_lookup steering program with a real listening socket: connections to port 7777 are given the
 * socket in the SOCKMAP (its cookie comes back in the context), other ports take the normal lookup, and
 * with the socket gone the steered port is refused.
 */
export const skLookupScenario: DemoScenario = {
  example: 'sk-lookup',
  program: 'steer_to_service',
  title: 'sk_lookup (socket steering)',
  testRunType: 'SK_LOOKUP',
  async run({ object, run }) {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      // The listening socket's descriptor: Node keeps it on the server's handle.
      const fd = (server as unknown as { _handle?: { fd?: number } })._handle?.fd;
      if (typeof fd !== 'number' || fd < 0)
        throw new Error('the listening socket has no file descriptor to put in the SOCKMAP');
      using ports = object.map('service_ports').toMap();
      using sockets = object.map('service_socket').toMap();
      const port = Buffer.alloc(2);
      port.writeUInt16LE(steeredPort, 0);
      ports.update(port, Buffer.from([1]));
      const slot = Buffer.alloc(4);
      const socketFd = Buffer.alloc(8);
      socketFd.writeBigUInt64LE(BigInt(fd), 0);
      sockets.update(slot, socketFd);
      // A SOCKMAP lookup from user space returns the socket's cookie.
      const cookie = sockets.lookup(slot)?.readBigUInt64LE(0);

      const ctxFor = (localPort: number) => ({
        protocol: 'tcp',
        remote_ip: '127.0.0.1',
        remote_port: 50000,
        local_ip: '127.0.0.1',
        local_port: localPort,
      });
      const cases: DemoCase[] = [];
      const steered = run({ ctx: ctxFor(steeredPort), origin: `TCP to port ${steeredPort}` });
      cases.push({
        input: `TCP to port ${steeredPort}`,
        record: steered,
        summary: `socket assigned (cookie ${String(steered.outputs.ctx?.cookie)})`,
        problems: new Expectations()
          .equal('the verdict', verdictOf(steered), 'SK_PASS')
          .equal('the selected socket cookie', steered.outputs.ctx?.cookie, cookie).problems,
      });

      const other = run({ ctx: ctxFor(8080), origin: 'TCP to port 8080' });
      cases.push({
        input: 'TCP to port 8080',
        record: other,
        summary: 'normal socket lookup',
        problems: new Expectations()
          .equal('the verdict', verdictOf(other), 'SK_PASS')
          .equal('the selected socket cookie', other.outputs.ctx?.cookie, 0).problems,
      });

      sockets.delete(slot);
      const down = run({ ctx: ctxFor(steeredPort), origin: `TCP to port ${steeredPort}, no socket` });
      cases.push({
        input: `port ${steeredPort}, socket gone`,
        record: down,
        summary: 'refused: the service is down',
        problems: new Expectations().equal('the verdict', verdictOf(down), 'SK_DROP').problems,
      });
      return cases;
    } finally {
      server.close();
    }
  },
};
