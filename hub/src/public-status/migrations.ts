import type { Migration } from '../db/migrate.ts';

/**
 * The public status page's tables in `registry.db`: the groups an admin opts in, each device's opaque
 * public token, and the citizens' problem reports (never the sender's address). Step 10 (built as 9 in
 * branch dash, renumbered at the merge after auth's step 9). Forward only: append, never edit a
 * shipped step. Run by ../db/migrate.ts. `IF NOT EXISTS`: a migration test replays later steps over
 * a file that already has them (criteria's adoption test), as the probes step allows too.
 */
export const publicStatusMigrations: readonly Migration[] = [
  {
    version: 10,
    owner: 'public-status',
    up: `
      CREATE TABLE IF NOT EXISTS public_status_groups (
        slug TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        device_ids_json TEXT,
        selector_json TEXT,
        published INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS public_status_tokens (
        device_id TEXT PRIMARY KEY,
        token TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS public_status_reports (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        group_slug TEXT NOT NULL,
        group_name TEXT NOT NULL,
        device_id TEXT,
        device_name TEXT,
        text TEXT NOT NULL,
        at INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS public_status_reports_at ON public_status_reports (at);
    `,
  },
];
