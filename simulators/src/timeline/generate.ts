import { rngFor, sample, uniform } from '../prng.ts';
import type { Scenario, SimDevice } from '../scenario/load.ts';
import type { Selector } from '../scenario/schema.ts';
import { renewalSpans, type Span } from './intervals.ts';

/**
 * The ground-truth plan of a run: for every device, when it is really up, down or in maintenance, which
 * component faults it has, and how its clock is off. Pure and deterministic: same scenario, seed, range
 * and speed give the same plan. Live and backfill modes both execute this plan.
 */
export type DownCause = 'never' | 'power' | 'outage' | 'flap' | 'killed' | 'silenced';
/** How an outage shows on the wire (live mode): socket dropped (last will fires) or heartbeats just stop. */
export type WireMode = 'disconnect' | 'silent';

export interface Segment {
  from: number;
  to: number;
  state: 'up' | 'down' | 'maintenance';
  cause?: DownCause;
  wire?: WireMode;
}

export interface FaultSpan {
  from: number;
  to: number;
  /** A component fault (amplifier_fault, stream_lost, …) or `on_battery` during a power cut. */
  fault: string;
  /** For `on_battery`: how long a full battery lasts, so metrics can show the charge going down. */
  capacityMs?: number;
}

export interface DevicePlan {
  device: SimDevice;
  /** Heartbeat interval in real milliseconds (the scenario's intervalS divided by speed). */
  intervalMs: number;
  /** Offset of the first heartbeat slot, in [0, intervalMs): devices do not all beat at once. */
  phaseMs: number;
  clockOffsetMs: number;
  clockPpm: number;
  segments: Segment[];
  faults: FaultSpan[];
}

export interface PlanOptions {
  from: number;
  to: number;
  /** Time acceleration: every duration of the scenario (intervals, MTBF, MTTR…) is divided by it. */
  speed?: number;
  /** false: no failure model at all (every device up all the time), for demos and exact tests. */
  failures?: boolean;
}

export interface Plan {
  from: number;
  to: number;
  speed: number;
  devices: DevicePlan[];
  powerCuts: { villageId: string; from: number; to: number }[];
}

const H = 3_600_000;
const MIN = 60_000;

/** Resolves a selector against the devices; `count` picks a seeded subset. */
export function selectDevices(scenario: Scenario, sel: Selector, label: string): Set<string> {
  const matching = scenario.devices.filter(
    (d) =>
      (!sel.ids || sel.ids.includes(d.id)) &&
      (!sel.kind || d.kind === sel.kind) &&
      (!sel.village || d.villageId === sel.village) &&
      (!sel.site || d.siteId === sel.site),
  );
  const chosen = sel.count ? sample(rngFor(scenario.seed, 'select', label), matching, sel.count) : matching;
  return new Set(chosen.map((d) => d.id));
}

interface Marked extends Span {
  kind: 'maintenance' | DownCause;
  wire?: WireMode;
}

/** Priority when spans overlap: maintenance wins, then the most fundamental cause of being down. */
const PRIORITY: Record<Marked['kind'], number> = {
  maintenance: 6,
  never: 5,
  power: 4,
  killed: 3,
  silenced: 3,
  outage: 2,
  flap: 1,
};

/** Turns overlapping marked spans into a gap-free segment list over [from, to). */
export function composeSegments(marked: readonly Marked[], from: number, to: number): Segment[] {
  const cuts = new Set<number>([from, to]);
  for (const m of marked) {
    if (m[0] > from && m[0] < to) cuts.add(m[0]);
    if (m[1] > from && m[1] < to) cuts.add(m[1]);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let i = 0; i < points.length - 1; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    let top: Marked | undefined;
    for (const m of marked) {
      if (m[0] <= a && m[1] >= b && (!top || PRIORITY[m.kind] > PRIORITY[top.kind])) top = m;
    }
    const seg: Segment = !top
      ? { from: a, to: b, state: 'up' }
      : top.kind === 'maintenance'
        ? { from: a, to: b, state: 'maintenance' }
        : { from: a, to: b, state: 'down', cause: top.kind, ...(top.wire && { wire: top.wire }) };
    const last = out[out.length - 1];
    if (last && last.state === seg.state && last.cause === seg.cause && last.wire === seg.wire) last.to = b;
    else out.push(seg);
  }
  return out;
}

function mark(spans: Span[], kind: Marked['kind'], wire?: WireMode): Marked[] {
  return spans.map((s) => Object.assign([s[0], s[1]] as unknown as Marked, { kind, ...(wire && { wire }) }));
}

/** Builds the plan for [from, to). */
export function buildPlan(scenario: Scenario, opts: PlanOptions): Plan {
  const speed = opts.speed ?? 1;
  const { from, to } = opts;
  const seed = scenario.seed;
  const failures = opts.failures === false ? undefined : scenario.spec.failures;
  const marks = new Map<string, Marked[]>(scenario.devices.map((d) => [d.id, []]));
  const faults = new Map<string, FaultSpan[]>(scenario.devices.map((d) => [d.id, []]));
  const add = (id: string, m: Marked[]) => marks.get(id)?.push(...m);

  for (const [i, sel] of (failures?.neverUp ?? []).entries()) {
    for (const id of selectDevices(scenario, sel, `neverUp/${i}`))
      add(id, mark([[from, to]], 'never', 'silent'));
  }

  for (const [i, model] of (failures?.outages ?? []).entries()) {
    for (const d of scenario.devices.filter((x) => x.kind === model.kind)) {
      const rng = rngFor(seed, 'outage', String(i), d.id);
      const spans = renewalSpans(
        () => rng.next(),
        from,
        to,
        (model.mtbfH * H) / speed,
        (model.mttrMin * MIN) / speed,
      );
      for (const s of spans) {
        const mode = model.mode ?? 'mixed';
        const wire: WireMode = mode === 'mixed' ? (rng.next() < 0.5 ? 'disconnect' : 'silent') : mode;
        add(d.id, mark([s], 'outage', wire));
      }
    }
  }

  const powerCuts: Plan['powerCuts'] = [];
  for (const [i, model] of (failures?.powerCuts ?? []).entries()) {
    const villages = model.villages === 'all' ? scenario.villages.map((v) => v.id) : model.villages;
    for (const villageId of villages) {
      const rng = rngFor(seed, 'power', String(i), villageId);
      const cuts = renewalSpans(
        () => rng.next(),
        from,
        to,
        (model.mtbfH * H) / speed,
        (model.mttrMin * MIN) / speed,
      );
      const batteryMs = ((model.batteryMin ?? 0) * MIN) / speed;
      for (const [a, b] of cuts) {
        powerCuts.push({ villageId, from: a, to: b });
        for (const d of scenario.devices.filter((x) => x.villageId === villageId)) {
          // Loudspeaker clusters have a battery: they keep playing, degraded, until it runs out.
          const battery = d.kind === 'loudspeaker' ? Math.round(Math.min(batteryMs, b - a)) : 0;
          if (battery > 0)
            faults.get(d.id)!.push({ from: a, to: a + battery, fault: 'on_battery', capacityMs: batteryMs });
          if (a + battery < b) add(d.id, mark([[a + battery, b]], 'power', 'disconnect'));
        }
      }
    }
  }

  for (const [i, model] of (failures?.flapping ?? []).entries()) {
    for (const id of selectDevices(scenario, model.select, `flapping/${i}`)) {
      const rng = rngFor(seed, 'flap', String(i), id);
      const episodes = renewalSpans(
        () => rng.next(),
        from,
        to,
        (model.episodeEveryH * H) / speed,
        (model.episodeMin * MIN) / speed,
      );
      for (const [a, b] of episodes) {
        let t = a;
        while (t < b) {
          const down = (uniform(rng, model.downS[0], model.downS[1]) * 1000) / speed;
          add(id, mark([[Math.round(t), Math.round(Math.min(t + down, b))]], 'flap', 'disconnect'));
          t += down + (uniform(rng, model.upS[0], model.upS[1]) * 1000) / speed;
        }
      }
    }
  }

  for (const [i, model] of (failures?.degraded ?? []).entries()) {
    const ids = model.select
      ? selectDevices(scenario, model.select, `degraded/${i}`)
      : new Set(scenario.devices.filter((d) => !model.kind || d.kind === model.kind).map((d) => d.id));
    for (const d of scenario.devices) {
      if (!ids.has(d.id) || (model.kind && d.kind !== model.kind)) continue;
      const rng = rngFor(seed, 'degraded', String(i), d.id);
      const spans = renewalSpans(
        () => rng.next(),
        from,
        to,
        (model.mtbfH * H) / speed,
        (model.mttrH * H) / speed,
      );
      for (const [a, b] of spans) faults.get(d.id)!.push({ from: a, to: b, fault: model.fault });
    }
  }

  const clocks = new Map<string, { offsetMs: number; ppm: number }>();
  for (const [i, model] of (failures?.clockDrift ?? []).entries()) {
    for (const id of selectDevices(scenario, model.select, `clockDrift/${i}`)) {
      const rng = rngFor(seed, 'clock', String(i), id);
      clocks.set(id, {
        offsetMs: Math.round(uniform(rng, model.offsetS[0], model.offsetS[1]) * 1000),
        ppm: model.ppm ?? 0,
      });
    }
  }

  for (const [i, w] of (scenario.spec.maintenance ?? []).entries()) {
    const ids = selectDevices(scenario, w.select, `maintenance/${i}`);
    const start =
      w.from !== undefined ? Date.parse(w.from) : from + Math.round(((w.afterMin ?? 0) * MIN) / speed);
    const duration = (w.durationMin * MIN) / speed;
    const every = w.everyDays ? (w.everyDays * 24 * H) / speed : Number.POSITIVE_INFINITY;
    const spans: Span[] = [];
    // Step back to the first repetition that can still reach into the range.
    let t =
      Number.isFinite(every) && start > from ? start - Math.ceil((start - from) / every) * every : start;
    for (; t < to; t += every) {
      if (t + duration > from) spans.push([t, t + duration]);
      if (!Number.isFinite(every)) break;
    }
    for (const id of ids) add(id, mark(spans, 'maintenance'));
  }

  const devices = scenario.devices.map((device): DevicePlan => {
    // Whole seconds: the hub is provisioned with this interval and its grace must match the truth's.
    const intervalMs = Math.max(1, Math.round(device.intervalS / speed)) * 1000;
    const phaseRng = rngFor(seed, 'phase', device.id);
    const clock = clocks.get(device.id) ?? { offsetMs: 0, ppm: 0 };
    return {
      device,
      intervalMs,
      phaseMs: Math.floor(phaseRng.next() * intervalMs),
      clockOffsetMs: clock.offsetMs,
      clockPpm: clock.ppm,
      segments: composeSegments(marks.get(device.id)!, from, to),
      faults: faults.get(device.id)!.sort((x, y) => x.from - y.from),
    };
  });
  return { from, to, speed, devices, powerCuts };
}

/** The device's clock reading at real time `t` (offset plus drift since the start of the plan). */
export function deviceClock(plan: DevicePlan, t: number, planFrom: number): number {
  return Math.round(t + plan.clockOffsetMs + ((t - planFrom) * plan.clockPpm) / 1e6);
}
