import fp from 'fastify-plugin';
import { SqliteTimeSeriesStore } from '../store/sqlite-store.ts';

const DAY_MS = 86_400_000;

export const storePlugin = fp(
  async (app) => {
    const store = new SqliteTimeSeriesStore({
      dataDir: app.config.dataDir,
      retentionMs: app.config.retentionDays * DAY_MS,
    });
    await store.open();
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
