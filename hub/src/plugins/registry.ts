import fp from 'fastify-plugin';
import { Counter } from 'prom-client';
import { Registry } from '../registry/registry.ts';

/**
 * The registry on its storage: the node's `registry.db` (HUB_DB=sqlite), or PostgreSQL shared by several
 * nodes (HUB_DB=postgres), whose changes made by other nodes are followed and announced on this node's bus.
 */
export const registryPlugin = fp(
  async (app) => {
    const { config, metrics } = app;
    const log = app.log.child({ module: 'registry' });
    const registry = new Registry(config.dataDir);
    if (config.db === 'postgres') {
      const failures = new Counter({
        name: 'hub_db_write_failures_total',
        help: 'Batches of writes PostgreSQL refused or could not be reached for (HUB_DB=postgres)',
        registers: [metrics.registry],
      });
      await registry.openPostgres({
        url: config.databaseUrl,
        onWriteFailure: (err, statements) => {
          failures.inc();
          log.error({ err, statements }, 'PostgreSQL did not take a write');
        },
      });
    } else {
      registry.open();
    }
    app.decorate('registry', registry);
    const stopFollowing =
      config.db === 'postgres'
        ? // pg is loaded only with HUB_DB=postgres (issue 15: a single SQLite node's RSS).
          await (await import('../registry/follow-changes.ts')).followChanges(
            registry,
            config.databaseUrl,
            app.events,
            app.clock,
            log,
          )
        : undefined;
    app.addHook('onClose', async () => {
      await stopFollowing?.();
      await registry.close();
    });
  },
  { name: 'registry', dependencies: ['events'] },
);
