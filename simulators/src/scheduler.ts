/**
 * One timer for the whole simulation: a binary min-heap of due jobs and a single setTimeout for the
 * earliest. 10,000 devices cost 10,000 heap entries, not 10,000 intervals. Jobs are cancelled lazily:
 * the owner bumps a generation number and stale jobs are skipped when they come due.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

interface Job {
  at: number;
  order: number;
  run: () => void;
}

/** Longest single wait: Node timers overflow past 2^31-1 ms, and shorter waits keep the clock honest. */
const MAX_WAIT_MS = 60_000;

export class Scheduler {
  private heap: Job[] = [];
  private timer: unknown = null;
  private timerAt = Number.POSITIVE_INFINITY;
  private order = 0;
  private running = false;

  constructor(private readonly clock: Clock = realClock) {}

  get size(): number {
    return this.heap.length;
  }

  now(): number {
    return this.clock.now();
  }

  start(): void {
    this.running = true;
    this.arm();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Number.POSITIVE_INFINITY;
    this.heap = [];
  }

  /** Runs `run` at time `at` (epoch ms; past times run on the next tick). */
  at(at: number, run: () => void): void {
    this.push({ at, order: this.order++, run });
    if (this.running && at < this.timerAt) this.arm();
  }

  private arm(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Number.POSITIVE_INFINITY;
    const top = this.heap[0];
    if (!this.running || !top) return;
    const wait = Math.min(MAX_WAIT_MS, Math.max(0, top.at - this.clock.now()));
    this.timerAt = this.clock.now() + wait;
    this.timer = this.clock.setTimeout(() => this.tick(), wait);
  }

  private tick(): void {
    this.timer = null;
    this.timerAt = Number.POSITIVE_INFINITY;
    const now = this.clock.now();
    // Bound the work per tick so a backlog (e.g. after a pause) cannot starve sockets.
    for (let n = 0; n < 5000 && this.running; n++) {
      const top = this.heap[0];
      if (!top || top.at > now) break;
      this.pop();
      top.run();
    }
    this.arm();
  }

  private less(a: Job, b: Job): boolean {
    return a.at < b.at || (a.at === b.at && a.order < b.order);
  }

  private push(job: Job): void {
    const h = this.heap;
    h.push(job);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }

  private pop(): Job | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}
