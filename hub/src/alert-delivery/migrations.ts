import { adoptLegacyTables } from '../db/adopt.ts';
import type { Migration } from '../db/migrate.ts';

/**
 * Alert delivery's tables in `registry.db`: channels, the outgoing queue, every attempt, digest buffers,
 * bot offsets. Forward only: append, never edit a shipped step. Run by ../db/migrate.ts. Step 6 adopts a
 * file where delivery had already made them under its own `alert_delivery_schema_version`.
 */
export const alertDeliveryMigrations: readonly Migration[] = [
  {
    version: 6,
    owner: 'alert-delivery',
    up: adoptLegacyTables(
      'alert_delivery_schema_version',
      `CREATE TABLE alert_channels (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     kind TEXT NOT NULL,
     enabled INTEGER NOT NULL DEFAULT 1,
     digest_minutes INTEGER NOT NULL DEFAULT 0,
     config_json TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL
   );
   CREATE TABLE alert_delivery_messages (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     channel_id TEXT NOT NULL,
     alert_ids_json TEXT NOT NULL,
     reason TEXT NOT NULL,
     subject TEXT NOT NULL,
     text TEXT NOT NULL,
     payload_json TEXT NOT NULL,
     state TEXT NOT NULL,
     attempts INTEGER NOT NULL DEFAULT 0,
     next_at INTEGER NOT NULL,
     created_at INTEGER NOT NULL,
     sent_at INTEGER,
     provider_message_id TEXT
   );
   CREATE INDEX alert_delivery_messages_queue ON alert_delivery_messages(state, channel_id, id);
   CREATE TABLE alert_delivery_attempts (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     delivery_id INTEGER NOT NULL,
     channel_id TEXT NOT NULL,
     at INTEGER NOT NULL,
     ok INTEGER NOT NULL,
     status INTEGER,
     error TEXT,
     retry_at INTEGER
   );
   CREATE INDEX alert_delivery_attempts_channel_at ON alert_delivery_attempts(channel_id, at);
   CREATE TABLE alert_delivery_digest_items (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     channel_id TEXT NOT NULL,
     notice_json TEXT NOT NULL,
     created_at INTEGER NOT NULL
   );
   CREATE TABLE alert_delivery_bot_offsets (channel_id TEXT PRIMARY KEY, next_offset INTEGER NOT NULL);`,
    ),
  },
];
