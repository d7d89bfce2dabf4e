import type { Clock } from '../clock.ts';
import type { AuthStore } from './store.ts';

export interface LockoutPolicy {
  /** Failures allowed before the first lock. */
  freeAttempts: number;
  /** The first lock; each further failure doubles it, up to `maxLockMs`. */
  baseLockMs: number;
  maxLockMs: number;
  /** A key with no failure for this long starts again from zero. */
  forgetMs: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = {
  freeAttempts: 5,
  baseLockMs: 1_000,
  maxLockMs: 15 * 60_000,
  forgetMs: 60 * 60_000,
};

/** What the lockout needs of a store: atomic failure counts per key (./store.ts's AuthStore has them). */
export type FailureCounts = Pick<AuthStore, 'addFailure' | 'failures' | 'clearFailures' | 'pruneFailures'>;

/** How long a key with `failures` failures in a row is locked after its last one (0: not locked). */
export function lockMs(failures: number, policy: LockoutPolicy): number {
  const over = failures - policy.freeAttempts;
  if (over < 0) return 0;
  return Math.min(policy.maxLockMs, policy.baseLockMs * 2 ** Math.min(over, 30));
}

/**
 * Failed sign-ins per key (`user:<name>`, `ip:<address>`) with exponential backoff: after `freeAttempts`
 * failures, each further failure locks the key for base·2^k, capped. A locked key is refused before any
 * password is hashed, so a guessing storm costs the hub nothing. The counts are stored (`auth_lockouts`,
 * in registry.db or, with HUB_DB=postgres, shared by every node): a restart does not reset them, and a
 * guesser spreading attempts over the nodes of a cluster is counted once. Only (failures, last failure)
 * is stored, added to by one atomic upsert; the lock is computed from them, so concurrent failures on
 * several nodes can neither be lost nor leave a lock shorter than their count calls for.
 */
export class Lockout {
  private lastPrune = 0;

  constructor(
    private readonly counts: FailureCounts,
    private readonly clock: Clock,
    private readonly policy: LockoutPolicy = DEFAULT_LOCKOUT,
  ) {}

  /** Milliseconds until `key` may try again (0: now). */
  async retryAfterMs(key: string): Promise<number> {
    const e = await this.counts.failures(key);
    if (!e) return 0;
    const now = this.clock.now();
    if (now - e.lastFailure > this.policy.forgetMs) return 0;
    return Math.max(0, e.lastFailure + lockMs(e.failures, this.policy) - now);
  }

  /** Records a failure; answers whether it locked the key. */
  async fail(key: string): Promise<boolean> {
    const now = this.clock.now();
    const { failures } = await this.counts.addFailure(key, now, this.policy.forgetMs);
    // Forgotten keys are dropped at most once per forget period, so the table stays as small as the storm.
    if (now - this.lastPrune > this.policy.forgetMs) {
      this.lastPrune = now;
      await this.counts.pruneFailures(now - this.policy.forgetMs);
    }
    return failures >= this.policy.freeAttempts;
  }

  async succeed(key: string): Promise<void> {
    await this.counts.clearFailures(key);
  }
}
