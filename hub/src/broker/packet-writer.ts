import { createRequire } from 'node:module';

/**
 * mqtt-packet, the packet writer aedes uses, builds a table of 65,536 two-byte Buffers (every MQTT
 * message id / length as bytes) the first time it writes any packet: `writeToStream` → `generateCache()`.
 * That is 70–100 ms of the event loop on this project's 2-core machine, and ≈ 6 MB of heap it keeps.
 *
 * Found with the storm bench (issue 14; BENCHMARKS.md "the 100 ms stall"): the hub's one unexplained
 * event-loop stall of 95–148 ms per run was this table being built under the first CONNACK aedes wrote
 * (a storm refusal, or a real device's), and every real device connecting in that moment waited for it.
 * So the table is built when the broker starts, before it listens, not on a device's CONNACK.
 *
 * Resolved from aedes' own location, so it is the very copy of mqtt-packet aedes writes with.
 */
interface PacketWriter {
  writeToStream(packet: { cmd: string }, stream: { write(chunk: Uint8Array): boolean }): boolean;
}

function aedesPacketWriter(): PacketWriter {
  const here = createRequire(import.meta.url);
  return createRequire(here.resolve('aedes'))('mqtt-packet') as PacketWriter;
}

/** Builds mqtt-packet's number table now (a throwaway PINGRESP written to nowhere). Idempotent. */
export function warmPacketWriter(writer: PacketWriter = aedesPacketWriter()): void {
  writer.writeToStream({ cmd: 'pingresp' }, { write: () => true });
}
