import type { Client } from 'aedes';

interface SubscribePacket {
  cmd: string;
  subscriptions?: Array<{ topic: string }>;
}

type PacketListener = (this: unknown, packet: SubscribePacket) => void;

/**
 * Refuses a SUBSCRIBE with more than `max` filters, or with the same filter twice, by closing the
 * connection before aedes sees it. MQTT 3.1.1 wants one SUBACK return code per filter, but aedes merges
 * repeated filters (12,000 filters got 10 codes, finding 12); a device needs one filter (its `cmd` topic),
 * so a huge or repetitive SUBSCRIBE is not a device's and there is no SUBACK that would be both honest and
 * cheap. The packet listener of aedes' parser is wrapped per connection (aedes has no hook before
 * its own de-duplication).
 */
export function guardClientSubscribes(
  client: Client,
  max: number,
  onRefused: (client: Client, filters: number) => void,
): void {
  const parser = (client as Client & { _parser?: NodeJS.EventEmitter })._parser;
  if (!parser) return;
  const listeners = parser.listeners('packet') as PacketListener[];
  parser.removeAllListeners('packet');
  parser.on('packet', function (this: unknown, packet: SubscribePacket) {
    if (packet.cmd === 'subscribe' && packet.subscriptions) {
      const topics = packet.subscriptions.map((s) => s.topic);
      if (topics.length > max || new Set(topics).size !== topics.length) {
        onRefused(client, topics.length);
        client.close();
        return;
      }
    }
    for (const listener of listeners) listener.call(this, packet);
  });
}
