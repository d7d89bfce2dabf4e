import type Database from 'better-sqlite3';

/** Versioned, forward-only migrations of the registry database. Append; never edit a shipped one. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE devices (
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
  // Uptime: time vouched for by heartbeats (merged segments), explicit offline cuts, maintenance windows.
  `CREATE TABLE coverage (
     device_id TEXT NOT NULL,
     start INTEGER NOT NULL,
     end INTEGER NOT NULL,
     cap INTEGER
   );
   CREATE INDEX coverage_device_start ON coverage(device_id, start);
   CREATE TABLE offline_cuts (device_id TEXT NOT NULL, at INTEGER NOT NULL);
   CREATE INDEX offline_cuts_device_at ON offline_cuts(device_id, at);
   CREATE TABLE maintenance (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     device_id TEXT NOT NULL,
     start INTEGER NOT NULL,
     end INTEGER NOT NULL,
     note TEXT NOT NULL DEFAULT ''
   );
   CREATE INDEX maintenance_device ON maintenance(device_id, start);`,
  // Places: communes (with mergers), villages, sites with a location type; device attributes.
  `CREATE TABLE communes (
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
];

export function migrate(db: Database.Database): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
  let version = row?.version ?? 0;
  if (!row) db.prepare('INSERT INTO schema_version (version) VALUES (0)').run();
  for (; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.prepare('UPDATE schema_version SET version = ?').run(version + 1);
    })();
  }
  return version;
}
