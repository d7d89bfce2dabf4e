import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { type Migration, migrate } from './migrate.ts';

/**
 * Opens one of the hub's SQLite files (WAL, synchronous=NORMAL: a commit survives a process crash; the
 * last commits before a power cut may not) and brings its schema up to date with the migrations every
 * owning module contributed. Each file is opened once, by its owner, which hands the handle to the
 * repositories that share it.
 */
export function openDatabase(
  dataDir: string,
  file: string,
  contributions: ReadonlyArray<readonly Migration[]>,
): Database.Database {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, file));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    migrate(db, contributions);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
