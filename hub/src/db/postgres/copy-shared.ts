import type Database from 'better-sqlite3';
import type pg from 'pg';
import { SHARED_TABLES } from './shared-schema.ts';

/** Rows per INSERT: 500 × at most 16 columns stays far below PostgreSQL's 65,535 parameters. */
export const COPY_CHUNK = 500;

/** Marks the copied rows in `origin` (no node wrote them; every node's replica reads them at boot). */
export const COPY_ORIGIN = 'registry-to-postgres';

/** Called after each chunk of a table: rows taken so far (new ones), rows handled so far, rows in the file. */
export type CopyProgress = (table: string, progress: { copied: number; done: number; total: number }) => void;

/**
 * Copies a single node's alerting, alert delivery, criteria and probe rows (its `registry.db`, steps 5–8)
 * into the shared tables every node of a cluster reads (./shared-schema.ts), inside the caller's
 * transaction, which holds the write path's lock: rows get `change_seq` values in commit order, so a
 * node already following the tables (./shared-tables.ts) reads them like another node's writes.
 *
 * Idempotent: a row whose key is already there is left as it is (ON CONFLICT DO NOTHING) and not counted,
 * so running the move again copies only what is missing, and never overwrites what the cluster changed
 * since. Frozen criteria reports go in byte for byte (`canonical`, `sha256`). Answers the copied rows per
 * table and the largest integer id of the tables whose ids come from id blocks.
 */
export async function copySharedTables(
  sqlite: Database.Database,
  client: pg.PoolClient,
  onProgress: CopyProgress = () => {},
): Promise<{ counts: Record<string, number>; maxId: number }> {
  const counts: Record<string, number> = {};
  let maxId = 0;
  for (const table of SHARED_TABLES) {
    const columns = (sqlite.prepare(`PRAGMA table_info(${table.name})`).all() as Array<{ name: string }>).map(
      (c) => c.name,
    );
    let copied = 0;
    counts[table.name] = 0;
    if (columns.length === 0) continue; // an older registry.db without this module's step
    const rowKey = table.key === 'rowid';
    const pgKey = table.pgKey ?? table.key;
    const rows = sqlite
      .prepare(`SELECT ${rowKey ? 'rowid AS rowid, ' : ''}* FROM ${table.name} ORDER BY rowid`)
      .all() as Array<Record<string, unknown>>;
    const names = [...(rowKey ? [pgKey] : []), ...columns, 'origin'];
    const width = names.length;
    for (let i = 0; i < rows.length; i += COPY_CHUNK) {
      const chunk = rows.slice(i, i + COPY_CHUNK);
      const values = chunk
        .map(
          (_, r) =>
            `(${names.map((_n, k) => `$${r * width + k + 1}`).join(', ')}, nextval('hub_shared_seq'))`,
        )
        .join(', ');
      const params = chunk.flatMap((row) => [
        ...(rowKey ? [row.rowid] : []),
        ...columns.map((c) => row[c] ?? null),
        COPY_ORIGIN,
      ]);
      const result = await client.query(
        `INSERT INTO ${table.name} (${names.map((n) => `"${n}"`).join(', ')}, change_seq) VALUES ${values}
         ON CONFLICT ("${pgKey}") DO NOTHING`,
        params,
      );
      copied += result.rowCount ?? 0;
      counts[table.name] = copied;
      if (table.autoId) {
        for (const row of chunk) maxId = Math.max(maxId, Number(rowKey ? row.rowid : row[table.key]));
      }
      onProgress(table.name, { copied, done: i + chunk.length, total: rows.length });
    }
    if (rows.length === 0) onProgress(table.name, { copied: 0, done: 0, total: 0 });
  }
  return { counts, maxId };
}
