import { GRACE_FACTOR } from '@commune-hub/protocol';
import type { Scenario } from '../scenario/load.ts';
import type { DevicePlan, DownCause, FaultSpan, Plan, Segment } from '../timeline/generate.ts';
import type { Truth, TruthDevice } from './types.ts';

interface Track {
  out: TruthDevice;
  graceMs: number;
  /** Open coverage run: device ts of its first and latest heartbeat. */
  runFrom: number | null;
  runLast: number;
}

/**
 * Writes the ground truth as a run happens: state changes, heartbeats actually sent, explicit
 * disconnects. Backfill and live both feed it, so the file says what was sent, not what was meant.
 */
export class TruthRecorder {
  private readonly tracks = new Map<string, Track>();
  private readonly powerCuts: Truth['powerCuts'] = [];

  constructor(
    private readonly meta: Pick<Truth, 'scenario' | 'commune' | 'seed' | 'mode' | 'from' | 'speed'>,
  ) {}

  addDevice(plan: DevicePlan): void {
    const d = plan.device;
    this.tracks.set(d.id, {
      out: {
        id: d.id,
        kind: d.kind,
        villageId: d.villageId,
        village: d.village,
        ...(d.siteId && { siteId: d.siteId }),
        intervalS: plan.intervalMs / 1000,
        clockOffsetMs: plan.clockOffsetMs,
        clockPpm: plan.clockPpm,
        segments: [],
        faults: [],
        coverage: [],
        heartbeats: 0,
      },
      graceMs: GRACE_FACTOR * plan.intervalMs,
      runFrom: null,
      runLast: 0,
    });
  }

  /** The device's real state changes at `t` (ignored when it is already in that state). */
  state(id: string, t: number, state: Segment['state'], cause?: DownCause): void {
    const segs = this.tracks.get(id)?.out.segments;
    if (!segs) return;
    const last = segs[segs.length - 1];
    if (last && last.state === state && last.cause === cause) return;
    if (last) last.to = t;
    segs.push({ from: t, to: Number.POSITIVE_INFINITY, state, ...(cause && { cause }) });
  }

  fault(id: string, span: FaultSpan): void {
    this.tracks.get(id)?.out.faults.push(span);
  }

  powerCut(villageId: string, from: number, to: number): void {
    this.powerCuts.push({ villageId, from, to });
  }

  /** A heartbeat with device timestamp `ts` was sent (and, for QoS 1, acknowledged). */
  heartbeat(id: string, ts: number): void {
    const tr = this.tracks.get(id);
    if (!tr) return;
    tr.out.heartbeats++;
    if (tr.runFrom !== null && ts > tr.runLast + tr.graceMs) this.closeRun(tr, tr.runLast + tr.graceMs);
    if (tr.runFrom === null) tr.runFrom = ts;
    if (ts > tr.runLast) tr.runLast = ts;
  }

  /** The hub was told the device is offline at `t` (last will, dropped socket, retained `offline`). */
  cut(id: string, t: number): void {
    const tr = this.tracks.get(id);
    if (tr?.runFrom != null) this.closeRun(tr, Math.min(t, tr.runLast + tr.graceMs));
  }

  private closeRun(tr: Track, end: number): void {
    const cov = tr.out.coverage;
    const from = tr.runFrom!;
    const last = cov[cov.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], end);
    else if (end > from) cov.push([from, end]);
    tr.runFrom = null;
  }

  finish(to: number): Truth {
    const devices: TruthDevice[] = [];
    for (const tr of this.tracks.values()) {
      if (tr.runFrom !== null) this.closeRun(tr, tr.runLast + tr.graceMs);
      const segs = tr.out.segments;
      while (segs.length > 0 && segs[segs.length - 1]!.from >= to) segs.pop();
      const last = segs[segs.length - 1];
      if (last) last.to = to;
      tr.out.faults = tr.out.faults.filter((f) => f.from < to).map((f) => ({ ...f, to: Math.min(f.to, to) }));
      devices.push(tr.out);
    }
    return { version: 1, ...this.meta, to, graceFactor: GRACE_FACTOR, powerCuts: this.powerCuts, devices };
  }
}

/** The truth of a plan without running it (mode 'plan'): segments and faults, no heartbeats yet. */
export function truthOfPlan(plan: Plan, scenario: Pick<Scenario, 'name' | 'commune' | 'seed'>): Truth {
  const rec = new TruthRecorder({
    scenario: scenario.name,
    commune: scenario.commune,
    seed: scenario.seed,
    mode: 'plan',
    from: plan.from,
    speed: plan.speed,
  });
  for (const dp of plan.devices) {
    rec.addDevice(dp);
    for (const s of dp.segments) rec.state(dp.device.id, s.from, s.state, s.cause);
    for (const f of dp.faults) rec.fault(dp.device.id, f);
  }
  for (const c of plan.powerCuts) rec.powerCut(c.villageId, c.from, c.to);
  return rec.finish(plan.to);
}
