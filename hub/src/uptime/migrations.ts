import type { Migration } from '../db/migrate.ts';

/**
 * Uptime's tables in `registry.db`: time vouched for by heartbeats (merged segments), explicit offline
 * cuts, maintenance windows. (`hub_runs` came with the registry's first step, before this module had its own.)
 */
export const uptimeMigrations: readonly Migration[] = [
  {
    version: 2,
    owner: 'uptime',
    up: `CREATE TABLE coverage (
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
    // PostgreSQL: ids from reserved blocks (no rowid), "end" quoted (a keyword), `change_seq` so other nodes
    // follow coverage and maintenance written elsewhere; `hub_deleted` records deletions for them.
    pg: `CREATE TABLE coverage (
     id BIGINT PRIMARY KEY,
     device_id TEXT NOT NULL,
     start BIGINT NOT NULL,
     "end" BIGINT NOT NULL,
     cap BIGINT,
     change_seq BIGINT NOT NULL DEFAULT nextval('hub_change_seq')
   );
   CREATE INDEX coverage_device_start ON coverage(device_id, start);
   CREATE INDEX coverage_change_seq ON coverage(change_seq);
   CREATE TABLE offline_cuts (
     device_id TEXT NOT NULL,
     at BIGINT NOT NULL,
     change_seq BIGINT NOT NULL DEFAULT nextval('hub_change_seq')
   );
   CREATE INDEX offline_cuts_device_at ON offline_cuts(device_id, at);
   CREATE INDEX offline_cuts_change_seq ON offline_cuts(change_seq);
   CREATE TABLE maintenance (
     id BIGINT PRIMARY KEY,
     device_id TEXT NOT NULL,
     start BIGINT NOT NULL,
     "end" BIGINT NOT NULL,
     note TEXT NOT NULL DEFAULT '',
     change_seq BIGINT NOT NULL DEFAULT nextval('hub_change_seq')
   );
   CREATE INDEX maintenance_device ON maintenance(device_id, start);
   CREATE TABLE hub_deleted (
     tbl TEXT NOT NULL,
     id BIGINT NOT NULL,
     change_seq BIGINT NOT NULL DEFAULT nextval('hub_change_seq')
   );
   CREATE INDEX hub_deleted_change_seq ON hub_deleted(change_seq);`,
  },
];
