import { adoptLegacyTables } from '../db/adopt.ts';
import type { Migration } from '../db/migrate.ts';

/**
 * The criteria tables in `registry.db`. Manual entries are append-only (a withdrawal is recorded, never a
 * delete); reports are immutable: triggers refuse any change to a report's content or hash, and any delete.
 */
const CRITERIA_TABLES = `CREATE TABLE criteria_manual_entries (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     set_id TEXT NOT NULL,
     type TEXT NOT NULL,
     target TEXT NOT NULL,
     from_ms INTEGER NOT NULL,
     to_ms INTEGER NOT NULL,
     value_json TEXT NOT NULL,
     evidence_json TEXT NOT NULL,
     reason TEXT,
     by TEXT NOT NULL,
     at_ms INTEGER NOT NULL,
     withdrawn_at_ms INTEGER,
     withdrawn_by TEXT
   );
   CREATE INDEX criteria_manual_entries_set ON criteria_manual_entries (set_id, from_ms, to_ms);
   CREATE TABLE criteria_reports (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     set_id TEXT NOT NULL,
     from_ms INTEGER NOT NULL,
     to_ms INTEGER NOT NULL,
     version INTEGER NOT NULL,
     supersedes INTEGER,
     superseded_by INTEGER,
     submitted_at_ms INTEGER NOT NULL,
     submitted_by TEXT NOT NULL,
     sha256 TEXT NOT NULL,
     canonical TEXT NOT NULL
   );
   CREATE UNIQUE INDEX criteria_reports_current ON criteria_reports (set_id, from_ms, to_ms) WHERE superseded_by IS NULL;
   CREATE TRIGGER criteria_reports_frozen BEFORE UPDATE OF set_id, from_ms, to_ms, version, supersedes, submitted_at_ms, submitted_by, sha256, canonical ON criteria_reports
   BEGIN SELECT RAISE(ABORT, 'a submitted report is immutable'); END;
   CREATE TRIGGER criteria_reports_kept BEFORE DELETE ON criteria_reports
   BEGIN SELECT RAISE(ABORT, 'a submitted report is never deleted'); END;`;

/**
 * Step 7 of registry.db. Before the one migrator, criteria kept its own `criteria_schema_version` in the
 * same file: a data dir from then keeps its tables, entries and reports, and only loses that table.
 */
export const criteriaMigrations: readonly Migration[] = [
  { version: 7, owner: 'criteria', up: adoptLegacyTables('criteria_schema_version', CRITERIA_TABLES) },
];
