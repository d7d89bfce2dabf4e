/**
 * The one polling helper of the repo's tests, scripts and bench. It waits for a real event (a
 * network message, a process listening, a row stored), never for time itself: time-driven
 * behaviour is tested with the injected clock. Inside vitest, `vi.waitFor` / `expect.poll` are
 * just as good; this one exists because the bench and the setup scripts run outside vitest.
 */
export interface WaitOptions {
  /** Give up after this long (a safety net for a broken test, not an assertion on speed). */
  timeoutMs?: number;
  /** Pause between two checks. */
  everyMs?: number;
}

/** What a truthy check result can be (`false`, `null`, `undefined`, `0` and `''` mean "not yet"). */
export type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

/**
 * Calls `check` until it returns a truthy value and resolves with that value. A `check` that
 * throws counts as "not yet"; its last error is part of the timeout message.
 */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  what: string,
  options: number | WaitOptions = {},
): Promise<Truthy<T>> {
  const { timeoutMs = 15_000, everyMs = 25 } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as Truthy<T>;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const cause =
        lastError === undefined
          ? ''
          : `: ${lastError instanceof Error ? lastError.message : String(lastError)}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
