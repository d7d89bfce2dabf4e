/**
 * Remembers the last few (seq, ts) pairs of each device to drop QoS 1 redeliveries and replays at once.
 * Older repeats are still caught by the store, which keys heartbeats on (device, ts, seq).
 */
export class RecentSeqs {
  private readonly perDevice = new Map<string, string[]>();

  constructor(private readonly depth = 32) {}

  /** Returns false if (seq, ts) was seen recently for this device. */
  add(deviceId: string, seq: number, ts: number): boolean {
    const key = `${seq}:${ts}`;
    let list = this.perDevice.get(deviceId);
    if (!list) {
      list = [];
      this.perDevice.set(deviceId, list);
    }
    if (list.includes(key)) return false;
    list.push(key);
    if (list.length > this.depth) list.shift();
    return true;
  }
}
