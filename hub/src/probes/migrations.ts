import type { Migration } from '../db/migrate.ts';

/**
 * The probes' table in `registry.db`: each gateway child's probe target, beside (not inside) the device
 * record: step 8 of registry.db (after criteria's 7). Forward only: append, never edit a shipped step.
 * Run by ../db/migrate.ts.
 * `IF NOT EXISTS` because builds of the probes branch made the same table on their own before the step
 * existed; such a file keeps its rows.
 */
export const probesMigrations: readonly Migration[] = [
  {
    version: 8,
    owner: 'probes',
    up: `CREATE TABLE IF NOT EXISTS probe_targets (
      device_id TEXT PRIMARY KEY,
      public_json TEXT NOT NULL,
      sealed_secrets TEXT,
      updated_at INTEGER NOT NULL
    )`,
  },
];
