// Moving a node's registry.db into PostgreSQL (copy-from-sqlite.ts): what the PostgreSQL registry reads
// after the copy is what the SQLite one had.
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteAuthStore, sha256 } from '../../auth/store.ts';
import { PostgresAuthStore } from '../../auth/store-postgres.ts';
import { LiveStateRepository } from '../../liveness/live-state-repository.ts';
import { createLogger } from '../../logger.ts';
import {
  PostgresPublicStatusRepository,
  SqlitePublicStatusRepository,
} from '../../public-status/repository.ts';
import { Registry } from '../../registry/registry.ts';
import { newCredentials } from '../../registry/secrets.ts';
import { HubRuns } from '../../uptime/hub-runs.ts';
import { MaintenanceStore } from '../../uptime/maintenance.ts';
import { copyRegistryToPostgres } from '../postgres/copy-from-sqlite.ts';
import { SHARED_TABLES } from '../postgres/shared-schema.ts';
import { SharedTables } from '../postgres/shared-tables.ts';
import { coverageFor, createTestDatabase, openStorage, type StorageHarness } from './harness.ts';

describe('copying registry.db into PostgreSQL', () => {
  let h: StorageHarness;
  let target: Registry | undefined;
  beforeEach(async () => {
    h = await openStorage('sqlite');
  });
  afterEach(async () => {
    await target?.close();
    await h.close();
  });

  it('copies devices, secrets, live state, places, coverage, cuts, maintenance and runs; a second run copies nothing again, another registry is refused', async () => {
    const src = h.registry;
    const creds = await newCredentials();
    src.places.addCommune({ id: 'xa-a', name: 'Xã A' });
    src.places.addVillage({ id: 'thon-1', name: "Thôn 1 'cũ'", communeId: 'xa-a' });
    src.places.addSite({ id: 's1', name: 'UBND', villageId: 'thon-1', locationType: 'commune_office' });
    src.create({ id: 'gw', kind: 'gateway', name: 'GW', village: 'thon-1' }, 1_000, creds);
    src.create(
      {
        id: 'cam',
        kind: 'camera',
        name: 'Cam',
        village: 'Thôn 2',
        parent: 'gw',
        site: undefined,
        tags: ['x'],
      },
      2_000,
      creds,
    );
    new LiveStateRepository(src.storage).save([
      {
        id: 'gw',
        live: {
          status: 'online',
          since: 5,
          reason: 'heartbeat',
          lastTs: 6,
          lastSeq: 7,
          metrics: { a: 1 },
          faults: ['f'],
        },
      },
    ]);
    const cov = coverageFor(src);
    cov.addHeartbeat('gw', 0, 75_000);
    cov.addCut('gw', 10_000);
    cov.addHeartbeat('gw', 100_000, 75_000);
    await cov.flush();
    const maint = new MaintenanceStore(src.storage);
    maint.add('cam', 0, 50_000, 'sửa');
    const runs = new HubRuns(src.storage);
    runs.stop(runs.start(0), 1_000);

    const url = await createTestDatabase();
    const pool = new pg.Pool({ connectionString: url });
    try {
      const { counts, registryAlreadyThere } = await copyRegistryToPostgres(src.database, pool);
      expect(registryAlreadyThere).toBe(false);
      expect(counts).toMatchObject({
        devices: 2,
        villages: 2,
        coverage: 2,
        offline_cuts: 1,
        maintenance: 1,
        hub_runs: 1,
      });
      // A second run finds this registry there and copies nothing again.
      const again = await copyRegistryToPostgres(src.database, pool);
      expect(again.registryAlreadyThere).toBe(true);
      expect(Object.values(again.counts).every((n) => n === 0)).toBe(true);
      // Another node's registry.db (a device this database does not hold) is refused, nothing copied.
      const other = await openStorage('sqlite');
      try {
        other.registry.create({ id: 'khac', kind: 'camera', name: 'Khác', village: 'Thôn 9' }, 1, creds);
        await expect(copyRegistryToPostgres(other.registry.database, pool)).rejects.toMatchObject({
          code: 'HUB_ERR_EXISTS',
        });
      } finally {
        await other.close();
      }
    } finally {
      await pool.end();
    }

    target = new Registry(h.registry.database.name.replace(/registry\.db$/, ''));
    await target.openPostgres({ url });
    expect(target.list()).toEqual(
      src.list().map((d) => (d.id === 'gw' ? { ...d, live: target!.get('gw')!.live } : d)),
    );
    expect(target.get('gw')!.live).toEqual({
      status: 'online',
      since: 5,
      reason: 'heartbeat',
      lastTs: 6,
      lastSeq: 7,
      metrics: { a: 1 },
      faults: ['f'],
    });
    expect(target.places.listVillages()).toEqual(src.places.listVillages());
    expect(target.places.listSites()).toEqual(src.places.listSites());
    expect(await target.checkSecret('cam', creds.secret)).toBe(true);
    const covT = coverageFor(target);
    expect(covT.covered('gw', 0, 1e9)).toEqual(cov.covered('gw', 0, 1e9));
    covT.addHeartbeat('gw', 5_000, 75_000); // the copied cut still caps it
    expect(covT.covered('gw', 0, 1e9)).toEqual(cov.covered('gw', 0, 1e9));
    const maintT = new MaintenanceStore(target.storage);
    expect(maintT.list(0, 1e9)).toEqual(maint.list(0, 1e9));
    const added = maintT.add('gw', 0, 1, '');
    expect(maint.list(0, 1e9).map((w) => w.id)).not.toContain(added.id);
    expect(new HubRuns(target.storage).overlapping(0, 1e9)).toEqual(runs.overlapping(0, 1e9));
  });

  it('copies users, sessions, API tokens, audit log, lockouts and public status; new ids follow the copied ones', async () => {
    const auth = new SqliteAuthStore(h.registry.database);
    const user = await auth.insertUser({
      username: 'lan',
      displayName: 'Lan',
      role: 'admin',
      province: true,
      communeIds: ['c1'],
      passwordHash: 'scrypt$x',
      disabled: false,
      createdAt: 1,
    });
    await auth.insertSession(sha256('s'), {
      userId: user.id,
      csrfToken: 'c',
      expiresAt: 9e12,
      createdAt: 1,
      ip: 'x',
    });
    const token = await auth.insertToken(user.id, 'script', 'chub_copied_token_secret', 2);
    await auth.revokeToken((await auth.insertToken(user.id, 'old', 'chub_revoked_token_secret', 2)).id, 3);
    for (let i = 0; i < 3; i++) {
      await auth.insertAudit({
        at: i,
        userId: user.id,
        username: 'lan',
        via: 'session',
        method: 'POST',
        route: 'deviceCreate',
        path: '/api/devices',
        status: 201,
        ip: 'x',
      });
    }
    await auth.addFailure('ip:10.0.0.9', 5, 60_000);
    const pub = new SqlitePublicStatusRepository(h.registry.database);
    await pub.insertGroup({
      slug: 'wifi',
      name: 'Wifi',
      description: '',
      deviceIds: ['w1'],
      selector: null,
      published: true,
      createdAt: 1,
      updatedAt: 2,
    });
    await pub.ensureToken('w1', 'aaaaaaaaaaaa', 1);
    await pub.addReport({
      groupSlug: 'wifi',
      groupName: 'Wifi',
      deviceId: 'w1',
      deviceName: 'W',
      text: 'hỏng',
      at: 7,
    });

    const pool = new pg.Pool({ connectionString: await createTestDatabase() });
    try {
      const { counts } = await copyRegistryToPostgres(h.registry.database, pool);
      expect(counts).toMatchObject({ users: 1, sessions: 1, api_tokens: 2, audit_log: 3, auth_lockouts: 1 });
      expect(counts).toMatchObject({
        public_status_groups: 1,
        public_status_tokens: 1,
        public_status_reports: 1,
      });
      const authT = new PostgresAuthStore(pool);
      expect(await authT.users()).toEqual(await auth.users());
      expect(await authT.session(sha256('s'))).toEqual(await auth.session(sha256('s')));
      expect(await authT.tokenBySecret('chub_copied_token_secret')).toEqual({
        id: token.id,
        userId: user.id,
      });
      expect(await authT.tokenBySecret('chub_revoked_token_secret')).toBeUndefined();
      const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
      expect((await authT.tokens()).sort(byId)).toEqual((await auth.tokens()).sort(byId));
      expect(await authT.audit({ limit: 10 })).toEqual(await auth.audit({ limit: 10 }));
      expect(await authT.failures('ip:10.0.0.9')).toEqual({ failures: 1, lastFailure: 5 });
      await authT.insertAudit({
        at: 9,
        userId: null,
        username: null,
        via: 'token',
        method: 'POST',
        route: 'x',
        path: '/',
        status: 200,
        ip: 'x',
      });
      expect((await authT.audit({ limit: 1 }))[0]!.id).toBe(4);
      const pubT = new PostgresPublicStatusRepository(pool);
      expect(await pubT.groups()).toEqual(await pub.groups());
      expect(await pubT.tokens()).toEqual(await pub.tokens());
      expect(await pubT.reports(0, 100, 10)).toEqual(await pub.reports(0, 100, 10));
      expect(
        await pubT.addReport({
          groupSlug: 'wifi',
          groupName: 'Wifi',
          deviceId: null,
          deviceName: null,
          text: 'x',
          at: 8,
        }),
      ).toBe(2);
    } finally {
      await pool.end();
    }
  });

  it('copies every shared table (alerts, delivery, criteria, probes); a node opening them reads the same rows; a rerun adds only new ones', async () => {
    const db = h.registry.database;
    // Two rows per shared table, every column filled by its declared type (no store needed for this:
    // the copy is generic over the columns, and the stores' own rows are the e2e test's part).
    const fill = (n: number) => {
      for (const t of SHARED_TABLES) {
        const cols = db.prepare(`PRAGMA table_info(${t.name})`).all() as Array<{
          name: string;
          type: string;
        }>;
        const value = (c: { name: string; type: string }) =>
          /INT/i.test(c.type) ? n * 7 + c.name.length : `${t.name}.${c.name} #${n} 'ý'`;
        const named = cols.filter((c) => !(t.key === 'rowid' && c.name === 'rowid'));
        db.prepare(
          `INSERT INTO ${t.name} (${named.map((c) => `"${c.name}"`).join(', ')}) VALUES (${named.map(() => '?').join(', ')})`,
        ).run(...named.map((c) => (c.name === t.key && /INT/i.test(c.type) ? 1000 + n : value(c))));
      }
    };
    const rows = (source: { prepare: typeof db.prepare }, table: (typeof SHARED_TABLES)[number]) =>
      source
        .prepare(
          `SELECT ${table.key === 'rowid' ? 'rowid AS rowid, ' : ''}* FROM ${table.name} ORDER BY rowid`,
        )
        .all();
    fill(1);
    fill(2);
    new HubRuns(h.registry.storage).start(0); // a node that ran: its registry is recognised on the rerun
    const url = await createTestDatabase();
    const pool = new pg.Pool({ connectionString: url });
    let shared: SharedTables | undefined;
    try {
      const progress: string[] = [];
      const { counts } = await copyRegistryToPostgres(db, pool, (table, p) => {
        if (p.done === p.total) progress.push(`${table} ${p.copied}/${p.total}`);
      });
      for (const t of SHARED_TABLES) {
        expect([t.name, counts[t.name]]).toEqual([t.name, 2]);
        expect(progress).toContain(`${t.name} 2/2`);
      }
      // A third row in each table since: the rerun takes only it.
      fill(3);
      const again = await copyRegistryToPostgres(db, pool);
      expect(again.registryAlreadyThere).toBe(true);
      for (const t of SHARED_TABLES) expect([t.name, again.counts[t.name]]).toEqual([t.name, 1]);
      shared = await SharedTables.open(pool, url, 'reader', 'reader', createLogger('silent'), () => {});
      for (const t of SHARED_TABLES)
        expect([t.name, rows(shared.database, t)]).toEqual([t.name, rows(db, t)]);
    } finally {
      await shared?.close();
      await pool.end();
    }
  });
});
