import { describe, expect, it } from 'vitest';
import { loadScenario } from '../scenario/load.ts';
import { buildPlan, composeSegments } from '../timeline/generate.ts';
import { TruthRecorder, truthOfPlan } from '../truth/recorder.ts';
import type { TruthDevice } from '../truth/types.ts';
import { deviceUptime, type HubViewOptions, hubView } from '../truth/uptime.ts';

const from = Date.parse('2024-01-01T00:00:00Z');
const to = Date.parse('2024-03-01T00:00:00Z');

describe('ground truth', () => {
  it('is deterministic: same seed, same truth; another seed, another history', () => {
    const s = loadScenario('hoang-kim');
    const a = truthOfPlan(buildPlan(s, { from, to }), s);
    const b = truthOfPlan(buildPlan(s, { from, to }), s);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const other = { ...s, seed: 'other' };
    const c = truthOfPlan(buildPlan(other, { from, to }), other);
    expect(JSON.stringify(c.devices)).not.toBe(JSON.stringify(a.devices));
  });

  it('applies the failure models of the scenario', () => {
    const s = loadScenario('hoang-kim');
    const plan = buildPlan(s, { from, to });
    const byId = new Map(plan.devices.map((d) => [d.device.id, d]));
    // Never comes up.
    expect(byId.get('hk-cam-25')!.segments).toEqual([
      { from, to, state: 'down', cause: 'never', wire: 'silent' },
    ]);
    // A power cut takes the whole village down at the same moment (loudspeakers after their battery).
    const cut = plan.powerCuts.find((c) => c.to - c.from > 3 * 3_600_000)!;
    expect(cut).toBeDefined();
    for (const d of plan.devices.filter(
      (x) => x.device.villageId === cut.villageId && x.device.id !== 'hk-cam-25',
    )) {
      const startsDown = d.device.kind === 'loudspeaker' ? cut.from + 120 * 60_000 : cut.from;
      const seg = d.segments.find((x) => x.from <= startsDown && startsDown < x.to)!;
      expect(seg.state === 'maintenance' || seg.cause === 'power', d.device.id).toBe(true);
      if (d.device.kind === 'loudspeaker')
        expect(d.faults).toContainEqual(expect.objectContaining({ from: cut.from, fault: 'on_battery' }));
    }
    // Flapping links have many short outages; the others do not.
    const flaps = (id: string) => byId.get(id)!.segments.filter((x) => x.cause === 'flap').length;
    expect(flaps('hk-wifi-12')).toBeGreaterThan(50);
    expect(flaps('hk-wifi-01')).toBe(0);
    // Maintenance every 28 days for the wifi of thôn 3.
    expect(byId.get('hk-wifi-01')!.segments.filter((x) => x.state === 'maintenance')).toHaveLength(2);
    // Segments cover the range without gaps.
    for (const d of plan.devices) {
      expect(d.segments[0]!.from).toBe(from);
      expect(d.segments.at(-1)!.to).toBe(to);
      d.segments.slice(1).forEach((seg, i) => {
        expect(seg.from).toBe(d.segments[i]!.to);
      });
    }
  });

  it('composes overlapping causes by priority', () => {
    const m = (a: number, b: number, kind: string) => Object.assign([a, b], { kind }) as never;
    expect(composeSegments([m(10, 30, 'flap'), m(20, 40, 'power'), m(35, 50, 'maintenance')], 0, 60)).toEqual(
      [
        { from: 0, to: 10, state: 'up' },
        { from: 10, to: 20, state: 'down', cause: 'flap' },
        { from: 20, to: 35, state: 'down', cause: 'power' },
        { from: 35, to: 50, state: 'maintenance' },
        { from: 50, to: 60, state: 'up' },
      ],
    );
  });

  it('computes uptime from segments and heartbeat coverage (t vouches for [t, t + 2.5 × interval))', () => {
    const s = loadScenario('hoang-kim');
    const dp = buildPlan(s, { from: 0, to: 1000_000, failures: false }).devices[0]!;
    const rec = new TruthRecorder({ scenario: 'x', commune: 'x', seed: 1, mode: 'live', from: 0, speed: 1 });
    rec.addDevice(dp); // interval 30 s → grace 75 s
    rec.state(dp.device.id, 0, 'up');
    for (let t = 0; t <= 300_000; t += 30_000) rec.heartbeat(dp.device.id, t); // 0 … 300 s
    rec.state(dp.device.id, 310_000, 'down', 'outage'); // silent: covered until 300 + 75 = 375 s
    rec.state(dp.device.id, 500_000, 'up');
    rec.heartbeat(dp.device.id, 500_000);
    rec.heartbeat(dp.device.id, 530_000);
    rec.cut(dp.device.id, 540_000); // last will at 540 s cuts the grace short
    rec.state(dp.device.id, 540_000, 'down', 'killed');
    rec.state(dp.device.id, 800_000, 'maintenance');
    const truth = rec.finish(1000_000);
    const d = truth.devices[0]!;
    expect(d.coverage).toEqual([
      [0, 375_000],
      [500_000, 540_000],
    ]);
    const u = deviceUptime(d, 0, 1000_000);
    expect(u.upMs).toBe(310_000 + 40_000);
    expect(u.maintenanceMs).toBe(200_000);
    expect(u.ratio).toBeCloseTo(350_000 / 800_000, 10);
    expect(u.hubCoveredMs).toBe(415_000);
    expect(u.hubRatio).toBeCloseTo(0.415, 10);
    // Any window: [300 s, 600 s).
    const w = deviceUptime(d, 300_000, 600_000);
    expect(w.upMs).toBe(10_000 + 40_000);
    expect(w.hubCoveredMs).toBe(75_000 + 40_000);
  });
});

describe('hubView: the figures a correct hub reports from the truth’s coverage', () => {
  const S = 1000;
  const device = (coverage: [number, number][]): TruthDevice => ({
    id: 'd',
    kind: 'wifi',
    villageId: 'v',
    village: 'V',
    intervalS: 30,
    clockOffsetMs: 0,
    clockPpm: 0,
    segments: [],
    faults: [],
    coverage,
    heartbeats: 0,
  });
  // [name, coverage, options, expected [up, down, unknown, maintenance] in seconds] over [0, 100 s)
  const cases: Array<[string, [number, number][], Partial<HubViewOptions>, number[]]> = [
    ['hub ran throughout, nothing heard: down', [], {}, [0, 100, 0, 0]],
    ['hub never ran, nothing heard: unknown', [], { hubRunning: [] }, [0, 0, 100, 0]],
    ['covered while the hub was off is still up', [[10 * S, 40 * S]], { hubRunning: [] }, [30, 0, 70, 0]],
    [
      'uncovered time splits by the hub’s runs',
      [[0, 20 * S]],
      { hubRunning: [[0, 50 * S]] },
      [20, 30, 50, 0],
    ],
    [
      'maintenance comes first, even when covered',
      [[0, 60 * S]],
      { maintenance: [[50 * S, 70 * S]] },
      [50, 30, 0, 20],
    ],
    ['time before provisioning is left out', [[0, 100 * S]], { createdAt: 40 * S }, [60, 0, 0, 0]],
  ];
  it.each(cases)('%s', (_name, coverage, opts, expected) => {
    const v = hubView(device(coverage), 0, 100 * S, { hubRunning: [[0, 100 * S]], ...opts });
    expect([v.upMs, v.downMs, v.unknownMs, v.maintenanceMs].map((ms) => ms / S)).toEqual(expected);
  });
});
