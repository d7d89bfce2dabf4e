import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteTimeSeriesStore } from '../sqlite-store.ts';
import { describeStoreContract } from './store-contract.ts';

describeStoreContract('sqlite (embedded)', async ({ retentionMs }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-sqlite-contract-'));
  const store = new SqliteTimeSeriesStore({ dataDir, retentionMs });
  await store.open();
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});
