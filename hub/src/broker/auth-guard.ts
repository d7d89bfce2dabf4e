/**
 * Budgets of wrong secrets per device id and per remote address (finding 4: at 500 wrong CONNECTs/s,
 * each a 9 ms scrypt, a real device waited 1.4 s for its CONNACK). Inside the budget a wrong secret costs
 * one hash; past it the id (or address) is blocked for a backoff that doubles from 1 s with each further
 * attempt, and its CONNECTs are refused before any hashing. A quiet window forgives the count.
 *
 * Hashes in flight count against the id's budget: at 500 CONNECTs/s a scrypt queue is seconds long, and a
 * budget that only counted finished hashes let every CONNECT that arrived meanwhile through to hash too.
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
  /** Hashes started for this key and not finished yet. */
  inFlight: number;
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
    if (e && e.inFlight === 0 && now - e.lastAt > this.forgetAfterMs && now >= e.blockedUntil) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  /** True while the key is blocked; an attempt while blocked lengthens the block. */
  blocked(key: string, now: number): boolean {
    const e = this.entry(key, now);
    if (!e) return false;
    // Hashes still running may all turn out wrong: they already use up the budget.
    if (e.failures < this.allowed && e.failures + e.inFlight >= this.allowed) return true;
    if (e.failures < this.allowed) return false;
    if (now < e.blockedUntil) {
      e.lastAt = now;
      return true;
    }
    // The backoff is over: one attempt at a time until it settles (a wrong one blocks again, doubled).
    return e.inFlight > 0;
  }

  private ensure(key: string, now: number): Entry {
    let e = this.entry(key, now);
    if (!e) {
      if (this.entries.size >= MAX_ENTRIES) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
      e = { failures: 0, lastAt: now, blockedUntil: 0, backoffMs: 0, inFlight: 0 };
      this.entries.set(key, e);
    }
    return e;
  }

  begin(key: string, now: number): void {
    const e = this.ensure(key, now);
    e.inFlight += 1;
    e.lastAt = now;
  }

  end(key: string): void {
    const e = this.entries.get(key);
    if (e && e.inFlight > 0) e.inFlight -= 1;
  }

  fail(key: string, now: number): void {
    const e = this.ensure(key, now);
    e.failures += 1;
    e.lastAt = now;
    if (e.failures >= this.allowed) {
      e.backoffMs = Math.min(this.backoffMaxMs, e.backoffMs === 0 ? FIRST_BACKOFF_MS : e.backoffMs * 2);
      e.blockedUntil = now + e.backoffMs;
    }
  }

  /** True when the key has failed (and is not forgiven yet) or (with `countInFlight`) has a hash running. */
  marked(key: string, now: number, countInFlight: boolean): boolean {
    const e = this.entry(key, now);
    return e !== undefined && (e.failures > 0 || (countInFlight && e.inFlight > 0));
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

  /**
   * Whether a hash allowed by `verdict` is suspect (./hash-lanes.ts): its id or address already failed, or
   * its id has a hash running. A real device's first secret after a restart is not: it has neither.
   */
  suspect(id: string, address: string, now: number): boolean {
    return this.ids.marked(id, now, true) || this.addresses.marked(address, now, false);
  }

  /** A hash is starting for this id and address (after a 'hash' verdict); settle it with `settled`. */
  started(id: string, _address: string, now: number): void {
    // Only the id's budget counts hashes in flight: many real devices behind one address (a village's 4G
    // NAT after a hub restart) hash their first secrets at once, and must not block each other.
    this.ids.begin(id, now);
  }

  /** The hash started by `started` finished: right (true), wrong (false) or not answered (null: no verdict). */
  settled(id: string, address: string, ok: boolean | null, now: number): void {
    this.ids.end(id);
    if (ok === true) this.succeeded(id);
    else if (ok === false) this.failed(id, address, now);
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
