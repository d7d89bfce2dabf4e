import type Database from 'better-sqlite3';

/**
 * A step for tables that a module used to create with its own version table (`legacyVersionTable`)
 * before it contributed to the one migrator. A file that already has them (legacy version ≥ 1) keeps
 * its tables and rows as they are and only loses the old bookkeeping; any other file gets `sql`.
 * Only for modules whose legacy history was a single step, which is all this has to know.
 */
export function adoptLegacyTables(legacyVersionTable: string, sql: string) {
  return (db: Database.Database): void => {
    const known = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
      .get(legacyVersionTable);
    const legacy = known
      ? (db.prepare(`SELECT version FROM ${legacyVersionTable}`).get() as { version: number } | undefined)
      : undefined;
    if ((legacy?.version ?? 0) < 1) db.exec(sql);
    if (known) db.exec(`DROP TABLE ${legacyVersionTable}`);
  };
}
