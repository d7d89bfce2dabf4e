import pg from 'pg';
import { HubError } from '../../errors.ts';

// BIGINT (int8) columns hold epoch milliseconds and ids below 2^53: numbers, as better-sqlite3 returns them.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/**
 * A pool on the hub's PostgreSQL database (HUB_DATABASE_URL). `pg` (node-postgres) rather than `postgres`
 * (porsager): it is the driver most of the ecosystem tests against, it gives a plain `PoolClient` for the
 * explicit BEGIN/COMMIT the ordered write path needs and a dedicated LISTEN connection, and
 * `@types/pg` describes it; `postgres`' tagged-template API would hide the statement order we rely on.
 * The connection is checked at once so a wrong URL fails the boot with a clear error.
 */
export async function openPostgres(url: string, max = 4): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'commune-hub' });
  // An idle client losing its server must not crash the process: the next query reports it.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end().catch(() => {});
    throw new HubError(
      'HUB_ERR_STORE_UNREACHABLE',
      `PostgreSQL at ${redact(url)} is unreachable: ${(err as Error).message}`,
    );
  }
  return pool;
}

/** The URL without its password, for logs and errors. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
