import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hb, T0 } from './contract/fixtures.ts';
import { SqliteTimeSeriesStore } from './sqlite-store.ts';

const ALL = { from: 0, to: T0 + 86_400_000 };

/** Makes inserts of heartbeats with this seq fail, from a second connection, as a full disk would. */
function poison(dataDir: string, seq: number): () => void {
  const db = new Database(path.join(dataDir, 'timeseries.db'));
  db.exec(
    `CREATE TRIGGER poison BEFORE INSERT ON heartbeats WHEN NEW.seq = ${seq} BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`,
  );
  return () => {
    db.exec('DROP TRIGGER poison');
    db.close();
  };
}

async function counter(store: SqliteTimeSeriesStore, name: 'lostRows' | 'commitFailures', kind?: string) {
  const values = (await store.metrics()[name].get()).values;
  return values.filter((v) => kind === undefined || v.labels.kind === kind).reduce((a, v) => a + v.value, 0);
}

describe('SqliteTimeSeriesStore: a failing commit', () => {
  let dataDir: string;
  let store: SqliteTimeSeriesStore;
  const clock = { t: T0, now: () => clock.t };

  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-store-'));
    // The timer is out of the way: commits here are the ones the test makes.
    store = new SqliteTimeSeriesStore({
      dataDir,
      retentionMs: 1e12,
      flushIntervalMs: 3_600_000,
      retryForMs: 30_000,
      now: clock.now,
    });
    await store.open();
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('rejects commit(), keeps the batch, and commits it once the cause is gone', async () => {
    const heal = poison(dataDir, 2);
    store.writeHeartbeats([hb('ls-01', T0, 1), hb('ls-01', T0 + 1000, 2)]);
    await expect(store.commit()).rejects.toThrow(/disk on fire/);
    expect(await store.heartbeats('ls-01', ALL, 10)).toEqual([]);
    expect(await counter(store, 'commitFailures')).toBe(1);
    heal();
    store.writeHeartbeats([hb('ls-01', T0 + 2000, 3)]);
    await store.commit();
    expect((await store.heartbeats('ls-01', ALL, 10)).map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(await counter(store, 'lostRows')).toBe(0);
  });

  it('a new device whose first batch rolled back is stored under a real series afterwards', async () => {
    const heal = poison(dataDir, 1);
    store.writeHeartbeats([hb('new-dev', T0, 1, { village: 'Thôn 9' })]);
    await expect(store.commit()).rejects.toThrow();
    heal();
    await store.commit();
    await store.close();
    // Read back from a fresh instance: the series row exists in the file, not only in the failed attempt's memory.
    store = new SqliteTimeSeriesStore({ dataDir, retentionMs: 1e12 });
    await store.open();
    expect((await store.heartbeats('new-dev', ALL, 10)).map((r) => [r.seq, r.village])).toEqual([
      [1, 'Thôn 9'],
    ]);
  });

  it('once commits failed for retryForMs, writes row by row: only the failing row is lost, counted', async () => {
    const heal = poison(dataDir, 2);
    store.writeHeartbeats([hb('ls-01', T0, 1), hb('ls-01', T0 + 1000, 2), hb('ls-01', T0 + 2000, 3)]);
    await expect(store.commit()).rejects.toThrow();
    clock.t += 29_999;
    await expect(store.commit()).rejects.toThrow();
    expect(await store.heartbeats('ls-01', ALL, 10)).toEqual([]);
    clock.t += 1;
    await expect(store.commit()).rejects.toThrow();
    expect((await store.heartbeats('ls-01', ALL, 10)).map((r) => r.seq)).toEqual([1, 3]);
    expect(await counter(store, 'lostRows', 'heartbeat')).toBe(1);
    // Nothing is left to retry: the next commit is clean.
    await store.commit();
    heal();
  });

  it('close() with a failing batch saves what it can, row by row, and counts the rest as lost', async () => {
    const heal = poison(dataDir, 2);
    store.writeHeartbeats([hb('ls-01', T0, 1), hb('ls-01', T0 + 1000, 2), hb('ls-01', T0 + 2000, 3)]);
    await store.close();
    expect(await counter(store, 'lostRows', 'heartbeat')).toBe(1);
    heal();
    store = new SqliteTimeSeriesStore({ dataDir, retentionMs: 1e12 });
    await store.open();
    expect((await store.heartbeats('ls-01', ALL, 10)).map((r) => r.seq)).toEqual([1, 3]);
  });

  it('never throws out of its timer; the timer retries the batch', async () => {
    await store.close();
    store = new SqliteTimeSeriesStore({ dataDir, retentionMs: 1e12, flushIntervalMs: 10, now: clock.now });
    await store.open();
    const heal = poison(dataDir, 7);
    store.writeHeartbeats([hb('ls-01', T0, 7)]);
    // Several timer ticks fail (an uncaught throw would fail this test run); the row waits.
    await expect.poll(() => counter(store, 'commitFailures')).toBeGreaterThanOrEqual(3);
    heal();
    await expect.poll(async () => (await store.heartbeats('ls-01', ALL, 10)).length).toBe(1);
    expect(await counter(store, 'lostRows')).toBe(0);
  });
});

describe('SqliteTimeSeriesStore: the home feed query', () => {
  it('walks transitions by the index on `at` (migration step 2), not by a scan of the table', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-feed-'));
    const store = new SqliteTimeSeriesStore({ dataDir, retentionMs: 1e12, flushIntervalMs: 3_600_000 });
    await store.open();
    await store.close();
    const db = new Database(path.join(dataDir, 'timeseries.db'), { readonly: true });
    try {
      expect((db.prepare('SELECT version FROM schema_version').get() as { version: number }).version).toBe(2);
      const plan = db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT s.device_id, t.at FROM transitions t JOIN series s ON s.id = t.series_id
            WHERE t.at >= 0 AND t.at < 1 ORDER BY t.at DESC, t.rowid DESC`,
        )
        .all() as Array<{ detail: string }>;
      const details = plan.map((p) => p.detail).join('\n');
      expect(details).toMatch(/transitions_at/);
      expect(details).not.toMatch(/SCAN t\b(?! USING)/);
    } finally {
      db.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
