import net from 'node:net';
import { Aedes } from 'aedes';

/** A plain aedes broker on a free loopback port, with every publication recorded (tests only). */
export async function startBroker() {
  const broker = await Aedes.createBroker();
  const published: { topic: string; payload: string; retain: boolean; clientId: string | undefined }[] = [];
  broker.on('publish', (packet, client) => {
    if (packet.topic.startsWith('$SYS')) return;
    published.push({
      topic: packet.topic,
      payload: packet.payload.toString(),
      retain: packet.retain,
      clientId: client?.id,
    });
  });
  const server = net.createServer(broker.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    broker,
    published,
    url: `mqtt://127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((resolve) => broker.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
