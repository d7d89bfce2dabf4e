/**
 * Remembers the last few (seq, ts) pairs of each device to drop QoS 1 redeliveries and replays at once.
 * Older repeats are still caught by the store, which keys heartbeats on (device, ts, seq).
 * A fixed ring of numbers per device: no string keys or array shifts on the hot path.
 */
export class RecentSeqs {
  private readonly perDevice = new Map<string, { seqs: Float64Array; tss: Float64Array; next: number }>();

  constructor(private readonly depth = 32) {}

  /** Returns false if (seq, ts) was seen recently for this device. */
  add(deviceId: string, seq: number, ts: number): boolean {
    let ring = this.perDevice.get(deviceId);
    if (!ring) {
      ring = { seqs: new Float64Array(this.depth).fill(-1), tss: new Float64Array(this.depth), next: 0 };
      this.perDevice.set(deviceId, ring);
    }
    for (let i = 0; i < this.depth; i++) {
      if (ring.seqs[i] === seq && ring.tss[i] === ts) return false;
    }
    ring.seqs[ring.next] = seq;
    ring.tss[ring.next] = ts;
    ring.next = (ring.next + 1) % this.depth;
    return true;
  }
}
