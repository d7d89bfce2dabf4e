import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';

/**
 * Which node does the cluster's once-only duties (alert evaluation and delivery, bot replies, probe
 * configs): the leader, the living node with the smallest id (`NodeLeases.leader()`, the same node that
 * acts for devices no living node holds). Checked every `checkMs`; duties start on the node that becomes
 * leader and stop on the one that is no longer. A sole node (no cluster) is always the leader.
 *
 * A node takes the lead only once it has been the smallest living id for `settleMs` (more than a lease
 * renewal period): a node joining with a smaller id than the current leader's waits until that leader has
 * read its lease and stepped down, so two nodes never evaluate at once. It steps down at once.
 */
export class Leadership {
  private timer: NodeJS.Timeout | undefined;
  private leading: boolean;
  private smallestSince: number | undefined;
  private readonly listeners: Array<(leading: boolean) => void> = [];

  constructor(
    private readonly isLeaderNow: () => boolean,
    private readonly clock: Clock,
    private readonly settleMs: number,
    private readonly log: Logger | undefined,
    private readonly checkMs = 250,
  ) {
    // A sole node (settleMs 0) leads from the start; a cluster node once it has settled.
    this.leading = settleMs === 0 && isLeaderNow();
  }

  /** A node that is its own cluster: leads from the start, for good. */
  static sole(): Leadership {
    return new Leadership(() => true, { now: () => 0 }, 0, undefined);
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
    this.timer = setInterval(() => this.check(), this.checkMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Looks now (the timer calls it; tests may). */
  check(): void {
    const smallest = this.isLeaderNow();
    const at = this.clock.now();
    if (!smallest) this.smallestSince = undefined;
    else this.smallestSince ??= at;
    const now = smallest && at - (this.smallestSince ?? at) >= this.settleMs;
    if (now === this.leading) return;
    this.leading = now;
    this.log?.warn(
      { leading: now },
      now ? 'this node is now the leader' : 'this node is no longer the leader',
    );
    for (const listener of this.listeners) {
      try {
        listener(now);
      } catch (err) {
        this.log?.error({ err }, 'a duty failed to follow the leadership');
      }
    }
  }
}
