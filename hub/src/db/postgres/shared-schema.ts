import type pg from 'pg';

/**
 * The tables of alerting, alert delivery, criteria and probe targets as every node of a cluster shares them
 * (HUB_DB=postgres): each node keeps an in-memory SQLite replica (./shared-tables.ts) for the modules'
 * synchronous stores; these are the rows it writes through and follows. Same columns as the SQLite steps
 * 5–8 (INTEGER → BIGINT), plus `origin` (the node that wrote the row last) and `change_seq` (commit order,
 * from `hub_shared_seq`, under the write path's advisory lock) so a node reads only what others changed.
 */
export interface SharedTable {
  /** The table, the same name in SQLite and PostgreSQL. */
  name: string;
  /** Its key in the SQLite replica (`rowid` for a table without one). */
  key: string;
  /** The key's column in PostgreSQL when it differs (`alert_history`'s rowid is `rid`). */
  pgKey?: string;
  /**
   * Integer ids the node assigns from its id blocks (not SQLite's AUTOINCREMENT): nodes writing at the same
   * time never take the same id, and a new leader's ids follow every id before it.
   */
  autoId?: boolean;
}

export const SHARED_TABLES: readonly SharedTable[] = [
  { name: 'alert_rules', key: 'id' },
  { name: 'alert_schedules', key: 'id' },
  { name: 'alert_alerts', key: 'id' },
  { name: 'alert_history', key: 'rowid', pgKey: 'rid', autoId: true },
  { name: 'alert_mutes', key: 'id' },
  { name: 'alert_recurring_windows', key: 'id' },
  { name: 'alert_channels', key: 'id' },
  { name: 'alert_delivery_messages', key: 'id', autoId: true },
  { name: 'alert_delivery_attempts', key: 'id', autoId: true },
  { name: 'alert_delivery_digest_items', key: 'id', autoId: true },
  { name: 'alert_delivery_bot_offsets', key: 'channel_id' },
  { name: 'criteria_manual_entries', key: 'id', autoId: true },
  { name: 'criteria_reports', key: 'id', autoId: true },
  { name: 'probe_targets', key: 'device_id' },
];

const follow = `origin TEXT NOT NULL, change_seq BIGINT NOT NULL`;

/**
 * Idempotent (IF NOT EXISTS), run under an advisory lock by whichever node opens the shared tables first.
 * Not a numbered step of the one migrator: issue 15's branch had three engineers adding steps at once
 * (auth's 11 among them); the lead can fold this into the next step number at the merge unchanged.
 */
export const SHARED_SCHEMA = `
  CREATE SEQUENCE IF NOT EXISTS hub_shared_seq;
  -- The registry's step 1 makes it the same way; here too so the shared tables open on their own (tests).
  CREATE SEQUENCE IF NOT EXISTS hub_id_block START WITH 1048576 INCREMENT BY 1048576;
  CREATE TABLE IF NOT EXISTS alert_rules (id TEXT PRIMARY KEY, json TEXT NOT NULL, ${follow});
  CREATE TABLE IF NOT EXISTS alert_schedules (id TEXT PRIMARY KEY, json TEXT NOT NULL, ${follow});
  CREATE TABLE IF NOT EXISTS alert_alerts (
    id TEXT PRIMARY KEY, key TEXT NOT NULL, rule_id TEXT NOT NULL, state TEXT NOT NULL, since BIGINT NOT NULL,
    resolved_at BIGINT, village_id TEXT, device_ids TEXT NOT NULL, json TEXT NOT NULL, ${follow});
  CREATE TABLE IF NOT EXISTS alert_history (
    rid BIGINT PRIMARY KEY, alert_id TEXT NOT NULL, at BIGINT NOT NULL, event TEXT NOT NULL, detail TEXT NOT NULL,
    ${follow});
  CREATE TABLE IF NOT EXISTS alert_mutes (id TEXT PRIMARY KEY, device_id TEXT, village_id TEXT,
    from_ms BIGINT NOT NULL, until_ms BIGINT NOT NULL, "by" TEXT NOT NULL, reason TEXT NOT NULL, ${follow});
  CREATE TABLE IF NOT EXISTS alert_recurring_windows (id TEXT PRIMARY KEY, json TEXT NOT NULL, ${follow});
  CREATE TABLE IF NOT EXISTS alert_channels (id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL,
    enabled BIGINT NOT NULL, digest_minutes BIGINT NOT NULL, config_json TEXT NOT NULL,
    created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, ${follow});
  CREATE TABLE IF NOT EXISTS alert_delivery_messages (id BIGINT PRIMARY KEY, channel_id TEXT NOT NULL,
    alert_ids_json TEXT NOT NULL, reason TEXT NOT NULL, subject TEXT NOT NULL, "text" TEXT NOT NULL,
    payload_json TEXT NOT NULL, state TEXT NOT NULL, attempts BIGINT NOT NULL, next_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL, sent_at BIGINT, provider_message_id TEXT, ${follow});
  CREATE TABLE IF NOT EXISTS alert_delivery_attempts (id BIGINT PRIMARY KEY, delivery_id BIGINT NOT NULL,
    channel_id TEXT NOT NULL, at BIGINT NOT NULL, ok BIGINT NOT NULL, status BIGINT, error TEXT, retry_at BIGINT,
    ${follow});
  CREATE TABLE IF NOT EXISTS alert_delivery_digest_items (id BIGINT PRIMARY KEY, channel_id TEXT NOT NULL,
    notice_json TEXT NOT NULL, created_at BIGINT NOT NULL, ${follow});
  CREATE TABLE IF NOT EXISTS alert_delivery_bot_offsets (channel_id TEXT PRIMARY KEY,
    next_offset BIGINT NOT NULL, ${follow});
  CREATE TABLE IF NOT EXISTS criteria_manual_entries (id BIGINT PRIMARY KEY, set_id TEXT NOT NULL,
    type TEXT NOT NULL, target TEXT NOT NULL, from_ms BIGINT NOT NULL, to_ms BIGINT NOT NULL,
    value_json TEXT NOT NULL, evidence_json TEXT NOT NULL, reason TEXT, "by" TEXT NOT NULL, at_ms BIGINT NOT NULL,
    withdrawn_at_ms BIGINT, withdrawn_by TEXT, ${follow});
  CREATE TABLE IF NOT EXISTS criteria_reports (id BIGINT PRIMARY KEY, set_id TEXT NOT NULL,
    from_ms BIGINT NOT NULL, to_ms BIGINT NOT NULL, version BIGINT NOT NULL, supersedes BIGINT,
    superseded_by BIGINT, submitted_at_ms BIGINT NOT NULL, submitted_by TEXT NOT NULL, sha256 TEXT NOT NULL,
    canonical TEXT NOT NULL, ${follow});
  CREATE TABLE IF NOT EXISTS probe_targets (device_id TEXT PRIMARY KEY, public_json TEXT NOT NULL,
    sealed_secrets TEXT, updated_at BIGINT NOT NULL, ${follow});
  CREATE TABLE IF NOT EXISTS hub_shared_deleted (tbl TEXT NOT NULL, k TEXT NOT NULL, ${follow});
  CREATE INDEX IF NOT EXISTS hub_shared_deleted_seq ON hub_shared_deleted (change_seq);
  -- One row per try of one outgoing message: the node about to send it claims it first (issue 15).
  CREATE TABLE IF NOT EXISTS alert_delivery_claims (delivery_id BIGINT NOT NULL, attempt BIGINT NOT NULL,
    node TEXT NOT NULL, at BIGINT NOT NULL, PRIMARY KEY (delivery_id, attempt));
  ${SHARED_TABLES.map((t) => `CREATE INDEX IF NOT EXISTS ${t.name}_seq ON ${t.name} (change_seq);`).join('\n  ')}
`;

const SCHEMA_LOCK = 0x48554233; // "HUB3"

export async function ensureSharedSchema(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK]);
    await client.query(SHARED_SCHEMA);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK]).catch(() => {});
    client.release();
  }
}
