/** Small statistics helpers for the bench: samples are plain number arrays (a few hundred thousand at most). */

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Nearest-rank percentile; NaN for an empty sample so a missing figure never looks like a zero. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/** hub / baseline, or null when either side is missing. */
export function ratio(hub: number | null | undefined, baseline: number | null | undefined): number | null {
  if (
    hub == null ||
    baseline == null ||
    !Number.isFinite(hub) ||
    !Number.isFinite(baseline) ||
    baseline === 0
  ) {
    return null;
  }
  return hub / baseline;
}

export function round(value: number | null | undefined, digits = 1): number | null {
  if (value == null || !Number.isFinite(value)) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export { waitFor } from '../support/wait.ts';

/** Progress goes to stderr so stdout carries only the results table. */
export function progress(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
