// Criteria entries and frozen reports, probe targets and alert rows on SQLite (the node's registry.db) and
// on PostgreSQL (the replica every node shares, ../postgres/shared-tables.ts): the same stores, the same
// answers, after a restart too; on PostgreSQL a second node reads what the first wrote.
import type Database from 'better-sqlite3';
import pg from 'pg';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AlertStore } from '../../alerts/store.ts';
import { CriteriaStore } from '../../criteria/store.ts';
import { ProbeTargetRepository } from '../../probes/repository.ts';
import { SharedTables } from '../postgres/shared-tables.ts';
import { DIALECTS, openStorage, type StorageHarness } from './harness.ts';

const log = pino({ level: 'silent' });

interface Shared {
  db: Database.Database;
  /** Writes what is queued, closes and opens again (a restart). */
  reopen(): Promise<Database.Database>;
  /** PostgreSQL: another node's replica. */
  another(): Promise<Database.Database>;
  close(): Promise<void>;
}

async function openShared(h: StorageHarness): Promise<Shared> {
  if (!h.url) {
    return {
      db: h.registry.database,
      reopen: async () => (await h.reopen()).database,
      another: async () => {
        throw new Error('a second node needs PostgreSQL');
      },
      close: async () => {},
    };
  }
  const pool = new pg.Pool({ connectionString: h.url, max: 6 });
  const opened: SharedTables[] = [];
  const open = async (origin: string) => {
    const s = await SharedTables.open(pool, h.url!, origin, origin, log, () => {});
    opened.push(s);
    return s;
  };
  let current = await open('node-1');
  const shared: Shared = {
    db: current.database,
    async reopen() {
      await current.close();
      current = await open('node-1-again');
      shared.db = current.database;
      return shared.db;
    },
    async another() {
      return (await open('node-2')).database;
    },
    async close() {
      for (const s of opened) await s.close().catch(() => {});
      await pool.end();
    },
  };
  return shared;
}

const entry = {
  setId: 'pl-2025',
  type: 'value',
  target: '2.3',
  from: 0,
  to: 1000,
  value: 12,
  evidence: { text: 'Biên bản kiểm tra', docNumber: '12/BB' },
  reason: null,
  by: 'can-bo-vhxh',
  at: 10,
} as const;
const build = (version: number, supersedes: { id: number; sha256: string } | null) =>
  ({
    version,
    supersedes,
    submittedAt: new Date(500).toISOString(),
    submittedBy: 'chu-tich',
    rows: [],
  }) as never;

describe.each(DIALECTS)('criteria, probe and alert stores contract: %s', (dialect) => {
  let h: StorageHarness;
  let s: Shared;
  beforeEach(async () => {
    h = await openStorage(dialect);
    s = await openShared(h);
  });
  afterEach(async () => {
    await s.close();
    await h.close();
  });

  it('manual entries: append, withdraw (kept), in force; a restart reads the same trail', async () => {
    const store = new CriteriaStore(s.db);
    const e1 = store.addEntry(entry as never);
    const e2 = store.addEntry({ ...entry, value: 13, at: 11 } as never);
    expect(e1.id).not.toBe(e2.id);
    expect(store.withdraw(e1.id, 'can-bo-vhxh', 20)?.withdrawnBy).toBe('can-bo-vhxh');
    expect(store.entriesInForce('pl-2025', 0, 1000).map((e) => e.value)).toEqual([13]);
    const trail = store.entriesOverlapping('pl-2025', 0, 1000);
    expect(trail).toHaveLength(2);
    const again = new CriteriaStore(await s.reopen());
    expect(again.entriesOverlapping('pl-2025', 0, 1000)).toEqual(trail);
  });

  it('reports: frozen, one current per period, a correction supersedes; a restart reads the same', async () => {
    const store = new CriteriaStore(s.db);
    const key = { setId: 'pl-2025', from: 0, to: 1000 };
    const first = store.insertReport(key, undefined, build);
    expect(() => store.insertReport(key, undefined, build)).toThrow(/already submitted/);
    const second = store.insertReport(key, first, build);
    expect(store.currentReport(key)?.id).toBe(second);
    expect(store.report(first)?.superseded_by).toBe(second);
    expect(() => s.db.prepare('DELETE FROM criteria_reports WHERE id = ?').run(first)).toThrow(
      /never deleted/,
    );
    const reports = store.reports('pl-2025');
    const again = new CriteriaStore(await s.reopen());
    expect(again.reports('pl-2025')).toEqual(reports);
    expect(again.currentReport(key)?.version).toBe(2);
  });

  it('probe targets and alert rules: save, replace, delete; a restart reads what is left', async () => {
    const probes = new ProbeTargetRepository(s.db);
    probes.save({ deviceId: 'wifi-1', publicJson: '{"kind":"icmp"}', sealedSecrets: null, updatedAt: 1 });
    probes.save({ deviceId: 'wifi-1', publicJson: '{"kind":"http"}', sealedSecrets: 'x', updatedAt: 2 });
    probes.save({ deviceId: 'cam-1', publicJson: '{"kind":"rtsp"}', sealedSecrets: null, updatedAt: 3 });
    expect(probes.delete('cam-1')).toBe(true);
    const alerts = new AlertStore(s.db);
    alerts.putRule({ id: 'r1', name: 'Mất kết nối' } as never);
    alerts.putRule({ id: 'r1', name: 'Mất kết nối lâu' } as never);
    alerts.addHistory('al-1', 5, 'firing', 'x');
    const db = await s.reopen();
    expect(new ProbeTargetRepository(db).all()).toEqual([
      { deviceId: 'wifi-1', publicJson: '{"kind":"http"}', sealedSecrets: 'x', updatedAt: 2 },
    ]);
    expect(new AlertStore(db).rules()).toEqual([{ id: 'r1', name: 'Mất kết nối lâu' }]);
    expect(new AlertStore(db).history('al-1')).toEqual([{ at: 5, event: 'firing', detail: 'x' }]);
  });

  it.runIf(dialect === 'postgres')('a second node reads entries and reports the first wrote', async () => {
    const store = new CriteriaStore(s.db);
    const e = store.addEntry(entry as never);
    const r = store.insertReport({ setId: 'pl-2025', from: 0, to: 1000 }, undefined, build);
    const other = new CriteriaStore(await s.another());
    await vi.waitFor(() => expect(other.report(r)?.sha256).toBe(store.report(r)!.sha256), {
      timeout: 15_000,
    });
    expect(other.entry(e.id)).toEqual(store.entry(e.id));
  });
});
