import type { DeviceKind, HealthState, Metrics } from '@commune-hub/protocol';
import { normal, type Rng } from './prng.ts';

/**
 * Plausible metrics per device kind. Values follow the day (broadcast hours, office hours, evening wifi
 * peak, afternoon heat) plus seeded noise, and react to the faults the plan injects. Parameters come from
 * the scenario group's `metrics` map; every one has a default.
 */
export interface MetricContext {
  kind: DeviceKind;
  params: Record<string, number>;
  /** Real time of the reading (epoch ms). */
  t: number;
  utcOffsetH: number;
  rng: Rng;
  /** Active faults: component faults and `on_battery`. */
  faults: readonly string[];
  /** Milliseconds on battery so far, when `on_battery`. */
  onBatteryMs?: number;
  /** Battery endurance in ms, to turn time on battery into a charge level. */
  batteryMs?: number;
}

export interface Reading {
  st: HealthState;
  m: Metrics;
  faults: string[];
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const round1 = (v: number) => Math.round(v * 10) / 10;

function localHour(c: MetricContext): number {
  const h = (c.t / 3_600_000 + c.utcOffsetH) % 24;
  return h < 0 ? h + 24 : h;
}

/** 0 at night, 1 at the evening peak (~20h), a smaller bump at noon. */
function dailyLoad(hour: number): number {
  const evening = Math.exp(-((hour - 20) ** 2) / 8);
  const noon = 0.6 * Math.exp(-((hour - 12) ** 2) / 6);
  const night = hour < 6 ? 0.05 : 0.15;
  return clamp(night + evening + noon, 0, 1);
}

function isOfficeHours(hour: number): boolean {
  return (hour >= 7 && hour < 11.5) || (hour >= 13.5 && hour < 17);
}

function p(c: MetricContext, name: string, fallback: number): number {
  return c.params[name] ?? fallback;
}

function loudspeaker(c: MetricContext): Metrics {
  const hour = localHour(c);
  // Commune radio plays morning and late-afternoon bulletins (Circular 39 schedules).
  const broadcast = (hour >= 5.5 && hour < 6.5) || (hour >= 17 && hour < 18);
  const onBattery = c.faults.includes('on_battery');
  const battery = onBattery
    ? clamp(100 - (100 * (c.onBatteryMs ?? 0)) / Math.max(1, c.batteryMs ?? 1), 0, 100)
    : 100;
  const amplifierOk = !c.faults.includes('amplifier_fault');
  return {
    signal: Math.round(p(c, 'rssiDbm', -75) + normal(c.rng, 0, 3)),
    amplifierOk,
    volume: p(c, 'volume', 70),
    playing: broadcast && amplifierOk,
    powerSource: onBattery ? 'battery' : 'mains',
    battery: Math.round(battery),
    temperature: round1(
      28 + 8 * Math.exp(-((hour - 14) ** 2) / 18) + (broadcast ? 4 : 0) + normal(c.rng, 0, 0.7),
    ),
  };
}

function wifi(c: MetricContext): Metrics {
  const load = dailyLoad(localHour(c));
  const clients = Math.max(0, Math.round(p(c, 'clientsPeak', 25) * load + normal(c.rng, 0, 2)));
  const latency = p(c, 'latencyMs', 25) * (1 + load) + Math.abs(normal(c.rng, 0, 6));
  return {
    clients,
    uplinkLatencyMs: Math.round(latency),
    uplinkLossPct: round1(clamp(p(c, 'lossPct', 0.3) * (1 + 2 * load) + normal(c.rng, 0, 0.2), 0, 100)),
    rxKbps: Math.round(clients * (350 + 150 * c.rng.next())),
    txKbps: Math.round(clients * (60 + 40 * c.rng.next())),
  };
}

function camera(c: MetricContext): Metrics {
  const streamOk = !c.faults.includes('stream_lost');
  const diskFull = c.faults.includes('disk_full');
  const fps = p(c, 'fps', 25);
  // Storage fills over a 30-day ring buffer and is recycled: free space is a slow sawtooth.
  const cycle = (c.t / (30 * 86_400_000)) % 1;
  return {
    streamOk,
    fps: streamOk ? Math.round(fps - Math.abs(normal(c.rng, 0, 0.5))) : 0,
    bitrateKbps: streamOk ? Math.round(p(c, 'bitrateKbps', 2048) * (0.9 + 0.2 * c.rng.next())) : 0,
    recording: streamOk && !diskFull,
    storageFreePct: diskFull ? round1(c.rng.next() * 2) : round1(clamp(20 + 70 * (1 - cycle), 0, 100)),
  };
}

function machine(c: MetricContext): Metrics {
  const hour = localHour(c);
  const busy = isOfficeHours(hour) ? 1 : 0.2;
  const m: Metrics = {
    cpuPct: round1(clamp(p(c, 'cpuBase', 12) * (1 + 2 * busy) + Math.abs(normal(c.rng, 0, 6)), 0, 100)),
    memPct: round1(clamp(p(c, 'memBase', 45) + 15 * busy + normal(c.rng, 0, 3), 0, 100)),
    diskPct: c.faults.includes('disk_full') ? round1(98 + c.rng.next() * 2) : p(c, 'diskPct', 55),
    appRunning: isOfficeHours(hour) || c.kind !== 'pc',
    antivirusOk: true,
    // The public-service portal is slow from some communes: heavy tail at office hours.
    portalLatencyMs: Math.round(p(c, 'portalLatencyMs', 300) * (1 + busy * Math.abs(normal(c.rng, 0, 0.6)))),
  };
  if (c.kind === 'pc' || c.kind === 'kiosk') m.printerOk = !c.faults.includes('printer_jam');
  return m;
}

function conference(c: MetricContext): Metrics {
  const hour = localHour(c);
  const inCall = hour >= 8 && hour < 10;
  return {
    registered: true,
    inCall,
    callQuality: inCall ? round1(clamp(4.2 + normal(c.rng, 0, 0.3), 1, 5)) : 0,
  };
}

function gateway(c: MetricContext): Metrics {
  return {
    cpuPct: round1(clamp(8 + Math.abs(normal(c.rng, 0, 4)), 0, 100)),
    memPct: round1(clamp(35 + normal(c.rng, 0, 2), 0, 100)),
    uplinkLatencyMs: Math.round(p(c, 'latencyMs', 25) + Math.abs(normal(c.rng, 0, 5))),
  };
}

/** One reading for a heartbeat: metrics, health state and the faults it reports. */
export function readMetrics(c: MetricContext): Reading {
  let m: Metrics;
  switch (c.kind) {
    case 'loudspeaker':
      m = loudspeaker(c);
      break;
    case 'wifi':
      m = wifi(c);
      break;
    case 'camera':
      m = camera(c);
      break;
    case 'conference':
      m = conference(c);
      break;
    case 'gateway':
      m = gateway(c);
      break;
    default:
      m = machine(c);
  }
  const faults = [...c.faults];
  return { st: faults.length > 0 ? 'degraded' : 'ok', m, faults };
}
