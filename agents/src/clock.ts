/** Time and timers are injected so tests drive heartbeats without waiting for real intervals. */
export interface Clock {
  now(): number;
}

export type TimerHandle = unknown;

export interface Scheduler {
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle): void;
}

export const systemClock: Clock = { now: () => Date.now() };

export const systemScheduler: Scheduler = {
  setInterval: (fn, ms) => {
    const handle = setInterval(fn, ms);
    // A pending heartbeat timer must not keep a stopping process alive.
    handle.unref();
    return handle;
  },
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};
