import type { Duplex } from 'node:stream';

/**
 * Watches the MQTT framing of a connection and reports the first packet whose declared length exceeds
 * `maxBytes`, before the broker buffers it: a client announcing a 200 MiB PUBLISH is cut off after its
 * fixed header, not after the hub has allocated the payload. Only the fixed headers are read; payload
 * bytes are skipped by count.
 */
export class PacketSizeGuard {
  /** Bytes of the current packet's body still to skip. */
  private skip = 0;
  /** Inside a fixed header: 0 = expecting the type byte, 1..4 = reading the length varint. */
  private headerByte = 0;
  private length = 0;
  private multiplier = 1;

  constructor(private readonly maxBytes: number) {}

  /** Feeds a chunk; returns the offending declared length, or null while everything is within bounds. */
  feed(chunk: Buffer): number | null {
    let i = 0;
    while (i < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - i);
        this.skip -= n;
        i += n;
        continue;
      }
      const byte = chunk[i++]!;
      if (this.headerByte === 0) {
        this.headerByte = 1;
        this.length = 0;
        this.multiplier = 1;
        continue;
      }
      this.length += (byte & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      if (byte & 0x80) {
        // A fifth length byte is malformed; let the broker's parser reject it.
        if (++this.headerByte > 4) return null;
        continue;
      }
      this.headerByte = 0;
      if (this.length > this.maxBytes) return this.length;
      this.skip = this.length;
    }
    return null;
  }
}

/** Attaches a guard to a socket: on an oversized packet the socket is destroyed and `onOversized` told. */
export function guardPacketSize(
  socket: Duplex,
  maxBytes: number,
  onOversized: (declared: number) => void,
): void {
  const guard = new PacketSizeGuard(maxBytes);
  socket.on('data', (chunk: Buffer) => {
    const declared = guard.feed(chunk);
    if (declared !== null) {
      onOversized(declared);
      socket.destroy();
    }
  });
}
