import type Database from 'better-sqlite3';
import type { PoolClient } from 'pg';
import type { Migration } from '../db/migrate.ts';
import { slugify } from './places.ts';

/**
 * The registry's steps of `registry.db` (devices, places; the uptime tables in the same file are uptime's,
 * see ../uptime/migrations.ts). Forward only: append, never edit a shipped one. Run by ../db/migrate.ts.
 */
export const registryMigrations: readonly Migration[] = [
  {
    version: 1,
    owner: 'registry',
    up: `CREATE TABLE devices (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     name TEXT NOT NULL,
     village TEXT NOT NULL,
     interval_s INTEGER NOT NULL,
     secret_hash TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     disabled INTEGER NOT NULL DEFAULT 0,
     status TEXT NOT NULL DEFAULT 'unknown',
     status_since INTEGER NOT NULL,
     status_reason TEXT NOT NULL DEFAULT 'provisioned',
     last_ts INTEGER,
     last_seq INTEGER,
     metrics_json TEXT NOT NULL DEFAULT '{}',
     faults_json TEXT NOT NULL DEFAULT '[]'
   );
   CREATE INDEX devices_village_kind ON devices(village, kind);
   CREATE TABLE hub_runs (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     started_at INTEGER NOT NULL,
     alive_at INTEGER NOT NULL,
     stopped_at INTEGER
   );`,
    // PostgreSQL: epoch ms need BIGINT; ids of rows the hub creates come from reserved blocks
    // (../db/postgres/id-blocks.ts); `change_seq` orders every identity change so other nodes can follow;
    // `ord` (never bumped) keeps the order rows were made in, which SQLite's rowid gives for free.
    pg: `CREATE SEQUENCE hub_id_block START WITH 1048576 INCREMENT BY 1048576;
   CREATE SEQUENCE hub_change_seq;
   CREATE TABLE devices (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     name TEXT NOT NULL,
     village TEXT NOT NULL,
     interval_s INTEGER NOT NULL,
     secret_hash TEXT NOT NULL,
     created_at BIGINT NOT NULL,
     disabled INTEGER NOT NULL DEFAULT 0,
     status TEXT NOT NULL DEFAULT 'unknown',
     status_since BIGINT NOT NULL,
     status_reason TEXT NOT NULL DEFAULT 'provisioned',
     last_ts BIGINT,
     last_seq BIGINT,
     metrics_json TEXT NOT NULL DEFAULT '{}',
     faults_json TEXT NOT NULL DEFAULT '[]',
     change_seq BIGINT NOT NULL DEFAULT nextval('hub_change_seq'),
     ord BIGINT NOT NULL DEFAULT nextval('hub_change_seq')
   );
   CREATE INDEX devices_village_kind ON devices(village, kind);
   CREATE INDEX devices_change_seq ON devices(change_seq);
   CREATE TABLE hub_runs (
     id BIGINT PRIMARY KEY,
     started_at BIGINT NOT NULL,
     alive_at BIGINT NOT NULL,
     stopped_at BIGINT
   );`,
  },
  // Places: communes (with mergers), villages, sites with a location type; device attributes.
  {
    version: 3,
    owner: 'places',
    up: `CREATE TABLE communes (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     province TEXT NOT NULL DEFAULT '',
     merged_into TEXT
   );
   CREATE TABLE villages (id TEXT PRIMARY KEY, name TEXT NOT NULL, commune_id TEXT);
   CREATE TABLE sites (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     village_id TEXT NOT NULL,
     location_type TEXT NOT NULL
   );
   ALTER TABLE devices ADD COLUMN village_id TEXT;
   ALTER TABLE devices ADD COLUMN site_id TEXT;
   ALTER TABLE devices ADD COLUMN parent_id TEXT;
   ALTER TABLE devices ADD COLUMN tags_json TEXT NOT NULL DEFAULT '[]';`,
    pg: `CREATE TABLE communes (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     province TEXT NOT NULL DEFAULT '',
     merged_into TEXT,
     change_seq BIGINT NOT NULL DEFAULT nextval('hub_change_seq'),
     ord BIGINT NOT NULL DEFAULT nextval('hub_change_seq')
   );
   CREATE TABLE villages (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     commune_id TEXT,
     change_seq BIGINT NOT NULL DEFAULT nextval('hub_change_seq'),
     ord BIGINT NOT NULL DEFAULT nextval('hub_change_seq')
   );
   CREATE TABLE sites (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     village_id TEXT NOT NULL,
     location_type TEXT NOT NULL,
     change_seq BIGINT NOT NULL DEFAULT nextval('hub_change_seq'),
     ord BIGINT NOT NULL DEFAULT nextval('hub_change_seq')
   );
   ALTER TABLE devices ADD COLUMN village_id TEXT;
   ALTER TABLE devices ADD COLUMN site_id TEXT;
   ALTER TABLE devices ADD COLUMN parent_id TEXT;
   ALTER TABLE devices ADD COLUMN tags_json TEXT NOT NULL DEFAULT '[]';`,
  },
  // Devices provisioned before villages were records of their own get one, found or created by name.
  { version: 4, owner: 'places', up: giveDevicesTheirVillage, pg: giveDevicesTheirVillagePg },
];

function giveDevicesTheirVillage(db: Database.Database): void {
  const villages = db.prepare('SELECT id, name FROM villages').all() as Array<{ id: string; name: string }>;
  const byName = new Map(villages.map((v) => [v.name, v.id]));
  const taken = new Set(villages.map((v) => v.id));
  const insert = db.prepare('INSERT INTO villages (id, name, commune_id) VALUES (?, ?, NULL)');
  const assign = db.prepare('UPDATE devices SET village_id = ? WHERE id = ?');
  const orphans = db.prepare('SELECT id, village FROM devices WHERE village_id IS NULL').all() as Array<{
    id: string;
    village: string;
  }>;
  for (const device of orphans) {
    // As villages were resolved before: by id, then by exact name, else a new one.
    let villageId = taken.has(device.village) ? device.village : byName.get(device.village);
    if (!villageId) {
      const base = slugify(device.village);
      villageId = base;
      for (let n = 2; taken.has(villageId); n++) villageId = `${base}-${n}`;
      insert.run(villageId, device.village);
      taken.add(villageId);
      byName.set(device.village, villageId);
    }
    assign.run(villageId, device.id);
  }
}

/**
 * Step 4 on PostgreSQL. A database made by this hub reaches step 4 in the same boot as step 1, before any
 * device exists, so this finds nothing to do; it is the same fix-up all the same, so the steps stay one history.
 */
async function giveDevicesTheirVillagePg(client: PoolClient): Promise<void> {
  const villages = (await client.query<{ id: string; name: string }>('SELECT id, name FROM villages')).rows;
  const byName = new Map(villages.map((v) => [v.name, v.id]));
  const taken = new Set(villages.map((v) => v.id));
  const orphans = (
    await client.query<{ id: string; village: string }>(
      'SELECT id, village FROM devices WHERE village_id IS NULL',
    )
  ).rows;
  for (const device of orphans) {
    let villageId = taken.has(device.village) ? device.village : byName.get(device.village);
    if (!villageId) {
      const base = slugify(device.village);
      villageId = base;
      for (let n = 2; taken.has(villageId); n++) villageId = `${base}-${n}`;
      await client.query('INSERT INTO villages (id, name, commune_id) VALUES ($1, $2, NULL)', [
        villageId,
        device.village,
      ]);
      taken.add(villageId);
      byName.set(device.village, villageId);
    }
    await client.query('UPDATE devices SET village_id = $1 WHERE id = $2', [villageId, device.id]);
  }
}
