import fp from 'fastify-plugin';
import type { HubConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import { SqliteTimeSeriesStore } from '../store/sqlite-store.ts';
import type { TimeSeriesStore } from '../store/types.ts';

const DAY_MS = 86_400_000;

async function createStore(config: HubConfig, logger: Logger): Promise<TimeSeriesStore> {
  const retentionMs = config.retentionDays * DAY_MS;
  if (config.store === 'sqlite')
    return new SqliteTimeSeriesStore({ dataDir: config.dataDir, retentionMs, logger: logger as never });
  const optional = (v: string) => (v === '' ? undefined : v);
  // The InfluxDB client is loaded only by a hub that writes to InfluxDB (issue 15: RSS at boot).
  const { InfluxTimeSeriesStore } = await import('../store/influx/influx-store.ts');
  return new InfluxTimeSeriesStore({
    url: config.influxUrl,
    token: optional(config.influxToken),
    org: optional(config.influxOrg),
    bucket: optional(config.influxBucket),
    username: optional(config.influxUsername),
    password: optional(config.influxPassword),
    database: optional(config.influxDatabase),
    retentionPolicy: optional(config.influxRetentionPolicy),
    retentionMs,
    dataDir: config.dataDir,
    spoolMaxBytes: config.influxSpoolMaxMb * 1024 * 1024,
    logger: logger as never,
  });
}

/** The time-series store chosen by HUB_STORE; an unreachable or refusing InfluxDB stops the boot with a clear error. */
export const storePlugin = fp(
  async (app) => {
    const store = await createStore(app.config, app.log.child({ module: 'store' }));
    await store.open();
    for (const metric of Object.values(store.metrics())) app.metrics.registry.registerMetric(metric);
    app.log.info({ store: store.name }, 'time-series store open');
    app.decorate('store', store);
    const pruneTimer = setInterval(() => {
      store.prune(app.clock.now()).catch((err: unknown) => app.log.error({ err }, 'prune failed'));
    }, 3_600_000);
    pruneTimer.unref();
    app.addHook('onClose', async () => {
      clearInterval(pruneTimer);
      await store.close();
    });
  },
  { name: 'store' },
);
