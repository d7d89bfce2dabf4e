import type { Logger } from '../logger.ts';

/**
 * Which node does the cluster's once-only duties (alert evaluation and delivery, bot replies, probe
 * configs): the leader, the living node with the smallest id (`NodeLeases.leader()`, the same node that
 * acts for devices no living node holds). Checked every `checkMs`; duties start on the node that becomes
 * leader and stop on the one that is no longer. A sole node (no cluster) is always the leader.
 */
export class Leadership {
  private timer: NodeJS.Timeout | undefined;
  private leading: boolean;
  private readonly listeners: Array<(leading: boolean) => void> = [];

  constructor(
    private readonly isLeaderNow: () => boolean,
    private readonly log: Logger | undefined,
    private readonly checkMs = 250,
  ) {
    this.leading = isLeaderNow();
  }

  /** A node that is its own cluster: leads from the start, for good. */
  static sole(): Leadership {
    return new Leadership(() => true, undefined);
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
    const now = this.isLeaderNow();
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
