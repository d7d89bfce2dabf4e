import { type Heartbeat, PROTOCOL_VERSION } from '@commune-hub/protocol';
import { readMetrics } from './metrics.ts';
import { hash32, type Rng } from './prng.ts';
import type { DevicePlan, FaultSpan } from './timeline/generate.ts';
import { deviceClock } from './timeline/generate.ts';

/**
 * Heartbeat slots. Slot k of a device is due at phase + k × interval (anchored at the epoch, so live and
 * backfill runs share one numbering) plus a seeded jitter of ±10 % of the interval. The slot number is the
 * heartbeat's `seq`: it only grows, and a slot sent twice (a re-run backfill) is a duplicate to the hub.
 */
const JITTER = 0.1;

export function slotTime(plan: DevicePlan, seed: number | string, k: number): number {
  const jitter = (hash32(seed, plan.device.id, k) / 4294967296 - 0.5) * 2 * JITTER * plan.intervalMs;
  return plan.phaseMs + k * plan.intervalMs + jitter;
}

/** First slot whose nominal time is at or after `t` (jitter may move it up to 10 % earlier). */
export function firstSlotFrom(plan: DevicePlan, t: number): number {
  return Math.ceil((t - plan.phaseMs) / plan.intervalMs);
}

export interface ActiveFaults {
  faults: string[];
  /** The `on_battery` span when the device runs on battery, for the charge level. */
  battery?: FaultSpan;
}

/** Faults active at `t`. Spans are sorted by start and few per device, so a scan is cheap. */
export function activeFaults(spans: readonly FaultSpan[], t: number): ActiveFaults {
  const faults: string[] = [];
  let battery: FaultSpan | undefined;
  for (const f of spans) {
    if (f.from > t) break;
    if (t >= f.to || faults.includes(f.fault)) continue;
    faults.push(f.fault);
    if (f.fault === 'on_battery') battery = f;
  }
  return battery ? { faults, battery } : { faults };
}

/** Causes of being down after which a device comes back freshly booted (`up` restarts from 0). */
export const REBOOT_CAUSES: ReadonlySet<string> = new Set(['never', 'power', 'outage', 'killed']);

/** For each segment of the plan, when the device last booted (only meaningful for 'up' segments). */
export function bootTimes(plan: DevicePlan, planFrom: number): number[] {
  let boot = planFrom;
  return plan.segments.map((s, i) => {
    const prev = plan.segments[i - 1];
    if (s.state === 'up' && prev && (prev.state === 'maintenance' || REBOOT_CAUSES.has(prev.cause ?? '')))
      boot = s.from;
    return boot;
  });
}

export interface HeartbeatInput {
  plan: DevicePlan;
  planFrom: number;
  /** Real time of the heartbeat. */
  t: number;
  seq: number;
  /** Real time the device (re)started, for `up`. */
  upSince: number;
  /** Simulation speed, so `up` counts scenario seconds. */
  speed: number;
  utcOffsetH: number;
  rng: Rng;
  active: ActiveFaults;
}

/** A heartbeat exactly as the protocol's Heartbeat schema wants it. */
export function buildHeartbeat(h: HeartbeatInput): Heartbeat {
  const { battery } = h.active;
  const reading = readMetrics({
    kind: h.plan.device.kind,
    params: h.plan.device.params,
    t: h.t,
    utcOffsetH: h.utcOffsetH,
    rng: h.rng,
    faults: h.active.faults,
    ...(battery && {
      onBatteryMs: h.t - battery.from,
      batteryMs: battery.capacityMs ?? battery.to - battery.from,
    }),
  });
  const hb: Heartbeat = {
    v: PROTOCOL_VERSION,
    ts: deviceClock(h.plan, h.t, h.planFrom),
    seq: h.seq,
    up: Math.max(0, Math.round(((h.t - h.upSince) * h.speed) / 1000)),
    st: reading.st,
    m: reading.m,
  };
  if (reading.faults.length > 0) hb.faults = reading.faults;
  return hb;
}
