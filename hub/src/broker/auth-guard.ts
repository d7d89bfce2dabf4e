/**
 * Budgets of wrong secrets per device id and per remote address (finding 4: at 500 wrong CONNECTs/s,
 * each a 9 ms scrypt, a real device waited 1.4 s for its CONNACK). Inside the budget a wrong secret costs
 * one hash; past it the id (or address) is blocked for a backoff that doubles from 1 s with each further
 * attempt, and its CONNECTs are refused before any hashing. A quiet window forgives the count.
 *
 * A blocked id does not lock its real device out: the broker accepts a secret it has already verified
 * (a SHA-256 comparison, no scrypt) before asking this guard, so only unknown secrets are refused.
 */
export interface AuthGuardLimits {
  perId: number;
  perAddress: number;
  backoffMaxMs: number;
  /** Failures older than this (with no new ones) are forgotten. */
  forgetAfterMs?: number;
}

interface Entry {
  failures: number;
  lastAt: number;
  blockedUntil: number;
  backoffMs: number;
}

const FIRST_BACKOFF_MS = 1000;
/** Entries are bounded: a storm from many addresses cannot grow the maps without limit. */
const MAX_ENTRIES = 100_000;

class Budget {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly allowed: number,
    private readonly backoffMaxMs: number,
    private readonly forgetAfterMs: number,
  ) {}

  private entry(key: string, now: number): Entry | undefined {
    const e = this.entries.get(key);
    if (e && now - e.lastAt > this.forgetAfterMs && now >= e.blockedUntil) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  /** True while the key is blocked; an attempt while blocked lengthens the block. */
  blocked(key: string, now: number): boolean {
    const e = this.entry(key, now);
    if (!e || e.failures < this.allowed) return false;
    if (now < e.blockedUntil) {
      e.lastAt = now;
      return true;
    }
    return false;
  }

  fail(key: string, now: number): void {
    let e = this.entry(key, now);
    if (!e) {
      if (this.entries.size >= MAX_ENTRIES) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
      e = { failures: 0, lastAt: now, blockedUntil: 0, backoffMs: 0 };
      this.entries.set(key, e);
    }
    e.failures += 1;
    e.lastAt = now;
    if (e.failures >= this.allowed) {
      e.backoffMs = Math.min(this.backoffMaxMs, e.backoffMs === 0 ? FIRST_BACKOFF_MS : e.backoffMs * 2);
      e.blockedUntil = now + e.backoffMs;
    }
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}

export type AuthGuardVerdict = 'hash' | 'blocked_id' | 'blocked_address';

export class AuthGuard {
  private readonly ids: Budget;
  private readonly addresses: Budget;

  constructor(limits: AuthGuardLimits) {
    const forget = limits.forgetAfterMs ?? Math.max(60_000, limits.backoffMaxMs * 2);
    this.ids = new Budget(limits.perId, limits.backoffMaxMs, forget);
    this.addresses = new Budget(limits.perAddress, limits.backoffMaxMs, forget);
  }

  /** Whether an unverified secret from this id and address may be hashed now. */
  verdict(id: string, address: string, now: number): AuthGuardVerdict {
    if (this.addresses.blocked(address, now)) return 'blocked_address';
    if (this.ids.blocked(id, now)) return 'blocked_id';
    return 'hash';
  }

  failed(id: string, address: string, now: number): void {
    this.ids.fail(id, now);
    this.addresses.fail(address, now);
  }

  /** The right secret: the id's count starts again (the address's does not: one good device must not launder a storm). */
  succeeded(id: string): void {
    this.ids.forget(id);
  }

  get tracked(): { ids: number; addresses: number } {
    return { ids: this.ids.size, addresses: this.addresses.size };
  }
}
