/**
 * Moves a hub's registry from SQLite to PostgreSQL, once, before switching the hub to HUB_DB=postgres:
 *   npx tsx hub/src/cli/registry-to-postgres.ts --data-dir ./data --database-url postgres://user:pw@host/db
 * (defaults: HUB_DATA_DIR, HUB_DATABASE_URL). Stop the hub first. The database must exist and have no
 * devices or users; the hub's tables are created in it. Users, sessions, API tokens, the audit log and the
 * public status groups, tokens and reports are copied too. `registry.db` is left as it was (alerts,
 * criteria, probes and alert delivery stay there).
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
  const counts = await copyRegistryToPostgres(sqlite, pool);
  console.error(`copied ${path.join(dataDir, 'registry.db')} into ${redact(url)}: ${JSON.stringify(counts)}`);
  console.error('now start the hub with HUB_DB=postgres and HUB_DATABASE_URL set');
} catch (err) {
  console.error(`not copied: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await pool.end();
  sqlite.close();
}
