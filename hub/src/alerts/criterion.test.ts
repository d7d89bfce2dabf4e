import type { AlertRule, DeviceKind, Evaluation, NotifyKind } from '@commune-hub/protocol';
import { describe, expect, it } from 'vitest';
import {
  type CriterionCondition,
  type CriterionSnapshot,
  criterionRisk,
  criterionTitle,
  snapshotsOf,
  watches,
} from './criterion.ts';
import { AlertEngine } from './engine.ts';
import type { AlertRecord, AlertSink, DeviceInfo } from './model.ts';

const MIN = 60_000;
const SET = 'thanh-hoa-1829-2023';

function snap(over: Partial<CriterionSnapshot> = {}): CriterionSnapshot {
  return {
    setId: SET,
    code: '4.5',
    name: 'Có điểm phát wifi công cộng tại các địa điểm quan trọng trong xã',
    kinds: ['wifi'],
    assessment: 'dat',
    measured: true,
    liveNow: { online: 14, total: 14, needed: 1 },
    deviceIds: [],
    ...over,
  };
}
const cond = (over: Partial<CriterionCondition> = {}): CriterionCondition => ({
  kind: 'criterion_at_risk',
  setId: SET,
  criterionIds: ['4.5'],
  ...over,
});

describe('criterionRisk: when a criterion is about to fail', () => {
  it.each([
    ['all working, target needs 1', cond(), snap(), false, 'none'],
    [
      'fewer working than the target needs',
      cond(),
      snap({ liveNow: { online: 0, total: 14, needed: 1 } }),
      true,
      'live_below',
    ],
    [
      'exactly the count the target needs',
      cond(),
      snap({ liveNow: { online: 1, total: 14, needed: 1 } }),
      false,
      'none',
    ],
    [
      'within the margin of the target',
      cond({ margin: 2 }),
      snap({ liveNow: { online: 2, total: 14, needed: 1 } }),
      true,
      'live_below',
    ],
    [
      'just outside the margin',
      cond({ margin: 2 }),
      snap({ liveNow: { online: 3, total: 14, needed: 1 } }),
      false,
      'none',
    ],
    [
      'below minOnline (the official’s own count)',
      cond({ minOnline: 14 }),
      snap({ liveNow: { online: 12, total: 14, needed: 1 } }),
      true,
      'live_below',
    ],
    [
      'at minOnline',
      cond({ minOnline: 12 }),
      snap({ liveNow: { online: 12, total: 14, needed: 1 } }),
      false,
      'none',
    ],
    [
      'assessed Không đạt so far, all working now',
      cond(),
      snap({ assessment: 'khong_dat' }),
      true,
      'khong_dat',
    ],
    [
      'coverage (no needed count): only the assessment',
      cond(),
      snap({ liveNow: { online: 0, total: 9 } }),
      false,
      'none',
    ],
    [
      'coverage with minOnline',
      cond({ minOnline: 9 }),
      snap({ liveNow: { online: 8, total: 9 } }),
      true,
      'live_below',
    ],
    [
      'not live (past period): only the assessment',
      cond({ minOnline: 14 }),
      snap({ liveNow: null }),
      false,
      'none',
    ],
    [
      'a manual row is never at risk from devices',
      cond(),
      snap({ measured: false, assessment: 'khong_dat' }),
      false,
      'none',
    ],
    [
      'Chưa đánh giá (ratio without its input) is not a failure',
      cond(),
      snap({ assessment: 'chua_danh_gia', liveNow: { online: 20, total: 21 } }),
      false,
      'none',
    ],
  ] as const)('%s', (_what, c, s, atRisk, why) => {
    const v = criterionRisk(c, s);
    expect(v.atRisk).toBe(atRisk);
    expect(v.why ?? 'none').toBe(why);
  });

  it.each([
    ['named code', cond(), snap(), true],
    ['other code', cond(), snap({ code: '4.6' }), false],
    ['other set', cond({ setId: 'ntm-318-tieu-chi-8' }), snap(), false],
    [
      'no codes: every criterion measured from devices',
      cond({ criterionIds: undefined }),
      snap({ code: '4.6' }),
      true,
    ],
    [
      'no codes: not a manual one',
      cond({ criterionIds: undefined }),
      snap({ code: '1.1', measured: false }),
      false,
    ],
  ] as const)('watches: %s', (_what, c, s, expected) => {
    expect(watches(c, s)).toBe(expected);
  });

  it('titles say which criterion, what devices and how many work now, in Vietnamese', () => {
    expect(criterionTitle(snap({ liveNow: { online: 12, total: 14, needed: 14 } }), 'live_below')).toBe(
      'Chỉ tiêu 4.5 (điểm wifi công cộng) có nguy cơ không đạt: 12/14 đang hoạt động',
    );
    expect(criterionTitle(snap({ kinds: [], liveNow: null, code: '4.4' }), 'khong_dat')).toBe(
      'Chỉ tiêu 4.4 (Có điểm phát wifi công cộng tại các địa…) có nguy cơ không đạt: đang đánh giá Không đạt',
    );
  });

  it('snapshotsOf keeps the live count, and the devices of the live selection only', () => {
    const ev = (reason: string | null, id: string) => ({
      id,
      kind: 'wifi',
      reason,
      counted: reason === null,
    });
    const evaluation = {
      setId: SET,
      rows: [
        {
          code: '4.5',
          name_vi: 'Wifi',
          assessment: 'dat',
          source: 'rule',
          measured: { measure: 'count' },
          liveNow: { online: 1, total: 2, needed: 1 },
          evidence: {
            counted: [ev(null, 'w1')],
            notCounted: [ev('uptime_below_min', 'w2'), ev('location_type_excluded', 'w9')],
            coverage: [],
          },
        },
        {
          code: '4.1',
          name_vi: 'Cáp quang',
          assessment: 'khong_dat',
          source: 'partial',
          measured: { measure: 'count' },
          liveNow: { online: 0, total: 0 },
          evidence: { counted: [], notCounted: [], coverage: [] },
        },
      ],
    } as unknown as Evaluation;
    const [wifi, partial] = snapshotsOf(evaluation);
    expect(wifi).toMatchObject({ code: '4.5', kinds: ['wifi'], measured: true, deviceIds: ['w1', 'w2'] });
    expect(wifi?.liveNow).toEqual({ online: 1, total: 2, needed: 1 });
    expect(partial?.measured).toBe(false);
  });
});

function device(id: string, kind: DeviceKind = 'wifi'): DeviceInfo {
  return { id, kind, name: id, village: 'Thôn 1', villageId: '1', communeId: 'hk', parentId: null, tags: [] };
}

function rule(id: string, condition: CriterionCondition, over: Partial<AlertRule> = {}): AlertRule {
  return {
    id,
    name: id,
    enabled: true,
    severity: 'warning',
    scope: {},
    condition,
    scheduleId: null,
    outsideSchedule: 'record',
    notify: { channelIds: ['tg'] },
    createdAt: '',
    updatedAt: '',
    ...over,
  };
}

function harness(devices: DeviceInfo[], rules: AlertRule[]) {
  const byId = new Map(devices.map((d) => [d.id, d]));
  const log: Array<{ kind: NotifyKind; title: string }> = [];
  const all = new Map<string, AlertRecord>();
  const sink: AlertSink = {
    changed: (a) => all.set(a.id, { ...a, deviceIds: [...a.deviceIds] }),
    discarded: (a) => all.delete(a.id),
    history: () => {},
    notify: (a, kind) => log.push({ kind, title: a.title }),
  };
  let n = 0;
  const engine = new AlertEngine(
    { device: (id) => byId.get(id), villageDevices: () => devices, children: () => [] },
    sink,
    () => null,
    () => `a${++n}`,
    { windowMs: 2 * MIN, minDevices: 3, minFraction: 0.6 },
  );
  engine.setRules(rules);
  for (const d of devices) engine.onStatus(d.id, 'online', 0, false);
  return { engine, log, all, list: () => [...all.values()] };
}

describe('AlertEngine: criterion_at_risk', () => {
  const T = Date.parse('2026-12-01T02:00:00Z');
  const wifi = ['w1', 'w2', 'w3'].map((id) => device(id));
  const row = (online: number, assessment: CriterionSnapshot['assessment'] = 'dat') =>
    snap({ liveNow: { online, total: 3, needed: 1 }, assessment, deviceIds: ['w1', 'w2', 'w3'] });

  it('pending while at risk, fires after forMin, follows the count, resolves when the devices return', () => {
    const h = harness(wifi, [rule('r', cond({ minOnline: 3, forMin: 5 }))]);
    h.engine.onCriteria(SET, [row(3)], T);
    h.engine.tick(T);
    expect(h.list()).toEqual([]);

    h.engine.onStatus('w2', 'offline', T + MIN, false, T + MIN);
    h.engine.onCriteria(SET, [row(2)], T + MIN);
    h.engine.tick(T + MIN);
    expect(h.list()).toMatchObject([
      {
        state: 'pending',
        cause: 'criterion',
        condition: 'criterion_at_risk',
        villageId: null,
        deviceIds: ['w2'],
        title: 'Chỉ tiêu 4.5 (điểm wifi công cộng) có nguy cơ không đạt: 2/3 đang hoạt động',
      },
    ]);
    h.engine.tick(T + 6 * MIN - 1);
    expect(h.log).toEqual([]);
    h.engine.tick(T + 6 * MIN);
    expect(h.list()[0]?.state).toBe('firing');
    expect(h.log.map((l) => l.kind)).toEqual(['fired']);

    // A second one down: same alert, new count and devices, no second notification.
    h.engine.onStatus('w3', 'offline', T + 7 * MIN, false, T + 7 * MIN);
    h.engine.onCriteria(SET, [row(1)], T + 7 * MIN);
    h.engine.tick(T + 7 * MIN);
    expect(h.list()).toHaveLength(1);
    expect(h.list()[0]).toMatchObject({ state: 'firing', deviceIds: ['w2', 'w3'] });
    expect(h.list()[0]?.title).toMatch(/1\/3 đang hoạt động$/);

    h.engine.onStatus('w2', 'online', T + 9 * MIN, false, T + 9 * MIN);
    h.engine.onStatus('w3', 'online', T + 9 * MIN, false, T + 9 * MIN);
    h.engine.onCriteria(SET, [row(3)], T + 9 * MIN);
    h.engine.tick(T + 9 * MIN);
    const a = h.list()[0];
    expect(a?.state).toBe('resolved');
    expect(((a?.resolvedAt ?? 0) - (a?.since ?? 0)) / MIN).toBe(8);
    expect(h.log.map((l) => l.kind)).toEqual(['fired', 'resolved']);
  });

  it('at risk only briefly: the pending alert is discarded, nobody is told', () => {
    const h = harness(wifi, [rule('r', cond({ minOnline: 3, forMin: 5 }))]);
    h.engine.onCriteria(SET, [row(2)], T);
    h.engine.tick(T);
    expect(h.list()[0]?.state).toBe('pending');
    h.engine.onCriteria(SET, [row(3)], T + 2 * MIN);
    h.engine.tick(T + 2 * MIN);
    expect(h.list()).toEqual([]);
    expect(h.log).toEqual([]);
  });

  it('without forMin, Không đạt fires at the first evaluation; deleting the rule resolves it', () => {
    const h = harness(wifi, [rule('r', cond())]);
    h.engine.onCriteria(SET, [row(3, 'khong_dat')], T);
    h.engine.tick(T);
    expect(h.list()[0]).toMatchObject({ state: 'firing', deviceIds: [] });
    h.engine.setRules([]);
    h.engine.tick(T + MIN);
    expect(h.list()[0]?.state).toBe('resolved');
  });

  it('a rule added later is judged at once against the last evaluation', () => {
    const h = harness(wifi, []);
    h.engine.onCriteria(SET, [row(0)], T);
    h.engine.setRules([rule('r', cond())]);
    h.engine.tick(T + MIN);
    expect(h.list()[0]?.state).toBe('firing');
  });

  it('an alert restored after a restart waits for its set to be evaluated again before resolving', () => {
    const h = harness(wifi, [rule('r', cond())]);
    h.engine.onCriteria(SET, [row(0)], T);
    h.engine.tick(T);
    const fired = h.list()[0]!;
    const again = harness(wifi, [rule('r', cond())]);
    again.engine.restore([{ ...fired }]);
    again.engine.tick(T + MIN);
    expect(again.engine.openAlerts()).toHaveLength(1);
    again.engine.onCriteria(SET, [row(3)], T + 2 * MIN);
    again.engine.tick(T + 2 * MIN);
    expect(again.engine.openAlerts()).toEqual([]);
    expect(again.list()[0]?.state).toBe('resolved');
  });
});
