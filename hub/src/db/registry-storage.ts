import type Database from 'better-sqlite3';
import type { IdBlocks } from './postgres/id-blocks.ts';
import type { RegistryImage } from './postgres/registry-image.ts';
import type { WriteJournal } from './postgres/write-journal.ts';

/**
 * Where the registry's aggregates (devices, credentials, places, live state, coverage, maintenance, hub
 * runs) are stored, handed to their repositories. Both keep the repositories' synchronous API:
 *  - `sqlite`: the node's `registry.db`, written synchronously (better-sqlite3);
 *  - `postgres` (HUB_DB=postgres): read once at boot into `image`, then every write is queued in order on
 *    `journal` (./postgres/write-journal.ts) and the in-memory copies answer the reads. New row ids come
 *    from `ids`, blocks reserved from a sequence, so nodes sharing the database never collide.
 */
export type RegistryStorage =
  | { dialect: 'sqlite'; db: Database.Database }
  | { dialect: 'postgres'; journal: WriteJournal; image: RegistryImage; ids: IdBlocks };

/** A write statement of a repository in both dialects (SQLite `?` placeholders, PostgreSQL `$n`), prepared once. */
export function statement(
  storage: RegistryStorage,
  sqlite: string,
  postgres: string,
): (...params: unknown[]) => void {
  if (storage.dialect === 'sqlite') {
    const stmt = storage.db.prepare(sqlite);
    return (...params) => {
      stmt.run(...params);
    };
  }
  const { journal } = storage;
  return (...params) => journal.write(postgres, params);
}

/** Runs `fn`'s writes as one transaction: a SQLite transaction, or one batch of the PostgreSQL write path. */
export function atomically<T>(storage: RegistryStorage, fn: () => T): T {
  return storage.dialect === 'sqlite' ? storage.db.transaction(fn)() : storage.journal.batch(fn);
}
