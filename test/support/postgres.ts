import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The PostgreSQL server the global setup started (test/setup/postgres.ts), as HUB_TEST_PG_URL. Each test
 * takes a database of its own, so no test sees another's rows.
 */
export function testPostgresUrl(): string {
  const url = process.env.HUB_TEST_PG_URL;
  if (!url)
    throw new Error('HUB_TEST_PG_URL is not set: run the tests through vitest (test/setup/global-setup.ts)');
  return url;
}

/** Creates an empty database on the test server and returns its URL. */
export async function createDatabase(prefix = 't'): Promise<string> {
  const base = testPostgresUrl();
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return base.replace(/\/[^/]*$/, `/${name}`);
}
