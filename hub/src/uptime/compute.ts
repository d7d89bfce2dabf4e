import { type Interval, intersect, subtract, totalMs, union } from './intervals.ts';

export interface UptimeInput {
  window: Interval;
  /** When the device was provisioned: time before it is not part of its record. */
  createdAt: number;
  /** Time vouched for by heartbeats (each [ts, ts + grace), cut at explicit offline events). */
  covered: readonly Interval[];
  /** Scheduled maintenance windows. */
  maintenance: readonly Interval[];
  /** When the hub itself was running (and so would have heard the device). */
  hubRunning: readonly Interval[];
}

export interface UptimeFigures {
  up_s: number;
  down_s: number;
  unknown_s: number;
  maintenance_s: number;
  /** up / (up + down); null when nothing was measurable. Unknown and maintenance time are excluded. */
  ratio: number | null;
}

/**
 * Classifies every instant of the window, in this order: maintenance; up (a heartbeat vouches for
 * it); down (the hub was running and heard nothing); unknown (the hub was not running and no data
 * covers it). Time before the device existed is left out. Pure: the table tests are its spec.
 */
export function computeUptime(input: UptimeInput): UptimeFigures {
  const start = Math.max(input.window.start, input.createdAt);
  const window: Interval[] = start < input.window.end ? [{ start, end: input.window.end }] : [];
  const maintenance = intersect(union(input.maintenance), window);
  const rest = subtract(window, maintenance);
  const up = intersect(union(input.covered), rest);
  const uncovered = subtract(rest, up);
  const down = intersect(uncovered, union(input.hubRunning));
  const upMs = totalMs(up);
  const downMs = totalMs(down);
  const unknownMs = totalMs(uncovered) - downMs;
  return {
    up_s: upMs / 1000,
    down_s: downMs / 1000,
    unknown_s: unknownMs / 1000,
    maintenance_s: totalMs(maintenance) / 1000,
    ratio: upMs + downMs > 0 ? upMs / (upMs + downMs) : null,
  };
}
