import { beforeEach, describe, expect, it } from 'vitest';
import type { DeviceRecord } from '../registry/registry.ts';
import type { TransitionRow } from '../store/types.ts';
import { graceMsFor, type LiveDevice, LivenessTracker } from './tracker.ts';

const T0 = Date.UTC(2026, 0, 1);

function record(id: string, intervalS = 30, live: Partial<DeviceRecord['live']> = {}): DeviceRecord {
  return {
    id,
    kind: 'wifi',
    name: id,
    village: 'Thôn 1',
    villageId: 'thon-1',
    siteId: null,
    parentId: null,
    tags: [],
    intervalS,
    createdAt: T0,
    disabled: false,
    live: {
      status: 'unknown',
      since: T0,
      reason: 'provisioned',
      lastTs: null,
      lastSeq: null,
      metrics: {},
      faults: [],
      ...live,
    },
  };
}

describe('LivenessTracker (injected clock, months in milliseconds)', () => {
  let now: number;
  let transitions: TransitionRow[];
  let changes: LiveDevice[];
  let records: Map<string, DeviceRecord>;
  let tracker: LivenessTracker;

  let cuts: Array<[string, number]>;
  let windows: Array<{ id: string; start: number; end: number }>;
  const make = (list: DeviceRecord[]) => {
    records = new Map(list.map((r) => [r.id, r]));
    tracker = new LivenessTracker(
      { now: () => now },
      (id) => records.get(id),
      {
        onTransition: (t) => transitions.push(t),
        onChange: (d) => changes.push({ ...d }),
        onDisconnect: (id, at) => cuts.push([id, at]),
      },
      1000,
      (id, at) => windows.find((w) => w.id === id && w.start <= at && at < w.end),
    );
    tracker.start(list);
  };
  const hb = (id: string, ts = now, st: 'ok' | 'degraded' | 'fault' = 'ok', seq = 1) =>
    tracker.heartbeat(id, { ts, seq, st, m: {}, faults: [] });

  beforeEach(() => {
    now = T0;
    transitions = [];
    changes = [];
    cuts = [];
    windows = [];
  });

  it('enters maintenance at the window start and leaves it at its end, back to what heartbeats say', () => {
    make([record('a', 30), record('b', 30)]);
    windows.push(
      { id: 'a', start: T0 + 60_000, end: T0 + 120_000 },
      { id: 'b', start: T0 + 60_000, end: T0 + 120_000 },
    );
    hb('a');
    hb('b');
    now += 65_000;
    tracker.sweep();
    expect(tracker.get('a')!.status).toBe('maintenance');
    expect(transitions.filter((t) => t.to === 'maintenance').map((t) => t.at)).toEqual([
      T0 + 60_000,
      T0 + 60_000,
    ]);
    for (; now < T0 + 125_000; now += 5_000) {
      hb('a', now, 'ok', now); // a keeps beating through the window, b is silent
      tracker.sweep();
    }
    expect(tracker.get('a')).toMatchObject({ status: 'online', reason: 'maintenance', since: T0 + 120_000 });
    expect(tracker.get('b')).toMatchObject({ status: 'offline', reason: 'maintenance', since: T0 + 120_000 });
    tracker.stop();
  });

  it('reports every disconnect as a cut of coverage', () => {
    make([record('a')]);
    hb('a');
    now += 1000;
    tracker.disconnect('a', false);
    expect(cuts).toEqual([['a', T0 + 1000]]);
    tracker.stop();
  });

  it('goes offline by timeout exactly at the grace deadline, not when the sweep notices', () => {
    make([record('a', 30)]);
    expect(hb('a')).toBe('live');
    now += graceMsFor(30) - 1;
    tracker.sweep();
    expect(tracker.get('a')!.status).toBe('online');
    now += 5_000; // the sweep runs late
    tracker.sweep();
    expect(tracker.get('a')!.status).toBe('offline');
    expect(transitions.at(-1)).toMatchObject({ to: 'offline', reason: 'timeout', at: T0 + 75_000 });
    tracker.stop();
  });

  it('keeps a device online across 90 days of regular heartbeats with no spurious transitions', () => {
    make([record('a', 30)]);
    for (let i = 0; i < 90 * 2880; i++) {
      hb('a', now, 'ok', i);
      now += 30_000;
      if (i % 100 === 0) tracker.sweep();
    }
    expect(transitions.map((t) => t.to)).toEqual(['online']);
    tracker.stop();
  });

  it('treats a heartbeat older than the newest, or older than the grace, as history', () => {
    make([record('a', 30)]);
    hb('a', now, 'ok', 10);
    expect(hb('a', now - 1_000, 'ok', 9)).toBe('history');
    now += 10 * 60_000;
    tracker.sweep();
    expect(tracker.get('a')!.status).toBe('offline');
    // The agent's buffer arrives after the outage: newer than the last one, but stale. Still offline.
    expect(hb('a', now - 9 * 60_000, 'ok', 11)).toBe('history');
    expect(tracker.get('a')!.status).toBe('offline');
    expect(hb('a', now, 'ok', 30)).toBe('live');
    expect(tracker.get('a')!.status).toBe('online');
    tracker.stop();
  });

  it('degrades on a fault and recovers on a clean heartbeat', () => {
    make([record('a')]);
    hb('a', now, 'fault');
    now += 1000;
    hb('a', now, 'ok', 2);
    expect(transitions.map((t) => `${t.to}:${t.reason}`)).toEqual(['degraded:fault', 'online:recovered']);
    tracker.stop();
  });

  it('distinguishes a dropped connection from a clean shutdown', () => {
    make([record('a'), record('b')]);
    hb('a');
    hb('b');
    tracker.disconnect('a', false);
    tracker.disconnect('b', true);
    expect(tracker.get('a')).toMatchObject({ status: 'offline', reason: 'disconnect' });
    expect(tracker.get('b')).toMatchObject({ status: 'offline', reason: 'shutdown' });
    tracker.stop();
  });

  it('after a hub restart keeps live devices live and gives them a fresh grace from boot', () => {
    const lastTs = T0 - 60 * 60_000; // the hub was down for an hour
    make([record('a', 30, { status: 'online', since: T0 - 86_400_000, reason: 'heartbeat', lastTs })]);
    expect(tracker.get('a')!.status).toBe('online');
    now += 10_000;
    hb('a', now, 'ok', 2);
    now += 60_000;
    tracker.sweep();
    expect(tracker.get('a')!.status).toBe('online');
    expect(transitions).toEqual([]);
    tracker.stop();
  });

  it('a device silent after a restart times out one grace after boot', () => {
    make([
      record('a', 30, {
        status: 'online',
        since: T0 - 86_400_000,
        reason: 'heartbeat',
        lastTs: T0 - 3_600_000,
      }),
    ]);
    now += graceMsFor(30);
    tracker.sweep();
    expect(transitions).toMatchObject([{ to: 'offline', reason: 'timeout', at: T0 + graceMsFor(30) }]);
    tracker.stop();
  });

  it('reports dirty devices once for batched persistence', () => {
    make([record('a'), record('b')]);
    hb('a');
    expect(tracker.takeDirty().map((d) => d.id)).toEqual(['a']);
    expect(tracker.takeDirty()).toEqual([]);
    tracker.stop();
  });

  it('disabling takes a device offline with reason `disabled` and one cut; its closing connection adds none', () => {
    make([record('a', 30)]);
    hb('a');
    now += 5_000;
    records.set('a', { ...records.get('a')!, disabled: true });
    tracker.disable('a');
    expect(tracker.get('a')).toMatchObject({ status: 'offline', reason: 'disabled', deadline: null });
    expect(transitions.at(-1)).toMatchObject({ from: 'online', to: 'offline', reason: 'disabled', at: now });
    expect(cuts).toEqual([['a', now]]);
    now += 1_000;
    tracker.disconnect('a', false);
    expect(cuts).toHaveLength(1);
    expect(transitions.filter((t) => t.to === 'offline')).toHaveLength(1);
    // A maintenance window does not bring a disabled device back into view.
    windows.push({ id: 'a', start: now - 1, end: now + 60_000 });
    tracker.sweep();
    expect(tracker.get('a')!.status).toBe('offline');
    tracker.stop();
  });

  it('a window scheduled or removed takes effect at once, not at the next sweep', () => {
    make([record('a', 30)]);
    hb('a');
    windows.push({ id: 'a', start: now, end: now + 3_600_000 });
    tracker.maintenanceChanged(['a']);
    expect(tracker.get('a')!.status).toBe('maintenance');
    windows.length = 0;
    now += 10_000;
    tracker.maintenanceChanged(['a']);
    expect(tracker.get('a')).toMatchObject({ status: 'online', reason: 'maintenance', since: now });
    tracker.stop();
  });
});
