/**
 * Moves a hub's registry from SQLite to PostgreSQL, once, before switching the hub to HUB_DB=postgres:
 *   npx tsx hub/src/cli/registry-to-postgres.ts --data-dir ./data --database-url postgres://user:pw@host/db
 * (defaults: HUB_DATA_DIR, HUB_DATABASE_URL). Stop the hub first. The database must exist and have no
 * devices or users (or hold this very registry, from an earlier run); the hub's tables are created in it.
 * Users, sessions, API tokens, the audit log, the public status groups, tokens and reports are copied too,
 * and so are alert rules, schedules, alerts and their history, mutes, windows, channels and what was sent,
 * criteria entries and submitted reports, and probe targets. Running it again copies only what is missing.
 * Prints each table's progress and counts on stderr. `registry.db` is left as it was.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/open.ts';
import { copyRegistryToPostgres } from '../db/postgres/copy-from-sqlite.ts';
import { openPostgres, redact } from '../db/postgres/pool.ts';
import { REGISTRY_DB_MIGRATIONS } from '../registry/registry.ts';

const { values } = parseArgs({
  options: { 'data-dir': { type: 'string' }, 'database-url': { type: 'string' } },
});
const dataDir = path.resolve(values['data-dir'] ?? process.env.HUB_DATA_DIR ?? './data');
const url = values['database-url'] ?? process.env.HUB_DATABASE_URL ?? '';
if (!/^postgres(ql)?:\/\//.test(url)) {
  console.error('usage: registry-to-postgres --data-dir DIR --database-url postgres://user:pw@host:5432/db');
  process.exit(2);
}
const sqlite = openDatabase(dataDir, 'registry.db', REGISTRY_DB_MIGRATIONS);
const pool = await openPostgres(url);
try {
  const started = new Map<string, number>();
  const { counts, registryAlreadyThere } = await copyRegistryToPostgres(sqlite, pool, (table, p) => {
    // A line when a table is done, and one every 10,000 rows of a long one (alert history, coverage).
    if (p.done === p.total || p.done - (started.get(table) ?? 0) >= 10_000) {
      started.set(table, p.done);
      const already = p.done - p.copied;
      console.error(
        `  ${table}: ${p.done === p.total ? '' : `${p.done}/${p.total} rows, `}${p.copied} copied${already > 0 ? `, ${already} already there` : ''}${p.done === p.total ? ` (of ${p.total})` : ''}`,
      );
    }
  });
  if (registryAlreadyThere)
    console.error('the registry (devices, places, users…) was there already: not copied again');
  const total = Object.values(counts).reduce((a, n) => a + n, 0);
  console.error(`copied ${total} rows from ${path.join(dataDir, 'registry.db')} into ${redact(url)}`);
  console.log(JSON.stringify({ registryAlreadyThere, counts }));
  console.error('now start the hub with HUB_DB=postgres and HUB_DATABASE_URL set');
} catch (err) {
  console.error(`not copied: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await pool.end();
  sqlite.close();
}
