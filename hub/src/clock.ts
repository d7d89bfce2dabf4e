/**
 * The hub's notion of "now". Injected everywhere time matters so tests can run months in milliseconds
 * (vi.useFakeTimers moves Date.now and timers together, which the system clock follows).
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
