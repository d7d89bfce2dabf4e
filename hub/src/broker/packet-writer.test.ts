import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { startTestHub } from '../../../test/support/hub.ts';
import { warmPacketWriter } from './packet-writer.ts';

/** mqtt-packet's table of message-id bytes, in the copy aedes writes with (./packet-writer.ts). */
function numberTableSize(): number {
  const fromAedes = createRequire(createRequire(import.meta.url).resolve('aedes'));
  const numbers = fromAedes('mqtt-packet/numbers.js') as { cache: Record<number, Buffer> };
  return Object.keys(numbers.cache).length;
}

describe('packet writer warm-up (issue 14: the storm bench`s 95–148 ms stall)', () => {
  it('the hub builds mqtt-packet`s number table when its broker starts, not on a device`s first CONNACK', async () => {
    // Each test file runs in a fresh process (vitest forks pool): nothing has written an MQTT packet yet.
    expect(numberTableSize()).toBe(0);
    const hub = await startTestHub();
    try {
      // No device has connected: the table is already there, so no CONNACK builds it.
      expect(numberTableSize()).toBe(65_536);
    } finally {
      await hub.close();
    }
  });

  it('writes one throwaway PINGRESP, to a stream that keeps nothing', () => {
    const writes: Array<{ cmd: string; kept: boolean }> = [];
    warmPacketWriter({
      writeToStream: (packet, stream) => {
        writes.push({ cmd: packet.cmd, kept: stream.write(Buffer.from([0xd0, 0])) });
        return true;
      },
    });
    expect(writes).toEqual([{ cmd: 'pingresp', kept: true }]);
  });
});
