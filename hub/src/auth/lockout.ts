import type { Clock } from '../clock.ts';

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

interface Entry {
  failures: number;
  lastFailure: number;
  lockedUntil: number;
}

/**
 * Failed sign-ins per key (`user:<name>`, `ip:<address>`) with exponential backoff: after `freeAttempts`
 * failures, each further failure locks the key for base·2^k, capped. A locked key is refused before any
 * password is hashed, so a guessing storm costs the hub nothing. In memory: a restart forgets the counts
 * (the lock is a brake on guessing, not a record; the audit log keeps every attempt).
 */
export class Lockout {
  private entries = new Map<string, Entry>();

  constructor(
    private readonly clock: Clock,
    private readonly policy: LockoutPolicy = DEFAULT_LOCKOUT,
    private readonly maxKeys = 100_000,
  ) {}

  /** Milliseconds until `key` may try again (0: now). */
  retryAfterMs(key: string): number {
    const e = this.entries.get(key);
    if (!e) return 0;
    const now = this.clock.now();
    if (now - e.lastFailure > this.policy.forgetMs) {
      this.entries.delete(key);
      return 0;
    }
    return Math.max(0, e.lockedUntil - now);
  }

  /** Records a failure; answers whether it locked the key. */
  fail(key: string): boolean {
    const now = this.clock.now();
    const prior = this.entries.get(key);
    const e =
      prior && now - prior.lastFailure <= this.policy.forgetMs
        ? prior
        : { failures: 0, lastFailure: now, lockedUntil: 0 };
    e.failures++;
    e.lastFailure = now;
    const over = e.failures - this.policy.freeAttempts;
    if (over >= 0) {
      e.lockedUntil = now + Math.min(this.policy.maxLockMs, this.policy.baseLockMs * 2 ** Math.min(over, 30));
    }
    this.entries.set(key, e);
    if (this.entries.size > this.maxKeys) this.prune(now);
    return over >= 0;
  }

  succeed(key: string): void {
    this.entries.delete(key);
  }

  private prune(now: number): void {
    for (const [key, e] of this.entries) {
      if (now - e.lastFailure > this.policy.forgetMs || e.lockedUntil < now) this.entries.delete(key);
    }
  }
}
