// The one contract every TimeSeriesStore passes, run against each implementation on a real backend
// (SQLite file, InfluxDB server). Import it from a *.test.ts file and call describeStoreContract().
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HeartbeatRow, TimeSeriesStore } from '../types.ts';
import { DAY, HOSTILE, HOUR, hb, MINUTE, T0, tr } from './fixtures.ts';

export interface ContractStoreOptions {
  /** Raw heartbeats older than this are removed by prune(). */
  retentionMs: number;
}

export type MakeStore = (
  options: ContractStoreOptions,
) => Promise<{ store: TimeSeriesStore; cleanup: () => Promise<void> }>;

/** Retention every store under contract is made with. */
export const CONTRACT_RETENTION_MS = 30 * DAY;

const ALL = { from: 0, to: T0 + 3650 * DAY };

/** Heartbeat timestamps of a device, oldest first (the stores had a method for this that only tests used). */
async function heartbeatTimes(store: TimeSeriesStore, deviceId: string, range: { from: number; to: number }) {
  return (await store.heartbeats(deviceId, range, 1_000_000)).map((r) => r.ts);
}

export function describeStoreContract(name: string, makeStore: MakeStore): void {
  describe(`TimeSeriesStore contract: ${name}`, () => {
    let store: TimeSeriesStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore({ retentionMs: CONTRACT_RETENTION_MS }));
    });
    afterEach(async () => {
      await cleanup();
    });

    it('reads back batched heartbeats exactly, oldest first, after flush', async () => {
      const rows = Array.from({ length: 50 }, (_, i) => hb('ls-01', T0 + i * 30_000, i));
      rows[3] = {
        ...rows[3]!,
        st: 'degraded',
        faults: ['amp_overheat', 'stream_lost'],
        m: { signal: -90.25 },
      };
      rows[4] = { ...rows[4]!, st: 'fault', late: true, up: 0, m: {} };
      store.writeHeartbeats(rows.slice(0, 20));
      store.writeHeartbeats(rows.slice(20, 35));
      store.writeHeartbeats(rows.slice(35));
      await store.flush();
      expect(await store.heartbeats('ls-01', ALL, 1000)).toEqual(rows);
    });

    it("order 'desc' returns newest first and its limit keeps the newest; seq breaks ties of one ts", async () => {
      const rows = Array.from({ length: 10 }, (_, i) => hb('ls-01', T0 + i * MINUTE, i));
      // Two heartbeats stamped in the same millisecond (a device that restarted its counter's clock).
      rows.push(hb('ls-01', T0 + 9 * MINUTE, 10));
      store.writeHeartbeats(rows);
      await store.flush();
      const range = { from: T0 + 2 * MINUTE, to: T0 + 10 * MINUTE };
      expect((await store.heartbeats('ls-01', range, 3, 'desc')).map((r) => r.seq)).toEqual([10, 9, 8]);
      expect((await store.heartbeats('ls-01', range, 100, 'desc')).map((r) => r.seq)).toEqual([
        10, 9, 8, 7, 6, 5, 4, 3, 2,
      ]);
      expect(await store.heartbeats('ls-01', range, 100, 'desc')).toEqual(
        (await store.heartbeats('ls-01', range, 100, 'asc')).reverse(),
      );
      expect((await store.heartbeats('ls-01', range, 2)).map((r) => r.seq)).toEqual([2, 3]);
      expect(await store.heartbeats('nobody', range, 10, 'desc')).toEqual([]);
    });

    it('commit() makes written rows readable without flush()', async () => {
      store.writeHeartbeats([hb('ls-01', T0, 1), hb('ls-01', T0 + MINUTE, 2)]);
      await store.commit();
      expect((await store.heartbeats('ls-01', ALL, 10)).map((r) => r.seq)).toEqual([1, 2]);
      await store.commit();
    });

    it('keeps heartbeats of other devices apart and answers [] for an unknown device', async () => {
      store.writeHeartbeats([hb('ls-01', T0, 1), hb('ls-02', T0, 1, { kind: 'camera', village: 'Thôn 3' })]);
      await store.flush();
      expect((await store.heartbeats('ls-02', ALL, 10)).map((r) => [r.deviceId, r.kind, r.village])).toEqual([
        ['ls-02', 'camera', 'Thôn 3'],
      ]);
      expect(await store.heartbeats('nobody', ALL, 10)).toEqual([]);
      expect(await heartbeatTimes(store, 'nobody', ALL)).toEqual([]);
      expect(await store.transitions('nobody', ALL)).toEqual([]);
      expect(await store.metricSeries('nobody', 'signal', ALL, HOUR)).toEqual([]);
    });

    it('ranges include `from` and exclude `to`; limit keeps the oldest', async () => {
      const rows = Array.from({ length: 10 }, (_, i) => hb('ls-01', T0 + i * MINUTE, i));
      store.writeHeartbeats(rows);
      await store.flush();
      const range = { from: T0 + 2 * MINUTE, to: T0 + 6 * MINUTE };
      expect((await store.heartbeats('ls-01', range, 100)).map((r) => r.seq)).toEqual([2, 3, 4, 5]);
      expect(await heartbeatTimes(store, 'ls-01', range)).toEqual([2, 3, 4, 5].map((i) => T0 + i * MINUTE));
      expect((await store.heartbeats('ls-01', range, 3)).map((r) => r.seq)).toEqual([2, 3, 4]);
      expect((await store.heartbeats('ls-01', ALL, 1)).map((r) => r.seq)).toEqual([0]);
      const oneMs = { from: T0 + 6 * MINUTE - 1, to: T0 + 6 * MINUTE };
      expect(await store.heartbeats('ls-01', oneMs, 100)).toEqual([]);
      expect(
        await heartbeatTimes(store, 'ls-01', { from: T0 + 6 * MINUTE, to: T0 + 6 * MINUTE + 1 }),
      ).toEqual([T0 + 6 * MINUTE]);
      expect(await store.heartbeats('ls-01', { from: range.to, to: range.from }, 100)).toEqual([]);
    });

    it('orders late (backfilled) heartbeats by device time and keeps the late flag', async () => {
      store.writeHeartbeats([hb('ls-01', T0 + 10 * MINUTE, 10), hb('ls-01', T0 + 11 * MINUTE, 11)]);
      await store.flush();
      store.writeHeartbeats([5, 6, 7].map((i) => hb('ls-01', T0 + i * MINUTE, i, { late: true })));
      await store.flush();
      const rows = await store.heartbeats('ls-01', ALL, 100);
      expect(rows.map((r) => [r.seq, r.late])).toEqual([
        [5, true],
        [6, true],
        [7, true],
        [10, false],
        [11, false],
      ]);
    });

    it('keeps two heartbeats in the same millisecond (by seq) and stores a repeated (device, ts, seq) once', async () => {
      store.writeHeartbeats([hb('ls-01', T0, 8), hb('ls-01', T0, 7), hb('ls-01', T0 + 1, 9)]);
      store.writeHeartbeats([hb('ls-01', T0, 8)]);
      await store.flush();
      expect((await store.heartbeats('ls-01', ALL, 100)).map((r) => r.seq)).toEqual([7, 8, 9]);
      expect(await heartbeatTimes(store, 'ls-01', ALL)).toEqual([T0, T0, T0 + 1]);
    });

    it('round-trips metric names that look like the store’s own columns', async () => {
      const m = {
        seq: 1,
        st: 'x',
        late: true,
        village: 'v',
        device: 2.5,
        kind: false,
        m_seq: 3,
        up: 4,
        faults: 'f',
      };
      store.writeHeartbeats([hb('ls-01', T0, 1, { m })]);
      await store.flush();
      const [row] = await store.heartbeats('ls-01', ALL, 10);
      expect(row).toEqual(hb('ls-01', T0, 1, { m }));
    });

    it('round-trips hostile strings in tags, metrics and faults', async () => {
      const rows: HeartbeatRow[] = [
        hb('a.b_c-9', T0, 1, {
          village: HOSTILE.village,
          m: { note: HOSTILE.text },
          faults: [HOSTILE.fault],
        }),
        hb('a.b_c-9', T0 + 1000, 2, { village: HOSTILE.villageTrailingBackslash, m: { note: '' } }),
        hb('a.b_c-9', T0 + 2000, 3, { village: HOSTILE.villageTabs, m: { note: 'ok' } }),
      ];
      store.writeHeartbeats(rows);
      store.writeTransitions([tr('a.b_c-9', T0, { kind: 'loudspeaker', village: HOSTILE.village })]);
      await store.flush();
      // A store may report the device's current village for all rows or the one of each row: compare the rest.
      const got = await store.heartbeats('a.b_c-9', ALL, 10);
      expect(got.map((r) => ({ ...r, village: '' }))).toEqual(rows.map((r) => ({ ...r, village: '' })));
      expect(rows.map((r) => r.village)).toContain(got[0]!.village);
      const [t] = await store.transitions('a.b_c-9', ALL);
      expect(rows.map((r) => r.village)).toContain(t!.village);
    });

    it('reads back a hostile village exactly', async () => {
      store.writeHeartbeats([hb('ls-01', T0, 1, { village: HOSTILE.village })]);
      store.writeTransitions([tr('ls-01', T0, { kind: 'loudspeaker', village: HOSTILE.village })]);
      await store.flush();
      expect((await store.heartbeats('ls-01', ALL, 1))[0]!.village).toBe(HOSTILE.village);
      expect((await store.transitions('ls-01', ALL))[0]!.village).toBe(HOSTILE.village);
    });

    it('stores transitions, oldest first, in write order within one millisecond, with [from, to) ranges', async () => {
      const rows = [
        tr('wf-01', T0, { from: 'unknown', to: 'online', reason: 'heartbeat' }),
        tr('wf-01', T0 + 5 * MINUTE, { from: 'online', to: 'degraded', reason: 'fault' }),
        tr('wf-01', T0 + 5 * MINUTE, { from: 'degraded', to: 'offline', reason: 'disconnect' }),
        tr('wf-01', T0 + 9 * MINUTE, { from: 'offline', to: 'online', reason: 'heartbeat' }),
      ];
      store.writeTransitions(rows.slice(0, 2));
      store.writeTransitions(rows.slice(2));
      store.writeTransitions([tr('wf-02', T0 + MINUTE)]);
      await store.flush();
      expect(await store.transitions('wf-01', ALL)).toEqual(rows);
      const mid = await store.transitions('wf-01', { from: T0 + 5 * MINUTE, to: T0 + 9 * MINUTE });
      expect(mid.map((t) => t.reason)).toEqual(['fault', 'disconnect']);
    });

    it("lists every device's transitions newest first within [from, to), at most `limit` (the feed)", async () => {
      store.writeTransitions([
        tr('feed-a', T0, { from: 'unknown', to: 'online', reason: 'heartbeat' }),
        tr('feed-b', T0 + MINUTE, { from: 'online', to: 'offline', reason: 'timeout' }),
        tr('feed-a', T0 + 2 * MINUTE, { from: 'online', to: 'degraded', reason: 'fault' }),
        tr('feed-c', T0 + 3 * MINUTE, { from: 'online', to: 'offline', reason: 'disconnect' }),
      ]);
      await store.flush();
      const all = await store.recentTransitions(ALL, 100);
      expect(all.map((t) => [t.deviceId, t.at])).toEqual([
        ['feed-c', T0 + 3 * MINUTE],
        ['feed-a', T0 + 2 * MINUTE],
        ['feed-b', T0 + MINUTE],
        ['feed-a', T0],
      ]);
      expect(all[0]).toMatchObject({ from: 'online', to: 'offline', reason: 'disconnect' });
      const window = await store.recentTransitions({ from: T0 + MINUTE, to: T0 + 3 * MINUTE }, 1);
      expect(window.map((t) => t.deviceId)).toEqual(['feed-a']);
      // A scoped caller's filter applies before the cut: a full page of its own rows, newest first.
      const mine = await store.recentTransitions(ALL, 2, (t) => t.deviceId === 'feed-a');
      expect(mine.map((t) => [t.deviceId, t.at])).toEqual([
        ['feed-a', T0 + 2 * MINUTE],
        ['feed-a', T0],
      ]);
    });

    it('downsamples a metric into buckets starting at `from` with exact avg/min/max/count', async () => {
      // Buckets of 10 min from T0 + 5 min: [5,15) holds 3 samples, [15,25) none, [25,35) two.
      const samples: Array<[number, number]> = [
        [5, 2],
        [6, 4],
        [14, 9],
        [25, -1.5],
        [34, 0.5],
        [35, 1000],
        [4, 1000],
      ];
      store.writeHeartbeats(
        samples.map(([min, v], i) => hb('ls-01', T0 + min * MINUTE, i, { m: { signal: v, source: 'x' } })),
      );
      store.writeHeartbeats([hb('ls-01', T0 + 7 * MINUTE, 99, { m: { other: 1 } })]);
      store.writeHeartbeats([hb('ls-02', T0 + 6 * MINUTE, 1, { m: { signal: 500 } })]);
      await store.flush();
      const range = { from: T0 + 5 * MINUTE, to: T0 + 35 * MINUTE };
      expect(await store.metricSeries('ls-01', 'signal', range, 10 * MINUTE)).toEqual([
        { t: T0 + 5 * MINUTE, avg: 5, min: 2, max: 9, count: 3 },
        { t: T0 + 25 * MINUTE, avg: -0.5, min: -1.5, max: 0.5, count: 2 },
      ]);
      expect(await store.metricSeries('ls-01', 'source', range, 10 * MINUTE)).toEqual([]);
      expect(await store.metricSeries('ls-01', 'missing', range, 10 * MINUTE)).toEqual([]);
      expect(await store.metricSeries('ls-01', 'bad name"', range, 10 * MINUTE)).toEqual([]);
    });

    it('downsamples a month of one device to daily points', async () => {
      const rows: HeartbeatRow[] = [];
      for (let i = 0; i < 30 * 48; i++)
        rows.push(hb('ls-01', T0 + i * 30 * MINUTE, i, { m: { signal: i % 48 } }));
      store.writeHeartbeats(rows);
      await store.flush();
      const series = await store.metricSeries('ls-01', 'signal', { from: T0, to: T0 + 30 * DAY }, DAY);
      expect(series).toHaveLength(30);
      for (const [d, p] of series.entries()) {
        expect(p).toEqual({ t: T0 + d * DAY, avg: 23.5, min: 0, max: 47, count: 48 });
      }
    });

    it('prune removes raw heartbeats older than the retention, counts them exactly, keeps the rest', async () => {
      const now = T0 + 40 * DAY;
      const cutoff = now - CONTRACT_RETENTION_MS;
      const rows = [
        hb('ls-01', T0, 1),
        hb('ls-01', cutoff - 1, 2),
        hb('ls-02', T0 + DAY, 1),
        hb('ls-01', cutoff, 3),
        hb('ls-01', now, 4),
      ];
      store.writeHeartbeats(rows);
      await store.flush();
      expect(await store.prune(now)).toBe(3);
      expect((await store.heartbeats('ls-01', ALL, 10)).map((r) => r.seq)).toEqual([3, 4]);
      expect(await store.heartbeats('ls-02', ALL, 10)).toEqual([]);
      expect(await store.prune(now)).toBe(0);
    });

    it('handles many devices in one batch', async () => {
      const devices = Array.from({ length: 300 }, (_, i) => `dev-${String(i).padStart(3, '0')}`);
      const rows = devices.flatMap((d, i) =>
        Array.from({ length: 20 }, (_, k) =>
          hb(d, T0 + k * 30_000 + i, k, { village: `Thôn ${i % 7}`, kind: i % 2 ? 'wifi' : 'camera' }),
        ),
      );
      store.writeHeartbeats(rows);
      await store.flush();
      const counts = await Promise.all(
        devices.map((d) => heartbeatTimes(store, d, ALL).then((t) => t.length)),
      );
      expect(counts).toEqual(devices.map(() => 20));
      const last = await store.heartbeats('dev-299', ALL, 100);
      expect(last).toEqual(rows.filter((r) => r.deviceId === 'dev-299'));
    });

    it('flush with nothing written resolves', async () => {
      await store.flush();
      expect(await store.heartbeats('ls-01', ALL, 10)).toEqual([]);
    });
  });
}
