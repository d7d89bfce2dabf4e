/**
 * Bare aedes, the same version the hub uses, on loopback: authenticate accepts everyone and nothing else
 * is hooked, so it is the best MQTT fan-in the hub's broker could reach on this machine.
 * Tells the parent its port over IPC and exits when the parent goes away.
 *
 * Plain JavaScript run by plain `node` (no tsx loader), as the hub runs compiled (`node hub/dist/server.js`),
 * so their RSS compares like for like (issue 15).
 */
import net from 'node:net';
import { Aedes } from 'aedes';

const broker = await Aedes.createBroker({
  authenticate: (_client, _username, _password, done) => done(null, true),
});
const server = net.createServer(broker.handle);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: address.port });
});
const shutdown = () => {
  server.close();
  broker.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
};
process.on('disconnect', shutdown);
process.on('SIGTERM', shutdown);
