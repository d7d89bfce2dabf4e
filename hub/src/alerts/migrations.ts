import { adoptLegacyTables } from '../db/adopt.ts';
import type { Migration } from '../db/migrate.ts';

/**
 * Alerting's tables in `registry.db` (prefix `alert_`): rules, schedules, alerts with their history,
 * mutes and recurring maintenance windows. Forward only: append, never edit a shipped step. Run by
 * ../db/migrate.ts. Step 5 adopts a file where alerting had already made them under its own
 * `alert_schema_version` (before it joined the one migrator).
 */
export const alertsMigrations: readonly Migration[] = [
  {
    version: 5,
    owner: 'alerts',
    up: adoptLegacyTables(
      'alert_schema_version',
      `CREATE TABLE alert_rules (id TEXT PRIMARY KEY, json TEXT NOT NULL);
   CREATE TABLE alert_schedules (id TEXT PRIMARY KEY, json TEXT NOT NULL);
   CREATE TABLE alert_alerts (
     id TEXT PRIMARY KEY, key TEXT NOT NULL, rule_id TEXT NOT NULL, state TEXT NOT NULL,
     since INTEGER NOT NULL, resolved_at INTEGER, village_id TEXT, device_ids TEXT NOT NULL, json TEXT NOT NULL);
   CREATE INDEX alert_alerts_since ON alert_alerts (since);
   CREATE INDEX alert_alerts_state ON alert_alerts (state);
   CREATE TABLE alert_history (alert_id TEXT NOT NULL, at INTEGER NOT NULL, event TEXT NOT NULL, detail TEXT NOT NULL);
   CREATE INDEX alert_history_alert ON alert_history (alert_id, at);
   CREATE TABLE alert_mutes (id TEXT PRIMARY KEY, device_id TEXT, village_id TEXT, from_ms INTEGER NOT NULL,
     until_ms INTEGER NOT NULL, by TEXT NOT NULL, reason TEXT NOT NULL);
   CREATE TABLE alert_recurring_windows (id TEXT PRIMARY KEY, json TEXT NOT NULL);`,
    ),
  },
];
