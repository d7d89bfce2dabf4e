import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InfluxTimeSeriesStore } from '../influx/influx-store.ts';
import { adminQuery, testInflux, uniqueDatabase } from './influx-env.ts';
import { describeStoreContract } from './store-contract.ts';

describeStoreContract('influx (real influxd 1.x through the v1 write transport)', async ({ retentionMs }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hub-influx-contract-'));
  const database = uniqueDatabase('contract');
  const store = new InfluxTimeSeriesStore({ ...testInflux(), database, retentionMs, dataDir });
  await store.open();
  return {
    store,
    cleanup: async () => {
      await store.close();
      await adminQuery(`DROP DATABASE "${database}"`);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
});
