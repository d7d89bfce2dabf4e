/**
 * Per-socket budgets of one dashboard connection (finding 2: one socket sent 100 `devices:filter` and got
 * 101 full snapshots, 72 MB in 2.2 s, and devices' PUBACKs waited 1.5 s). Two token buckets on the
 * injected clock: one for every event the client sends, one for the full snapshots the hub sends it.
 * An event past its budget is refused (acknowledged with an error) and counted; a snapshot past its
 * budget is owed, not sent: the next flush sends one snapshot of the latest filter when the budget allows,
 * so a hundred filters in a burst cost a few snapshots, and the client still ends on the one it asked last.
 */
export interface SocketLimits {
  /** Events a socket may send in a burst, and per second after it. */
  eventBurst: number;
  eventsPerS: number;
  /** Full snapshots a socket may receive in a burst, and per second after it. */
  snapshotBurst: number;
  snapshotsPerS: number;
}

export const DEFAULT_SOCKET_LIMITS: SocketLimits = {
  eventBurst: 20,
  eventsPerS: 2,
  snapshotBurst: 3,
  snapshotsPerS: 0.5,
};

class Bucket {
  private tokens: number;
  private at: number;

  constructor(
    private readonly burst: number,
    private readonly perS: number,
    now: number,
  ) {
    this.tokens = burst;
    this.at = now;
  }

  private refill(now: number): void {
    this.tokens = Math.min(this.burst, this.tokens + (Math.max(0, now - this.at) / 1000) * this.perS);
    this.at = now;
  }

  take(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export class SocketBudget {
  private readonly events: Bucket;
  private readonly snapshots: Bucket;
  /** A snapshot was asked for but not sent yet (over budget): the flush sends it when it may. */
  owed = false;

  constructor(limits: SocketLimits, now: number) {
    this.events = new Bucket(limits.eventBurst, limits.eventsPerS, now);
    this.snapshots = new Bucket(limits.snapshotBurst, limits.snapshotsPerS, now);
  }

  takeEvent(now: number): boolean {
    return this.events.take(now);
  }

  /** True: send the snapshot now. False: it is owed and `owed` is set. */
  takeSnapshot(now: number): boolean {
    if (this.snapshots.take(now)) {
      this.owed = false;
      return true;
    }
    this.owed = true;
    return false;
  }
}
