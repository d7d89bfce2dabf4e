// Moving a node's registry.db into PostgreSQL (copy-from-sqlite.ts): what the PostgreSQL registry reads
// after the copy is what the SQLite one had.
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveStateRepository } from '../../liveness/live-state-repository.ts';
import { Registry } from '../../registry/registry.ts';
import { newCredentials } from '../../registry/secrets.ts';
import { HubRuns } from '../../uptime/hub-runs.ts';
import { MaintenanceStore } from '../../uptime/maintenance.ts';
import { copyRegistryToPostgres } from '../postgres/copy-from-sqlite.ts';
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

  it('copies devices, secrets, live state, places, coverage, cuts, maintenance and runs; refuses a second copy', async () => {
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
      const counts = await copyRegistryToPostgres(src.database, pool);
      expect(counts).toMatchObject({
        devices: 2,
        villages: 2,
        coverage: 2,
        offline_cuts: 1,
        maintenance: 1,
        hub_runs: 1,
      });
      await expect(copyRegistryToPostgres(src.database, pool)).rejects.toMatchObject({
        code: 'HUB_ERR_EXISTS',
      });
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
});
