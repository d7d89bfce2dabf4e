import type pg from 'pg';
import { HubError } from '../../errors.ts';
import type { Migration } from '../migrate.ts';

/** Advisory lock key held while migrating: nodes booting together migrate one after the other. */
const MIGRATION_LOCK = 0x48554231; // "HUB1"

/**
 * The one migrator's PostgreSQL side: the same numbered steps, each step's `pg` form, the same
 * `schema_version` row. A step without a `pg` form is SQLite-only (its tables stay in each node's
 * `registry.db`) and only moves the version on; giving a shipped step a `pg` form later would be editing
 * it, so a table that moves to PostgreSQL later gets a new step. Each step commits with its version bump; several nodes starting at once take
 * turns on an advisory lock, so a step runs exactly once.
 */
export async function migratePostgres(
  pool: pg.Pool,
  contributions: ReadonlyArray<readonly Migration[]>,
): Promise<number> {
  const steps = contributions.flat().sort((a, b) => a.version - b.version);
  steps.forEach((step, i) => {
    if (step.version !== i + 1) {
      throw new HubError(
        'HUB_ERR_INTERNAL',
        `migrations must be numbered 1..n without gaps or repeats: found ${step.version} (${step.owner}) at ${i + 1}`,
      );
    }
  });
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_version');
    if (rows.length === 0) await client.query('INSERT INTO schema_version (version) VALUES (0)');
    let version = rows[0]?.version ?? 0;
    if (version > steps.length) {
      throw new HubError(
        'HUB_ERR_INTERNAL',
        `database schema is at version ${version}, newer than this hub knows (${steps.length}): use a newer hub`,
      );
    }
    for (; version < steps.length; version++) {
      const step = steps[version]!;
      await client.query('BEGIN');
      try {
        if (typeof step.pg === 'string') await client.query(step.pg);
        else if (step.pg) await step.pg(client);
        await client.query('UPDATE schema_version SET version = $1', [step.version]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      }
    }
    return version;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
}
