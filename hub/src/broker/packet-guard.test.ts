import mqttPacket from 'mqtt-packet';
import { describe, expect, it } from 'vitest';
import { PacketSizeGuard } from './packet-guard.ts';

const publish = (bytes: number) =>
  mqttPacket.generate({
    cmd: 'publish',
    topic: 'commune/v1/a/hb',
    payload: Buffer.alloc(bytes, 0x61),
    qos: 1,
    messageId: 1,
    retain: false,
    dup: false,
  });

describe('PacketSizeGuard', () => {
  it('passes a stream of packets within the bound, split at any byte', () => {
    const stream = Buffer.concat([publish(10), publish(4000), publish(0), publish(200)]);
    for (const cut of [1, 2, 3, 7, 100, stream.length]) {
      const guard = new PacketSizeGuard(8192);
      for (let i = 0; i < stream.length; i += cut) expect(guard.feed(stream.subarray(i, i + cut))).toBeNull();
    }
  });

  it('reports an oversized packet from its fixed header alone', () => {
    const header = publish(300_000).subarray(0, 5);
    const guard = new PacketSizeGuard(8192);
    expect(guard.feed(Buffer.concat([publish(5), header]))).toBeGreaterThan(300_000);
  });
});
