import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Clock } from '../clock.ts';

/** One hit against a per-key budget: allowed or not, and when the key's window ends. */
export interface BudgetVerdict {
  allowed: boolean;
  retryAfterS: number;
}

/** What the report route asks: the in-memory limiter of a single node, or the cluster's shared one. */
export interface ReportBudget {
  hit(key: string): BudgetVerdict | Promise<BudgetVerdict>;
}

/**
 * A fixed-window counter per key (the sender's IP address): at most `limit` hits per `windowMs`.
 * Kept in memory only, so an address is never written to disk; a restart forgets the counts, which
 * at worst lets one more burst through. Keys whose window ended are dropped as the map grows, so a
 * flood of addresses cannot grow it without bound.
 */
export class FixedWindowLimiter implements ReportBudget {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 100_000,
  ) {}

  /** Counts a hit; false (and not counted) when the key already used its budget in this window. */
  hit(key: string): BudgetVerdict {
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

/**
 * One fixed window per key in a Redis hash {s: window start, c: hits}, the in-memory limiter's rule run
 * atomically in Redis: a window starts at its first hit and lasts `windowMs` of the hub's clock (passed in,
 * so fake time drives it in tests); the hash expires with its window. Returns {allowed 0|1, window start}.
 */
const HIT_SCRIPT = `
local now, win, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local start = tonumber(redis.call('HGET', KEYS[1], 's'))
if (not start) or now - start >= win then
  start = now
  redis.call('HSET', KEYS[1], 's', ARGV[1], 'c', 0)
  redis.call('PEXPIRE', KEYS[1], win)
end
if tonumber(redis.call('HGET', KEYS[1], 'c')) >= limit then return {0, start} end
redis.call('HINCRBY', KEYS[1], 'c', 1)
return {1, start}
`;

/**
 * The same budget shared by every node of a cluster (HUB_CLUSTER_REDIS_URL): without it N nodes behind a
 * load balancer allow N times the budget. One small Redis hash per address (HIT_SCRIPT: atomic, so two
 * nodes never both take the last report of a budget), gone when its window ends; the address is kept as a
 * hash, not as text. When Redis does not answer, this node's own limiter decides (`onFallback` is told):
 * a citizen's report is neither lost nor refused because Redis is away; the budget is then per node again.
 */
export class SharedFixedWindowLimiter implements ReportBudget {
  constructor(
    private readonly redis: Pick<Redis, 'eval'>,
    private readonly clock: Clock,
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly fallback: FixedWindowLimiter,
    private readonly onFallback: (err: Error) => void,
    private readonly prefix = 'hub:public-reports:',
  ) {}

  async hit(key: string): Promise<BudgetVerdict> {
    const now = this.clock.now();
    const digest = createHash('sha256').update(key).digest('base64url').slice(0, 22);
    try {
      const [allowed, start] = (await this.redis.eval(
        HIT_SCRIPT,
        1,
        `${this.prefix}${digest}`,
        String(now),
        String(this.windowMs),
        String(this.limit),
      )) as [number, number];
      const retryAfterS = Math.max(1, Math.ceil((start + this.windowMs - now) / 1000));
      return { allowed: allowed === 1, retryAfterS };
    } catch (err) {
      this.onFallback(err as Error);
      return this.fallback.hit(key);
    }
  }
}
