// PostgreSQL only: the migrator's bookkeeping, two nodes on one database following each other's
// changes (Registry.refresh, what followChanges runs on a notification), and a write the database refuses.
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REGISTRY_PG_MIGRATIONS } from '../../registry/shared-storage.ts';
import { HubRuns } from '../../uptime/hub-runs.ts';
import { MaintenanceStore } from '../../uptime/maintenance.ts';
import { migratePostgres } from '../postgres/migrate.ts';
import { coverageFor, createTestDatabase, credentials, openStorage, type StorageHarness } from './harness.ts';

describe('PostgreSQL migrator', () => {
  it('applies the same numbered steps once, records them in schema_version, and refuses a newer schema', async () => {
    const pool = new pg.Pool({ connectionString: await createTestDatabase() });
    try {
      // Two nodes booting at once: the advisory lock lets one migrate, the other finds it done.
      const [a, b] = await Promise.all([
        migratePostgres(pool, REGISTRY_PG_MIGRATIONS),
        migratePostgres(pool, REGISTRY_PG_MIGRATIONS),
      ]);
      const last = REGISTRY_PG_MIGRATIONS.flat().length;
      expect([a, b]).toEqual([last, last]);
      expect((await pool.query('SELECT version FROM schema_version')).rows).toEqual([{ version: last }]);
      // Steps with a pg form made their tables; SQLite-only steps (alerting's 5) only moved the version on.
      const tables = (
        await pool.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
      ).rows.map((r) => r.tablename);
      expect(tables).toEqual(
        expect.arrayContaining(['devices', 'users', 'sessions', 'api_tokens', 'audit_log', 'auth_lockouts']),
      );
      expect(tables).toEqual(expect.arrayContaining(['public_status_groups', 'public_status_reports']));
      expect(tables).not.toContain('alert_rules');
      await pool.query('UPDATE schema_version SET version = 99');
      await expect(migratePostgres(pool, REGISTRY_PG_MIGRATIONS)).rejects.toThrow(
        /newer than this hub knows/,
      );
    } finally {
      await pool.end();
    }
  });
});

describe('two nodes on one PostgreSQL database', () => {
  let h: StorageHarness;
  beforeEach(async () => {
    h = await openStorage('postgres');
  });
  afterEach(async () => {
    await h.close();
  });

  it('each node reads what the other changed: devices, secrets, villages, maintenance, coverage, runs', async () => {
    const a = h.registry;
    const b = await h.another();
    const runsB = new HubRuns(b.storage);
    const maintB = new MaintenanceStore(b.storage);
    const covB = coverageFor(b);
    b.onRefresh(({ image }) => {
      runsB.load(image.hubRuns);
      maintB.load(
        image.maintenance,
        image.deleted.filter((d) => d.tbl === 'maintenance').map((d) => d.id),
      );
      (covB as import('../../uptime/coverage-image.ts').ImageCoverageStore).load(image.coverage, image.cuts);
    });

    a.create({ id: 'd1', kind: 'wifi', name: 'D1', village: 'Thôn A' }, 0, credentials(1));
    await a.durable();
    let changes = await b.refresh();
    expect(changes!.created.map((d) => d.id)).toEqual(['d1']);
    expect(b.get('d1')).toMatchObject({ name: 'D1', villageId: 'thon-a' });

    a.update('d1', { name: 'Wifi chợ', disabled: true });
    a.rotateSecret('d1', credentials(2));
    a.updateVillage('thon-a', { name: 'Thôn An' });
    const runsA = new HubRuns(a.storage);
    const runA = runsA.start(1_000);
    const maintA = new MaintenanceStore(a.storage);
    const w = maintA.add('d1', 0, 5_000, 'sửa');
    const covA = coverageFor(a);
    covA.addHeartbeat('d1', 10_000, 75_000);
    await covA.flush();
    await a.durable();

    changes = await b.refresh();
    expect(changes!.created).toEqual([]);
    expect(changes!.updated).toHaveLength(1);
    expect(changes!.updated[0]!.changes.sort()).toEqual(['disabled', 'name', 'village']);
    expect(changes!.secretRotated).toEqual(['d1']);
    expect(changes!.villages).toEqual(['thon-a']);
    expect(b.get('d1')).toMatchObject({ name: 'Wifi chợ', disabled: true, village: 'Thôn An' });
    expect(runsB.overlapping(0, 2_000).map((r) => r.id)).toContain(runA);
    expect(maintB.activeAt('d1', 100)?.id).toBe(w.id);
    expect(covB.covered('d1', 0, 1e9)).toEqual([{ start: 10_000, end: 85_000 }]);

    // A node's own writes come back as no change.
    b.update('d1', { tags: ['x'] });
    await b.durable();
    expect((await b.refresh())!.updated).toEqual([]);
    maintA.remove(w.id);
    await a.durable();
    await b.refresh();
    expect(maintB.activeAt('d1', 100)).toBeUndefined();
  });

  it('a write PostgreSQL refuses fails durable() and the memory is read again from the database', async () => {
    const a = h.registry;
    const b = await h.another();
    // Both nodes register the same id before hearing of each other: the second insert is refused.
    a.create({ id: 'same', kind: 'wifi', name: 'on A', village: 'Thôn A' }, 0, credentials(1));
    await a.durable();
    b.create({ id: 'same', kind: 'camera', name: 'on B', village: 'Thôn B' }, 0, credentials(2));
    await expect(b.durable()).rejects.toMatchObject({ code: 'HUB_ERR_STORE_UNREACHABLE' });
    expect(b.get('same')).toMatchObject({ name: 'on A', kind: 'wifi' });
    expect(b.places.listVillages().map((v) => v.id)).toEqual(['thon-a']);
  });
});
