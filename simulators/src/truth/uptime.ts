import { readFileSync } from 'node:fs';
import { SimError } from '../errors.ts';
import { intersect, type Span, subtract, totalMs, union } from '../timeline/intervals.ts';
import type { Truth, TruthDevice } from './types.ts';

export interface ExpectedUptime {
  deviceId: string;
  windowMs: number;
  /** Really up (incl. degraded), really down, in maintenance: from the segments. */
  upMs: number;
  downMs: number;
  maintenanceMs: number;
  /** upMs / (windowMs − maintenanceMs); null when the whole window is maintenance. */
  ratio: number | null;
  /** Time the sent heartbeats vouch for under the hub's model (see types.ts), in the device's clock. */
  hubCoveredMs: number;
  /** hubCoveredMs / windowMs: what the hub's uptime for this window should be. */
  hubRatio: number;
}

function clipMs(from: number, to: number, a: number, b: number): number {
  return Math.max(0, Math.min(to, b) - Math.max(from, a));
}

/** Expected uptime of one device over [from, to). */
export function deviceUptime(d: TruthDevice, from: number, to: number): ExpectedUptime {
  const windowMs = Math.max(0, to - from);
  let upMs = 0;
  let downMs = 0;
  let maintenanceMs = 0;
  for (const s of d.segments) {
    const ms = clipMs(from, to, s.from, s.to);
    if (s.state === 'up') upMs += ms;
    else if (s.state === 'down') downMs += ms;
    else maintenanceMs += ms;
  }
  let hubCoveredMs = 0;
  for (const [a, b] of d.coverage) hubCoveredMs += clipMs(from, to, a, b);
  const denom = windowMs - maintenanceMs;
  return {
    deviceId: d.id,
    windowMs,
    upMs,
    downMs,
    maintenanceMs,
    ratio: denom > 0 ? upMs / denom : null,
    hubCoveredMs,
    hubRatio: windowMs > 0 ? hubCoveredMs / windowMs : 0,
  };
}

/** Expected uptime of one device of a truth file over [from, to) (defaults: the whole run). */
export function expectedUptime(
  truth: Truth,
  deviceId: string,
  from = truth.from,
  to = truth.to,
): ExpectedUptime {
  const d = truth.devices.find((x) => x.id === deviceId);
  if (!d)
    throw new SimError('SIM_ERR_TRUTH', `device "${deviceId}" is not in the truth of ${truth.scenario}`);
  return deviceUptime(d, from, to);
}

/** Every device (optionally filtered), plus the mean ratios, over [from, to). */
export function uptimeReport(
  truth: Truth,
  from = truth.from,
  to = truth.to,
  filter: (d: TruthDevice) => boolean = () => true,
): { devices: ExpectedUptime[]; meanRatio: number | null; meanHubRatio: number | null } {
  const devices = truth.devices.filter(filter).map((d) => deviceUptime(d, from, to));
  const ratios = devices.map((u) => u.ratio).filter((r): r is number => r !== null);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);
  return { devices, meanRatio: mean(ratios), meanHubRatio: mean(devices.map((u) => u.hubRatio)) };
}

export interface HubViewOptions {
  /**
   * When the hub was running (its `hub_runs`): uncovered time then is `down`, uncovered time outside
   * them is `unknown` — the hub cannot tell a dead device from its own absence.
   */
  hubRunning: readonly Span[];
  /** Maintenance windows the hub was told about (`POST /api/maintenance`); default none. */
  maintenance?: readonly Span[];
  /** When the device was provisioned: the hub leaves time before it out (default: the window start). */
  createdAt?: number;
}

/** What the hub's `GET /api/devices/:id/uptime` should say, in milliseconds. */
export interface HubExpectedUptime {
  deviceId: string;
  upMs: number;
  downMs: number;
  unknownMs: number;
  maintenanceMs: number;
}

/**
 * The hub's figures for a device over [from, to), derived from the truth's coverage (the heartbeats the
 * device really sent and the broker acknowledged) by the hub's own rules (README "How uptime is
 * counted"), in this order: maintenance the hub was told of; up = covered; down = uncovered while the hub
 * was running; unknown = uncovered while it was not. Unlike `deviceUptime`, which says what really
 * happened, this is what a correct hub must report given what it could know.
 */
export function hubView(d: TruthDevice, from: number, to: number, opts: HubViewOptions): HubExpectedUptime {
  const start = Math.max(from, opts.createdAt ?? from);
  const window: Span[] = start < to ? [[start, to]] : [];
  const maintenance = intersect(union(opts.maintenance ?? []), window);
  const rest = subtract(window, maintenance);
  const up = intersect(union(d.coverage), rest);
  const uncovered = subtract(rest, up);
  const down = intersect(uncovered, union(opts.hubRunning));
  return {
    deviceId: d.id,
    upMs: totalMs(up),
    downMs: totalMs(down),
    unknownMs: totalMs(uncovered) - totalMs(down),
    maintenanceMs: totalMs(maintenance),
  };
}

/** The device's maintenance segments, e.g. to tell the hub about them before comparing with `hubView`. */
export function maintenanceSpans(d: TruthDevice): Span[] {
  return d.segments.filter((s) => s.state === 'maintenance').map((s) => [s.from, s.to] as const);
}

export function readTruth(file: string): Truth {
  let truth: Truth;
  try {
    truth = JSON.parse(readFileSync(file, 'utf8')) as Truth;
  } catch (err) {
    throw new SimError('SIM_ERR_TRUTH', `cannot read truth file ${file}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  if (truth.version !== 1 || !Array.isArray(truth.devices))
    throw new SimError('SIM_ERR_TRUTH', `${file} is not a simulator truth file (version 1)`);
  return truth;
}
