import type Database from 'better-sqlite3';
import type pg from 'pg';
import { HubError } from '../../errors.ts';
import { REGISTRY_PG_MIGRATIONS } from '../../registry/shared-storage.ts';
import { COPY_CHUNK, type CopyProgress, copySharedTables } from './copy-shared.ts';
import { ID_BLOCK } from './id-blocks.ts';
import { migratePostgres } from './migrate.ts';
import { ensureSharedSchema } from './shared-schema.ts';
import { WRITE_LOCK } from './write-journal.ts';

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

/** What one run copied: new rows per table, and whether the registry's part was already there. */
export interface CopyResult {
  counts: Record<string, number>;
  /** The devices, places, users… of this `registry.db` were in PostgreSQL already (a second run). */
  registryAlreadyThere: boolean;
}

/**
 * Moves a node from its `registry.db` (HUB_DB=sqlite) to PostgreSQL (HUB_DB=postgres), in one transaction:
 * - the registry: devices with their hashed secrets and live state, places, the coverage record, offline
 *   cuts, maintenance windows and hub runs, the users with their sessions, personal API tokens, audit log
 *   and sign-in failure counts, and the public status groups, tokens and reports (row order kept; ids keep
 *   their values);
 * - the rows every node of a cluster shares: alert rules, schedules, alerts and their history, mutes,
 *   recurring windows, channels, the outgoing messages and their tries, criteria manual entries and
 *   submitted reports (frozen evidence, byte for byte) and probe targets (./copy-shared.ts).
 *
 * Running it again is safe: the registry's part is skipped when every device and user of this file is
 * there already, and shared rows already there are left as they are. A database holding another
 * registry (a device or user this file does not have, and not all of its own) is refused. Ids handed out
 * from then on start past every copied one.
 */
export async function copyRegistryToPostgres(
  sqlite: Database.Database,
  pool: pg.Pool,
  onProgress: CopyProgress = () => {},
): Promise<CopyResult> {
  await migratePostgres(pool, REGISTRY_PG_MIGRATIONS);
  await ensureSharedSchema(pool);
  const client = await pool.connect();
  const counts: Record<string, number> = {};
  try {
    await client.query('BEGIN');
    // Followers read the shared tables under this lock shared: copied rows appear to them in seq order.
    await client.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK]);
    const registryAlreadyThere = await sameRegistryThere(sqlite, client);
    let maxId = 0;
    for (const table of registryAlreadyThere ? [] : TABLES) {
      maxId = Math.max(maxId, await copyTable(sqlite, client, table, counts, onProgress));
    }
    const shared = await copySharedTables(sqlite, client, onProgress);
    Object.assign(counts, shared.counts);
    maxId = Math.max(maxId, shared.maxId);
    // Ids this database hands out from now on start past every copied one.
    const next = (Math.floor(maxId / ID_BLOCK) + 1) * ID_BLOCK;
    await client.query('SELECT setval($1, GREATEST($2, (SELECT last_value FROM hub_id_block)))', [
      'hub_id_block',
      next,
    ]);
    await client.query('COMMIT');
    return { counts, registryAlreadyThere };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}

/** The registry tables whose ids tell one registry from another (and whether one is there at all). */
const IDENTIFYING = ['devices', 'users', 'communes', 'villages', 'sites', 'hub_runs'] as const;

/**
 * False for a database with no registry in it (copy this one); true when every device, user, place and
 * hub run of this file is there already (a second run: skip it); refuses a database with another registry.
 */
async function sameRegistryThere(sqlite: Database.Database, client: pg.PoolClient): Promise<boolean> {
  const { rows } = await client.query<Record<string, string[]>>(
    `SELECT ${IDENTIFYING.map((t) => `COALESCE((SELECT array_agg(id::text) FROM ${t}), '{}') AS ${t}`).join(', ')}`,
  );
  const there = IDENTIFYING.map((t) => new Set(rows[0]![t]));
  if (there.every((ids) => ids.size === 0)) return false;
  const same = IDENTIFYING.every((t, i) =>
    (sqlite.prepare(`SELECT id FROM ${t}`).pluck().all() as unknown[]).every((id) =>
      there[i]!.has(String(id)),
    ),
  );
  if (same) return true;
  throw new HubError(
    'HUB_ERR_EXISTS',
    'the PostgreSQL database already holds another registry (devices, users or places this registry.db does not have): copy into an empty one',
  );
}

/** One registry table, in chunks; answers the largest id it took (for the id blocks). */
async function copyTable(
  sqlite: Database.Database,
  client: pg.PoolClient,
  table: (typeof TABLES)[number],
  counts: Record<string, number>,
  onProgress: CopyProgress,
): Promise<number> {
  let maxId = 0;
  const select = table.columns.map((c) =>
    c === 'id' && table.sqliteId ? `${table.sqliteId} AS id` : `"${c}"`,
  );
  const order = table.sqliteId ?? 'rowid';
  const data = sqlite
    .prepare(`SELECT ${select.join(', ')} FROM ${table.name} ORDER BY ${order}`)
    .all() as Array<Record<string, unknown>>;
  counts[table.name] = data.length;
  const list = table.columns.map((c) => `"${c}"`).join(', ');
  for (let i = 0; i < data.length; i += COPY_CHUNK) {
    const chunk = data.slice(i, i + COPY_CHUNK);
    const values = chunk
      .map((_, r) => `(${table.columns.map((_c, k) => `$${r * table.columns.length + k + 1}`).join(', ')})`)
      .join(', ');
    await client.query(
      `INSERT INTO ${table.name} (${list}) VALUES ${values}`,
      chunk.flatMap((row) => table.columns.map((c) => row[c] ?? null)),
    );
    if (!table.identity) {
      for (const row of chunk) if (typeof row.id === 'number') maxId = Math.max(maxId, row.id);
    }
    onProgress(table.name, { copied: i + chunk.length, done: i + chunk.length, total: data.length });
  }
  if (data.length === 0) onProgress(table.name, { copied: 0, done: 0, total: 0 });
  if (table.identity) {
    await client.query(
      `SELECT setval(pg_get_serial_sequence($1, 'id'), COALESCE((SELECT max(id) FROM ${table.name}), 0) + 1, false)`,
      [table.name],
    );
  }
  return maxId;
}
