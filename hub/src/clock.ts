/**
 * The hub's notion of "now". Injected everywhere time matters so tests can run months in milliseconds
 * (vi.useFakeTimers moves Date.now and timers together, which the system clock follows).
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A one-shot timer's handle: `clear()` cancels it (a no-op once it has fired). */
export interface TimerHandle {
  clear(): void;
}

/**
 * One-shot timers, injected beside the Clock where a component's timer must be driven by fake time while
 * its sockets stay real (vi.useFakeTimers also fakes setImmediate and the I/O callbacks the sockets need).
 */
export interface Timers {
  setTimeout(fn: () => void, ms: number): TimerHandle;
}

export const systemTimers: Timers = {
  setTimeout(fn, ms) {
    const timer = setTimeout(fn, ms);
    return { clear: () => clearTimeout(timer) };
  },
};

/**
 * Hand-driven time for tests: `now()` moves only when `advance(ms)` is called, which runs every timer that
 * falls due, in due order, each seeing its own due time as now.
 */
export class ManualClock implements Clock, Timers {
  private timers: Array<{ at: number; seq: number; fn: () => void }> = [];
  private seq = 0;

  constructor(private current = 0) {}

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer = { at: this.current + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    return { clear: () => (this.timers = this.timers.filter((t) => t !== timer)) };
  }

  /** Timers armed and not yet fired or cleared. */
  get pending(): number {
    return this.timers.length;
  }

  advance(ms: number): void {
    const until = this.current + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = due.at;
      due.fn();
    }
    this.current = until;
  }
}
