import type Database from 'better-sqlite3';
import type pg from 'pg';
import { HubError } from '../../errors.ts';
import { REGISTRY_PG_MIGRATIONS } from '../../registry/shared-storage.ts';
import { ID_BLOCK } from './id-blocks.ts';
import { migratePostgres } from './migrate.ts';

/**
 * Tables copied, in an order that keeps references sensible, with the columns both dialects share.
 * SQLite's 0/1 and JSON text go in as they are: PostgreSQL reads them as the BOOLEAN and JSONB of the
 * column. `identity`: the table numbers its rows itself (audit log, reports); the copied ids are kept and
 * its sequence is moved past them, apart from the registry's id blocks.
 */
const TABLES: ReadonlyArray<{ name: string; columns: string[]; sqliteId?: string; identity?: boolean }> = [
  { name: 'communes', columns: ['id', 'name', 'province', 'merged_into'] },
  { name: 'villages', columns: ['id', 'name', 'commune_id'] },
  { name: 'sites', columns: ['id', 'name', 'village_id', 'location_type'] },
  {
    name: 'devices',
    columns: [
      'id',
      'kind',
      'name',
      'village',
      'interval_s',
      'secret_hash',
      'created_at',
      'disabled',
      'status',
      'status_since',
      'status_reason',
      'last_ts',
      'last_seq',
      'metrics_json',
      'faults_json',
      'village_id',
      'site_id',
      'parent_id',
      'tags_json',
    ],
  },
  { name: 'coverage', columns: ['id', 'device_id', 'start', 'end', 'cap'], sqliteId: 'rowid' },
  { name: 'offline_cuts', columns: ['device_id', 'at'] },
  { name: 'maintenance', columns: ['id', 'device_id', 'start', 'end', 'note'] },
  { name: 'hub_runs', columns: ['id', 'started_at', 'alive_at', 'stopped_at'] },
  // Auth (issue 14), shared by every node with HUB_DB=postgres since issue 15.
  {
    name: 'users',
    columns: [
      'id',
      'username',
      'display_name',
      'role',
      'province',
      'commune_ids',
      'password_hash',
      'disabled',
      'created_at',
      'last_login_at',
    ],
  },
  { name: 'sessions', columns: ['id_hash', 'user_id', 'csrf_token', 'created_at', 'expires_at', 'ip'] },
  {
    name: 'api_tokens',
    columns: ['id', 'user_id', 'name', 'token_hash', 'prefix', 'created_at', 'last_used_at', 'revoked_at'],
  },
  {
    name: 'audit_log',
    columns: ['id', 'at', 'user_id', 'username', 'via', 'method', 'route', 'path', 'status', 'ip'],
    identity: true,
  },
  { name: 'auth_lockouts', columns: ['key', 'failures', 'last_failure'] },
  // Public status (issue 12).
  {
    name: 'public_status_groups',
    columns: [
      'slug',
      'name',
      'description',
      'device_ids_json',
      'selector_json',
      'published',
      'created_at',
      'updated_at',
    ],
  },
  { name: 'public_status_tokens', columns: ['device_id', 'token', 'created_at'] },
  {
    name: 'public_status_reports',
    columns: ['id', 'group_slug', 'group_name', 'device_id', 'device_name', 'text', 'at'],
    identity: true,
  },
];

/**
 * Moves a node's registry from its `registry.db` (HUB_DB=sqlite) into an empty PostgreSQL database
 * (HUB_DB=postgres): devices with their hashed secrets and live state, places, the coverage record,
 * offline cuts, maintenance windows and hub runs, the users with their sessions, personal API tokens,
 * audit log and sign-in failure counts, and the public status groups, tokens and reports; in one
 * transaction, row order kept. Refuses a database that already has devices or users. Ids keep their values; the id sequence is moved past the largest.
 */
export async function copyRegistryToPostgres(
  sqlite: Database.Database,
  pool: pg.Pool,
): Promise<Record<string, number>> {
  await migratePostgres(pool, REGISTRY_PG_MIGRATIONS);
  const client = await pool.connect();
  const counts: Record<string, number> = {};
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ n: number }>(
      'SELECT (SELECT count(*) FROM devices)::int + (SELECT count(*) FROM users)::int AS n',
    );
    if (rows[0]!.n > 0) {
      throw new HubError(
        'HUB_ERR_EXISTS',
        'the PostgreSQL database already has devices or users: copy into an empty one',
      );
    }
    let maxId = 0;
    for (const table of TABLES) {
      const select = table.columns.map((c) =>
        c === 'id' && table.sqliteId ? `${table.sqliteId} AS id` : `"${c}"`,
      );
      const order = table.sqliteId ?? 'rowid';
      const data = sqlite
        .prepare(`SELECT ${select.join(', ')} FROM ${table.name} ORDER BY ${order}`)
        .all() as Array<Record<string, unknown>>;
      counts[table.name] = data.length;
      const list = table.columns.map((c) => `"${c}"`).join(', ');
      for (let i = 0; i < data.length; i += 500) {
        const chunk = data.slice(i, i + 500);
        const values = chunk
          .map(
            (_, r) => `(${table.columns.map((_c, k) => `$${r * table.columns.length + k + 1}`).join(', ')})`,
          )
          .join(', ');
        await client.query(
          `INSERT INTO ${table.name} (${list}) VALUES ${values}`,
          chunk.flatMap((row) => table.columns.map((c) => row[c] ?? null)),
        );
        if (table.identity) continue;
        for (const row of chunk) if (typeof row.id === 'number') maxId = Math.max(maxId, row.id);
      }
      if (table.identity) {
        await client.query(
          `SELECT setval(pg_get_serial_sequence($1, 'id'), COALESCE((SELECT max(id) FROM ${table.name}), 0) + 1, false)`,
          [table.name],
        );
      }
    }
    // Ids this database hands out from now on start past every copied one.
    const next = (Math.floor(maxId / ID_BLOCK) + 1) * ID_BLOCK;
    await client.query('SELECT setval($1, GREATEST($2, (SELECT last_value FROM hub_id_block)))', [
      'hub_id_block',
      next,
    ]);
    await client.query('COMMIT');
    return counts;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
