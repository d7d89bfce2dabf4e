/**
 * Two lanes in front of libuv's thread pool for the broker's secret checks (issue 14, finding 4).
 *
 * Profiled under the bench's storm (test/bench/auth-storm.ts; BENCHMARKS.md, issue 14): the hub's event
 * loop stayed fast (delay p99 ≈ 21–26 ms), and real devices waited on the thread pool instead. The budget
 * lets each storm id hash 5 wrong secrets (20 ids: 100 scrypts, all in the storm's first ~300 ms, then 20
 * more after each backoff, all at once); each is queued on libuv's four threads ahead of any real device
 * that connects just after, which waited up to 827 ms.
 *
 * A hash is *suspect* when its id or address has already failed, or its id has another hash running: that
 * is every storm hash but each id's first. Suspect hashes run at most `concurrency` at a time, in their own
 * queue; a clean hash (a real device's first secret after a restart) goes straight to the thread pool, so
 * it waits behind at most `concurrency` storm hashes, not the whole storm. When the suspect queue is full
 * the CONNECT is refused before hashing (the broker counts it as `throttled_busy`).
 */
export interface HashLaneLimits {
  /** Suspect hashes running at once (one of libuv's four threads by default). */
  concurrency: number;
  /** Suspect hashes waiting; past this, refused without hashing. */
  queueMax: number;
}

/** The defaults of HUB_MQTT_SUSPECT_HASHES_RUNNING / _WAITING (config.ts). */
export const DEFAULT_HASH_LANES: HashLaneLimits = { concurrency: 1, queueMax: 64 };

export class HashLanes {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly counts = { clean: 0, suspect: 0 };

  constructor(readonly limits: HashLaneLimits = DEFAULT_HASH_LANES) {}

  /** True when a suspect hash would be refused now. */
  get suspectFull(): boolean {
    return this.running >= this.limits.concurrency && this.waiting.length >= this.limits.queueMax;
  }

  /**
   * Runs `check` now (clean) or when the suspect lane has room. Call `suspectFull` first: a suspect
   * check past the queue's bound is still queued here (the caller decides to refuse).
   */
  run<T>(suspect: boolean, check: () => Promise<T>): Promise<T> {
    if (!suspect) {
      this.counts.clean += 1;
      return check();
    }
    this.counts.suspect += 1;
    return new Promise<T>((resolve, reject) => {
      const start = () => {
        this.running += 1;
        let result: Promise<T>;
        try {
          result = check();
        } catch (err) {
          result = Promise.reject(err);
        }
        result.then(resolve, reject).finally(() => {
          this.running -= 1;
          this.waiting.shift()?.();
        });
      };
      if (this.running < this.limits.concurrency) start();
      else this.waiting.push(start);
    });
  }

  /** Hashes started by lane, and the suspect lane's current state (tests, /metrics). */
  get stats(): { clean: number; suspect: number; running: number; waiting: number } {
    return { ...this.counts, running: this.running, waiting: this.waiting.length };
  }
}
