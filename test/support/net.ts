import net from 'node:net';

/**
 * A loopback port nobody listens on right now: for servers that cannot listen on port 0
 * (influxd, mosquitto) and for "the hub is down" cases. Prefer port 0 where the server allows it.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
