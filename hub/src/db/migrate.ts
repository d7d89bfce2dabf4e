import type Database from 'better-sqlite3';
import type { PoolClient } from 'pg';
import { HubError } from '../errors.ts';

/**
 * One step of a database's schema, contributed by the module that owns the tables it touches.
 * `version` is the step's place in its database's history (1, 2, 3, …): shipped steps are never edited
 * or renumbered, because data dirs in the field record how far they got in `schema_version`.
 */
export interface Migration {
  version: number;
  /** The module that owns the tables (`registry`, `places`, `uptime`, `store`, …): for errors and docs. */
  owner: string;
  /** SQL, or a function for a step that needs data (run inside the same transaction). */
  up: string | ((db: Database.Database) => void);
  /**
   * The same step for PostgreSQL (HUB_DB=postgres, ./postgres/migrate.ts), for the steps of tables that can
   * live there: SQL, or a function run inside the step's transaction. A step without it is SQLite-only.
   */
  pg?: string | ((client: PoolClient) => Promise<void>);
}

/**
 * The hub's one migrator. Every module contributes its steps for a database; they are applied in version
 * order, each in its own transaction with the version bump, so a crash leaves the file at a step boundary.
 * The bookkeeping is the `schema_version` table (one row, one integer) both databases have always used,
 * so an existing data dir opens unchanged and continues from where it stood.
 */
export function migrate(db: Database.Database, contributions: ReadonlyArray<readonly Migration[]>): number {
  const steps = contributions.flat().sort((a, b) => a.version - b.version);
  steps.forEach((step, i) => {
    if (step.version !== i + 1) {
      throw new HubError(
        'HUB_ERR_INTERNAL',
        `migrations must be numbered 1..n without gaps or repeats: found ${step.version} (${step.owner}) at ${i + 1}`,
      );
    }
  });
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
  if (!row) db.prepare('INSERT INTO schema_version (version) VALUES (0)').run();
  let version = row?.version ?? 0;
  if (version > steps.length) {
    throw new HubError(
      'HUB_ERR_INTERNAL',
      `database schema is at version ${version}, newer than this hub knows (${steps.length}): use a newer hub`,
    );
  }
  const bump = db.prepare('UPDATE schema_version SET version = ?');
  for (; version < steps.length; version++) {
    const step = steps[version]!;
    db.transaction(() => {
      if (typeof step.up === 'string') db.exec(step.up);
      else step.up(db);
      bump.run(step.version);
    })();
  }
  return version;
}
