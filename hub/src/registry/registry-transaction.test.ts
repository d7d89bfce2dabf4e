import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../db/migrate.ts';
import { applyImport, planImport } from './csv-import.ts';
import { REGISTRY_DB_MIGRATIONS, Registry } from './registry.ts';
import { newCredentials } from './secrets.ts';

const T0 = Date.UTC(2026, 0, 1);

/** Everything the registry holds in memory, as plain data. */
function memory(registry: Registry) {
  return {
    devices: registry.list(),
    communes: registry.places.listCommunes(),
    villages: registry.places.listVillages(),
    sites: registry.places.listSites(),
  };
}

describe('Registry: memory changes only with a committed transaction', () => {
  let dir: string;
  let registry: Registry;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-tx-'));
    registry = new Registry(dir);
    registry.open();
    registry.create(
      { id: 'old-wifi', kind: 'wifi', name: 'Wifi UBND', village: 'Thôn 1' },
      T0,
      await newCredentials(),
    );
  });
  afterEach(() => {
    registry.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a CSV import failing midway leaves the maps exactly as they were, and the database too', async () => {
    const csv = [
      'id,kind,name,village,site,location_type,interval_s,parent,tags',
      'new-gw,gateway,Gateway,Thôn Mới,Nhà văn hoá,cultural_house,,,',
      'new-cam,camera,Camera,Thôn Mới,,,,new-gw,',
      'new-wifi,wifi,Wifi,Thôn Khác,,,,,',
      'new-loa,loudspeaker,Loa,Thôn 1,,,,,',
    ].join('\n');
    const plan = planImport(csv, registry);
    expect(plan.errors).toEqual([]);
    const before = structuredClone(memory(registry));
    const beforeGet = registry.get('old-wifi');
    // The third device's INSERT fails inside the transaction, after two devices, two villages and a site.
    registry.database.exec(
      `CREATE TRIGGER fail_midway BEFORE INSERT ON devices WHEN NEW.id = 'new-wifi'
       BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`,
    );
    await expect(applyImport(plan, registry, T0 + 1000)).rejects.toThrow(/disk on fire/);

    expect(memory(registry)).toEqual(before);
    expect(registry.get('old-wifi')).toBe(beforeGet);
    for (const id of ['new-gw', 'new-cam', 'new-wifi', 'new-loa']) expect(registry.get(id)).toBeUndefined();
    expect(registry.places.resolveVillage('Thôn Mới', false)).toBeUndefined();
    const count = (table: string) =>
      (registry.database.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    expect([count('devices'), count('villages'), count('sites')]).toEqual([1, 1, 0]);

    // The same plan goes through once the fault is gone: nothing half-done was left to collide with.
    registry.database.exec('DROP TRIGGER fail_midway');
    const created = await applyImport(plan, registry, T0 + 2000);
    expect(created.map((c) => c.id)).toEqual(['new-gw', 'new-cam', 'new-wifi', 'new-loa']);
    expect(registry.get('new-cam')).toMatchObject({ parentId: 'new-gw', village: 'Thôn Mới' });
  });

  it('a failed single create does not leave the village it would have created', async () => {
    registry.database.exec(
      `CREATE TRIGGER fail BEFORE INSERT ON devices BEGIN SELECT RAISE(ABORT, 'no'); END`,
    );
    expect(() =>
      registry.create({ id: 'x', kind: 'wifi', name: 'x', village: 'Thôn Ma' }, T0, {
        secret: 's',
        hash: 'h',
      }),
    ).toThrow(/no/);
    expect(registry.places.resolveVillage('Thôn Ma', false)).toBeUndefined();
    expect(registry.get('x')).toBeUndefined();
  });
});

describe('registry.db migrations (one migrator, every module contributing)', () => {
  it('opens a data dir from before villages existed: the village fix-up is a migration', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-mig-'));
    try {
      // A registry.db as the first two versions left it: devices with a village name only.
      const db = new Database(path.join(dir, 'registry.db'));
      migrate(
        db,
        REGISTRY_DB_MIGRATIONS.map((steps) => steps.filter((s) => s.version <= 2)),
      );
      const insert = db.prepare(
        `INSERT INTO devices (id, kind, name, village, interval_s, secret_hash, created_at, status_since)
         VALUES (?, 'wifi', ?, ?, 30, 'h', 0, 0)`,
      );
      insert.run('a', 'A', 'Thôn Đông');
      insert.run('b', 'B', 'Thôn Đông');
      insert.run('c', 'C', 'Thôn Tây');
      db.close();

      const registry = new Registry(dir);
      registry.open();
      try {
        expect(registry.get('a')).toMatchObject({ village: 'Thôn Đông', villageId: 'thon-dong' });
        expect(registry.get('b')?.villageId).toBe('thon-dong');
        expect(registry.get('c')?.villageId).toBe('thon-tay');
        expect(
          registry.places
            .listVillages()
            .map((v) => v.id)
            .sort(),
        ).toEqual(['thon-dong', 'thon-tay']);
        const version = registry.database.prepare('SELECT version FROM schema_version').get() as {
          version: number;
        };
        expect(version.version).toBe(REGISTRY_DB_MIGRATIONS.flat().length);
      } finally {
        registry.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses gaps and repeats in the contributed steps', () => {
    const db = new Database(':memory:');
    expect(() =>
      migrate(db, [[{ version: 1, owner: 'a', up: '' }], [{ version: 3, owner: 'b', up: '' }]]),
    ).toThrow(/without gaps/);
    expect(() =>
      migrate(db, [[{ version: 1, owner: 'a', up: '' }], [{ version: 1, owner: 'b', up: '' }]]),
    ).toThrow(/without gaps/);
    db.close();
  });
});
