import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';

/** This node's latest reading of the node leases (./leases.ts). */
export interface LeaseView {
  /** The living node with the smallest id, as last read. */
  leader: string;
  /** When the leases were last read, on this node's clock. */
  readAt: number;
}

/** Why the leadership changed, in the log line and to listeners' logs. */
export type LeadershipReason = 'settled' | 'smaller node alive' | 'lease lost';

export interface LeadershipOptions {
  nodeId: string;
  view: () => LeaseView;
  clock: Clock;
  /** How long this node must have been the smallest living id, between two readings, before it leads. */
  settleMs: number;
  /**
   * A node that has not read the leases this long steps down: it cannot know who else is alive, and the
   * others count it dead (their `leaseMs`, HUB_CLUSTER_LEASE_MS) and settle on a new leader after that.
   */
  leaseMs: number;
  log?: Logger;
  checkMs?: number;
}

/**
 * Which node does the cluster's once-only duties (alert evaluation and delivery, bot replies, probe
 * configs): the leader, the living node with the smallest id (`NodeLeases.leader()`, the same node that
 * acts for devices no living node holds). Checked every `checkMs`; duties start on the node that becomes
 * leader and stop on the one that is no longer. A sole node (no cluster) is always the leader.
 *
 * Settling is measured between readings of the leases, not on the clock alone: a node leads only once a
 * reading made `settleMs` after the first one that showed it smallest still shows it smallest. Measured on
 * the clock, a node whose settle ended just before its next reading led on a stale view, and stepped down
 * at that reading when it saw a smaller node that had joined meanwhile (the "now the leader" / "no longer
 * the leader" pairs 0.3–1 s apart at startup). A node joining with a smaller id than the current leader's
 * waits `settleMs` (more than a lease renewal period), so that leader has read its lease and stepped down
 * first; a leader steps down at once, and also when it could not read the leases for `leaseMs`.
 */
export class Leadership {
  private timer: NodeJS.Timeout | undefined;
  private leading: boolean;
  /** The reading (its time) that first showed this node smallest, since it last was not. */
  private smallestSince: number | undefined;
  private readonly listeners: Array<(leading: boolean) => void> = [];

  constructor(private readonly options: LeadershipOptions) {
    // A sole node (settleMs 0) leads from the start; a cluster node once it has settled.
    this.leading = options.settleMs === 0 && options.view().leader === options.nodeId;
  }

  /** A node that is its own cluster: leads from the start, for good. */
  static sole(): Leadership {
    return new Leadership({
      nodeId: 'sole',
      view: () => ({ leader: 'sole', readAt: 0 }),
      clock: { now: () => 0 },
      settleMs: 0,
      leaseMs: Number.POSITIVE_INFINITY,
    });
  }

  get isLeader(): boolean {
    return this.leading;
  }

  /** Called with `true` when this node becomes the leader, `false` when it stops being it. */
  onChange(listener: (leading: boolean) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.check(), this.options.checkMs ?? 250);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Looks now (the timer calls it; tests may). */
  check(): void {
    const { nodeId, view, clock, settleMs, leaseMs } = this.options;
    const { leader, readAt } = view();
    const lost = clock.now() - readAt >= leaseMs;
    const smallest = leader === nodeId && !lost;
    if (!smallest) this.smallestSince = undefined;
    else this.smallestSince ??= readAt;
    const now = smallest && readAt - (this.smallestSince ?? readAt) >= settleMs;
    if (now === this.leading) return;
    this.leading = now;
    const reason: LeadershipReason = now ? 'settled' : lost ? 'lease lost' : 'smaller node alive';
    this.options.log?.warn(
      { node: nodeId, leading: now, reason, leader, leasesReadAt: new Date(readAt).toISOString() },
      `node ${nodeId} is ${now ? 'now' : 'no longer'} the leader (${reason})`,
    );
    for (const listener of this.listeners) {
      try {
        listener(now);
      } catch (err) {
        this.options.log?.error({ err }, 'a duty failed to follow the leadership');
      }
    }
  }
}
