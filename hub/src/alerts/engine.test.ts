import type { AlertRule, AlertSchedule, DeviceKind, DeviceStatus, NotifyKind } from '@commune-hub/protocol';
import { describe, expect, it } from 'vitest';
import { AlertEngine } from './engine.ts';
import type { AlertRecord, AlertSink, DeviceInfo } from './model.ts';

const MIN = 60_000;
// 2027-02-06 is Tết Nguyên Đán (mùng 1); 2027-02-10 a Wednesday after the break.
const TET_3AM = Date.parse('2027-02-05T20:00:00Z'); // 03:00 on 6 Feb in Hà Nội
const WED_10AM = Date.parse('2027-02-10T03:00:00Z');

function device(id: string, kind: DeviceKind, villageId: string, parentId: string | null = null): DeviceInfo {
  return { id, kind, name: id, village: `Thôn ${villageId}`, villageId, communeId: 'hk', parentId, tags: [] };
}

function rule(id: string, over: Partial<AlertRule> = {}): AlertRule {
  return {
    id,
    name: id,
    enabled: true,
    severity: 'warning',
    scope: {},
    condition: { kind: 'offline_for', forMin: 5 },
    scheduleId: null,
    outsideSchedule: 'record',
    notify: { channelIds: ['tg'] },
    createdAt: '',
    updatedAt: '',
    ...over,
  };
}

const office: AlertSchedule = {
  id: 'office',
  name: 'Giờ hành chính',
  hours: [
    { days: [1, 2, 3, 4, 5], from: '07:30', to: '11:30' },
    { days: [1, 2, 3, 4, 5], from: '13:30', to: '17:00' },
  ],
  publicHolidays: true,
  daysOff: [],
  workingDays: [],
  workingDayHours: null,
  updatedAt: '',
};

function harness(
  devices: DeviceInfo[],
  rules: AlertRule[],
  muted = new Set<string>(),
  uptime: (id: string, from: number, to: number) => number | null = () => null,
) {
  const byId = new Map(devices.map((d) => [d.id, d]));
  const log: Array<{ kind: NotifyKind; alert: string; channels: string[]; at: number }> = [];
  const all = new Map<string, AlertRecord>();
  const discarded: string[] = [];
  const sink: AlertSink = {
    changed: (a) => all.set(a.id, { ...a }),
    discarded: (a) => {
      all.delete(a.id);
      discarded.push(a.title);
    },
    history: () => {},
    notify: (a, kind, channels, at) => log.push({ kind, alert: a.title, channels, at }),
  };
  let n = 0;
  const engine = new AlertEngine(
    {
      device: (id) => byId.get(id),
      villageDevices: (v) => devices.filter((d) => d.villageId === v),
      children: (p) => devices.filter((d) => d.parentId === p),
    },
    sink,
    (d) => (muted.has(d.id) || muted.has(d.villageId) ? 'muted' : null),
    () => `a${++n}`,
    { windowMs: 2 * MIN, minDevices: 3, minFraction: 0.6 },
    uptime,
  );
  engine.setSchedules([office]);
  engine.setRules(rules);
  for (const d of devices) engine.onStatus(d.id, 'online', 0, false);
  const set = (id: string, status: DeviceStatus, at: number, onBattery = false) =>
    engine.onStatus(id, status, at, onBattery, at);
  const states = () => [...all.values()].map((a) => ({ title: a.title, state: a.state, cause: a.cause }));
  return { engine, log, all, set, states, discarded };
}

describe('AlertEngine', () => {
  const T = Date.parse('2026-12-01T02:00:00Z'); // Tuesday 09:00 in Hà Nội

  it('a lone device goes pending, fires after the hold (not before) and resolves with its duration', () => {
    const h = harness(
      [device('w1', 'wifi', '2'), device('w2', 'wifi', '2'), device('c1', 'camera', '2')],
      [rule('r')],
    );
    h.set('w1', 'offline', T);
    h.engine.tick(T);
    expect(h.states()).toEqual([{ title: 'Thôn 2: w1 mất kết nối', state: 'pending', cause: 'device' }]);
    h.engine.tick(T + 5 * MIN - 1);
    expect(h.log).toEqual([]);
    h.engine.tick(T + 5 * MIN);
    expect(h.states()[0]?.state).toBe('firing');
    expect(h.log.map((l) => l.kind)).toEqual(['fired']);
    h.set('w1', 'online', T + 20 * MIN);
    h.engine.tick(T + 20 * MIN);
    const a = [...h.all.values()][0];
    expect(a?.state).toBe('resolved');
    expect(((a?.resolvedAt ?? 0) - (a?.since ?? 0)) / MIN).toBe(20);
    expect(h.log.map((l) => l.kind)).toEqual(['fired', 'resolved']);
  });

  it('a condition that clears before its hold leaves no alert', () => {
    const h = harness([device('w1', 'wifi', '2')], [rule('r')]);
    h.set('w1', 'offline', T);
    h.engine.tick(T + MIN);
    h.set('w1', 'online', T + 2 * MIN);
    h.engine.tick(T + 10 * MIN);
    expect(h.states()).toEqual([]);
    expect(h.log).toEqual([]);
  });

  it('a village power cut is one "mất điện" alert listing its devices, with no per-device alert', () => {
    const v = [
      device('w1', 'wifi', '3'),
      device('c1', 'camera', '3'),
      device('p1', 'pc', '3'),
      device('l1', 'loudspeaker', '3'),
      device('l2', 'loudspeaker', '3'),
      device('w9', 'wifi', '9'),
    ];
    const h = harness(v, [rule('r'), rule('deg', { condition: { kind: 'degraded_for', forMin: 5 } })]);
    h.set('l1', 'degraded', T, true);
    h.set('l2', 'degraded', T, true);
    h.set('w1', 'offline', T + 1000);
    h.engine.tick(T + 1000);
    h.set('c1', 'offline', T + 2000);
    h.set('p1', 'offline', T + 3000);
    for (let t = T; t <= T + 60 * MIN; t += MIN) h.engine.tick(t);
    expect(h.states()).toEqual([{ title: 'Thôn 3: mất điện', state: 'firing', cause: 'power_cut' }]);
    expect([...h.all.values()][0]?.deviceIds).toEqual(['c1', 'l1', 'l2', 'p1', 'w1']);
    expect(h.log.map((l) => `${l.kind} ${l.alert}`)).toEqual(['fired Thôn 3: mất điện']);
    // Batteries run out later: still the same alert.
    h.set('l1', 'offline', T + 120 * MIN);
    h.set('l2', 'offline', T + 120 * MIN);
    h.engine.tick(T + 121 * MIN);
    expect(h.states()).toHaveLength(1);
    // Power back: resolved, and devices reconnecting over a minute do not alert alone.
    for (const id of ['w1', 'c1', 'p1', 'l1', 'l2']) h.set(id, 'online', T + 150 * MIN);
    for (let t = T + 150 * MIN; t <= T + 170 * MIN; t += MIN) h.engine.tick(t);
    const a = [...h.all.values()][0];
    expect(a?.state).toBe('resolved');
    expect((a?.resolvedAt ?? 0) - (a?.since ?? 0)).toBe(150 * MIN - 1000); // from the first drop
    expect(h.log.map((l) => l.kind)).toEqual(['fired', 'resolved']);
  });

  it('a gateway down with its 3 cameras is one alert; back with a camera still down, that camera fires', () => {
    const v = [
      device('gw', 'gateway', '4'),
      device('c1', 'camera', '4', 'gw'),
      device('c2', 'camera', '4', 'gw'),
      device('c3', 'camera', '4', 'gw'),
      device('w1', 'wifi', '4'),
      device('l1', 'loudspeaker', '4'),
    ];
    const h = harness(v, [rule('r')]);
    for (const id of ['gw', 'c1', 'c2', 'c3']) h.set(id, 'offline', T);
    for (let t = T; t <= T + 30 * MIN; t += MIN) h.engine.tick(t);
    expect(h.states()).toEqual([{ title: 'Thôn 4: mất mạng', state: 'firing', cause: 'network_cut' }]);
    for (const id of ['gw', 'c1', 'c2']) h.set(id, 'online', T + 30 * MIN);
    h.engine.tick(T + 30 * MIN);
    h.engine.tick(T + 31 * MIN);
    expect(h.states().filter((s) => s.state === 'firing')).toEqual([]);
    h.engine.tick(T + 33 * MIN);
    expect(h.states().filter((s) => s.state !== 'resolved')).toEqual([
      { title: 'Thôn 4: c3 mất kết nối', state: 'firing', cause: 'device' },
    ]);
    expect(h.log.map((l) => `${l.kind} ${l.alert}`)).toEqual([
      'fired Thôn 4: mất mạng',
      'resolved Thôn 4: mất mạng',
      'fired Thôn 4: c3 mất kết nối',
    ]);
  });

  it('a down parent elsewhere suppresses its children and its own alert lists them (parent_down)', () => {
    const v = [
      device('gw', 'gateway', '1'),
      device('x1', 'pc', '1'),
      device('x2', 'pc', '1'),
      device('x3', 'pc', '1'),
      device('c1', 'camera', '5', 'gw'),
      device('c9', 'camera', '5'),
      device('c8', 'camera', '5'),
      device('c7', 'camera', '5'),
    ];
    const h = harness(v, [rule('r')]);
    h.set('gw', 'offline', T);
    h.set('c1', 'offline', T);
    for (let t = T; t <= T + 10 * MIN; t += MIN) h.engine.tick(t);
    expect(h.states()).toEqual([
      { title: 'Thôn 1: gw mất kết nối cùng 1 thiết bị phía sau', state: 'firing', cause: 'parent_down' },
    ]);
  });

  it('on Tết at 3 a.m. a kiosk rule on office hours notifies nobody; a wifi rule that says so still notifies', () => {
    const v = [
      device('k1', 'kiosk', '3'),
      device('w1', 'wifi', '2'),
      device('w2', 'wifi', '2'),
      device('x', 'pc', '3'),
    ];
    const h = harness(v, [
      rule('kiosk', { scope: { kinds: ['kiosk'] }, scheduleId: 'office', outsideSchedule: 'record' }),
      rule('wifi', { scope: { kinds: ['wifi'] }, scheduleId: 'office', outsideSchedule: 'notify' }),
    ]);
    h.set('k1', 'offline', TET_3AM);
    h.set('w1', 'offline', TET_3AM);
    for (let t = TET_3AM; t <= TET_3AM + 12 * 60 * MIN; t += 10 * MIN) h.engine.tick(t);
    expect(h.states().map((s) => s.state)).toEqual(['firing', 'firing']);
    expect([...h.all.values()].map((a) => a.silencedBy)).toEqual(['outside_schedule', null]);
    expect(h.log.map((l) => `${l.kind} ${l.alert}`)).toEqual(['fired Thôn 2: w1 mất kết nối']);
  });

  it('a deferred alert notifies when the next working hour starts, if still firing', () => {
    const v = [device('k1', 'kiosk', '3'), device('x', 'pc', '3'), device('y', 'pc', '3')];
    const h = harness(v, [
      rule('kiosk', { scheduleId: 'office', outsideSchedule: 'defer', scope: { kinds: ['kiosk'] } }),
    ]);
    const tuesdayNight = Date.parse('2027-02-09T15:00:00Z'); // 22:00 local
    h.set('k1', 'offline', tuesdayNight);
    h.engine.tick(tuesdayNight + 10 * MIN);
    const a = [...h.all.values()][0];
    expect(a?.silencedBy).toBe('outside_schedule');
    expect(a?.deferredUntil).toBe(Date.parse('2027-02-10T00:30:00Z')); // 07:30 Wednesday
    h.engine.tick(Date.parse('2027-02-10T00:29:00Z'));
    expect(h.log).toEqual([]);
    h.engine.tick(Date.parse('2027-02-10T00:30:00Z'));
    expect(h.log.map((l) => l.kind)).toEqual(['fired']);
  });

  it('re-notifies at the interval up to the cap, escalates unacknowledged, and an ack stops both', () => {
    const h = harness(
      [device('w1', 'wifi', '2'), device('x', 'pc', '2'), device('y', 'pc', '2')],
      [
        rule('r', {
          notify: {
            channelIds: ['tg'],
            renotifyEveryMin: 10,
            renotifyMax: 2,
            escalate: { afterMin: 25, channelIds: ['mail'] },
          },
        }),
      ],
    );
    h.set('w1', 'offline', WED_10AM);
    for (let t = WED_10AM; t <= WED_10AM + 60 * MIN; t += MIN) h.engine.tick(t);
    expect(h.log.map((l) => `${l.kind}@${(l.at - WED_10AM) / MIN} ${l.channels}`)).toEqual([
      'fired@5 tg',
      'renotify@15 tg',
      'renotify@25 tg',
      'escalate@30 mail',
    ]);
    const h2 = harness(
      [device('w1', 'wifi', '2'), device('x', 'pc', '2'), device('y', 'pc', '2')],
      [
        rule('r', {
          notify: {
            channelIds: ['tg'],
            renotifyEveryMin: 10,
            renotifyMax: 5,
            escalate: { afterMin: 25, channelIds: ['mail'] },
          },
        }),
      ],
    );
    h2.set('w1', 'offline', WED_10AM);
    for (let t = WED_10AM; t <= WED_10AM + 8 * MIN; t += MIN) h2.engine.tick(t);
    const id = [...h2.all.keys()][0] ?? '';
    expect(h2.engine.acknowledge(id, 'Chị Lan', 'đang xử lý', WED_10AM + 8 * MIN)?.state).toBe(
      'acknowledged',
    );
    for (let t = WED_10AM + 9 * MIN; t <= WED_10AM + 60 * MIN; t += MIN) h2.engine.tick(t);
    expect(h2.log.map((l) => l.kind)).toEqual(['fired']);
  });

  it('a muted device records its alert without notifying', () => {
    const h = harness(
      [device('w1', 'wifi', '2'), device('x', 'pc', '2'), device('y', 'pc', '2')],
      [rule('r')],
      new Set(['w1']),
    );
    h.set('w1', 'offline', T);
    h.engine.tick(T + 10 * MIN);
    expect([...h.all.values()][0]).toMatchObject({ state: 'firing', silencedBy: 'muted', notifyCount: 0 });
    expect(h.log).toEqual([]);
  });

  it('a metric held past its threshold for the duration fires; a fault fires on the first report', () => {
    const h = harness(
      [device('c1', 'camera', '2')],
      [
        rule('disk', {
          condition: { kind: 'metric_threshold', metric: 'storageFreePct', op: '<', value: 10, forMin: 30 },
        }),
        rule('amp', { condition: { kind: 'device_fault', faults: ['disk_full'] } }),
      ],
    );
    h.engine.onHeartbeat('c1', T, { storageFreePct: 8 }, []);
    h.engine.tick(T + 29 * MIN);
    expect(h.states().map((s) => s.state)).toEqual(['pending']);
    h.engine.onHeartbeat('c1', T + 30 * MIN, { storageFreePct: 5 }, ['disk_full']);
    h.engine.tick(T + 30 * MIN);
    expect(h.states().map((s) => `${s.title} ${s.state}`)).toEqual([
      'Thôn 2: c1 vượt ngưỡng firing',
      'Thôn 2: c1 báo lỗi firing',
    ]);
    h.engine.onHeartbeat('c1', T + 40 * MIN, { storageFreePct: 50 }, []);
    h.engine.tick(T + 40 * MIN);
    expect(h.states().map((s) => s.state)).toEqual(['resolved', 'resolved']);
  });

  it('flapping: more than K transitions within T fires, and clears when the window slides past', () => {
    const h = harness(
      [device('w1', 'wifi', '2')],
      [rule('flap', { condition: { kind: 'flapping', transitions: 3, withinMin: 10 } })],
    );
    for (let i = 0; i < 4; i++) h.set('w1', i % 2 === 0 ? 'offline' : 'online', T + i * MIN);
    h.engine.tick(T + 4 * MIN);
    expect(h.states().map((s) => s.state)).toEqual(['firing']);
    h.engine.tick(T + 30 * MIN);
    expect(h.states().map((s) => s.state)).toEqual(['resolved']);
  });

  it('uptime over the rolling window below the target fires, and resolves when it is back above', () => {
    let ratio = 0.99;
    const windows: number[] = [];
    const h = harness(
      [device('w1', 'wifi', '2')],
      [rule('up', { condition: { kind: 'uptime_below', targetPct: 95, windowHours: 24 } })],
      new Set(),
      (_, from, to) => {
        windows.push(to - from);
        return ratio;
      },
    );
    h.engine.tick(T);
    expect(h.states()).toEqual([]);
    ratio = 0.9;
    h.engine.tick(T + MIN);
    expect(h.states().map((s) => `${s.title} ${s.state}`)).toEqual([
      'Thôn 2: w1 thời gian hoạt động thấp firing',
    ]);
    ratio = 0.97;
    h.engine.tick(T + 2 * MIN);
    expect(h.states().map((s) => s.state)).toEqual(['resolved']);
    expect(windows[0]).toBe(24 * 3600_000);
  });
});
