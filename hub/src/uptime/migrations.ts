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
  },
];
