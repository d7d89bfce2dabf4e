// Opens the registry's storage on each dialect for the repository contract suites (*.contract.test.ts
// here): a temp `registry.db` (SQLite), or a fresh database on the PostgreSQL server the vitest global
// setup started (test/setup/postgres.ts, HUB_TEST_PG_URL). `reopen()` is a restart: everything queued is
// written, the storage closed, and opened again from what was stored.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Registry } from '../../registry/registry.ts';
import { type CoverageStore, SqliteCoverageStore } from '../../uptime/coverage.ts';
import { ImageCoverageStore } from '../../uptime/coverage-image.ts';

export type Dialect = 'sqlite' | 'postgres';
export const DIALECTS: readonly Dialect[] = ['sqlite', 'postgres'];

/** A new empty database on the test server, as a URL. */
export async function createTestDatabase(): Promise<string> {
  const base = process.env.HUB_TEST_PG_URL;
  if (!base) throw new Error('HUB_TEST_PG_URL is not set: run through vitest (test/setup/global-setup.ts)');
  const name = `c_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return base.replace(/\/[^/]*$/, `/${name}`);
}

export interface StorageHarness {
  dialect: Dialect;
  registry: Registry;
  /** PostgreSQL: the database's URL (a second node can open it too). */
  url: string | undefined;
  /** Closes (writing what is queued) and opens the same storage again, as a restart does. */
  reopen(): Promise<Registry>;
  /** Another registry on the same storage (PostgreSQL: a second node), closed by close(). */
  another(): Promise<Registry>;
  close(): Promise<void>;
}

export async function openStorage(dialect: Dialect): Promise<StorageHarness> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `contract-${dialect}-`));
  const url = dialect === 'postgres' ? await createTestDatabase() : undefined;
  const others: Registry[] = [];
  const open = async (dataDir = dir) => {
    const registry = new Registry(dataDir);
    if (url) await registry.openPostgres({ url });
    else registry.open();
    return registry;
  };
  const harness: StorageHarness = {
    dialect,
    url,
    registry: await open(),
    async reopen() {
      await harness.registry.close();
      harness.registry = await open();
      return harness.registry;
    },
    async another() {
      if (!url) throw new Error('a second node needs PostgreSQL');
      const other = await open(fs.mkdtempSync(path.join(os.tmpdir(), 'contract-node-')));
      others.push(other);
      return other;
    },
    async close() {
      for (const o of others) await o.close();
      await harness.registry.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** The coverage store the uptime plugin would make for this registry. */
export function coverageFor(registry: Registry): CoverageStore {
  const storage = registry.storage;
  return storage.dialect === 'postgres'
    ? new ImageCoverageStore(storage)
    : new SqliteCoverageStore(registry.database);
}

export const credentials = (n: number) => ({ secret: `secret-${n}`, hash: `hash-${n}` });
