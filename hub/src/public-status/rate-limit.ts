import type { Clock } from '../clock.ts';

/**
 * A fixed-window counter per key (the sender's IP address): at most `limit` hits per `windowMs`.
 * Kept in memory only, so an address is never written to disk; a restart forgets the counts, which
 * at worst lets one more burst through. Keys whose window ended are dropped as the map grows, so a
 * flood of addresses cannot grow it without bound.
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Counts a hit; false (and not counted) when the key already used its budget in this window. */
  hit(key: string): { allowed: boolean; retryAfterS: number } {
    const now = this.clock.now();
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      if (!w && this.windows.size >= this.maxKeys) this.prune(now);
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    const retryAfterS = Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000));
    if (w.count >= this.limit) return { allowed: false, retryAfterS };
    w.count++;
    return { allowed: true, retryAfterS };
  }

  get size(): number {
    return this.windows.size;
  }

  private prune(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(key);
    // Still full of live windows: drop the oldest half rather than refuse new addresses forever.
    if (this.windows.size >= this.maxKeys) {
      const keys = [...this.windows.keys()].slice(0, Math.ceil(this.maxKeys / 2));
      for (const key of keys) this.windows.delete(key);
    }
  }
}
