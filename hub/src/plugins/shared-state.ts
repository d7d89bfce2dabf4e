import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import fp from 'fastify-plugin';
import { Counter } from 'prom-client';
import { Leadership } from '../cluster/leadership.ts';
import type { SharedTables } from '../db/postgres/shared-tables.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The database alerting, alert delivery, criteria and probe targets keep their rows in. */
    sharedDb: Database.Database;
    /** HUB_DB=postgres: those rows shared with every node (undefined on SQLite). */
    sharedTables: SharedTables | undefined;
    /** Whether this node does the once-only duties (always, without a cluster). */
    leadership: Leadership;
  }
}

/**
 * Where alerting, alert delivery, criteria and probe targets keep their rows, and which node does what must
 * happen once. HUB_DB=sqlite: the node's `registry.db`, and the node is its own leader, as before. With
 * HUB_DB=postgres: a replica of the rows every node shares through PostgreSQL (../db/postgres/shared-tables.ts);
 * in a cluster the leader (smallest living node id) evaluates alerts, sends them and answers bots.
 */
export const sharedStatePlugin = fp(
  async (app) => {
    const { config, registry } = app;
    const log = app.log.child({ module: 'shared-state' });
    const node = app.cluster;
    const leadership = node
      ? new Leadership({
          nodeId: node.nodeId,
          view: () => ({ leader: node.leases.leader(), readAt: node.leases.readAt }),
          clock: app.clock,
          // A lease renewal period and some: a leader that must step down for this node has done so.
          settleMs: Math.ceil(config.clusterLeaseMs / 3) + 500,
          leaseMs: config.clusterLeaseMs,
          log,
        })
      : Leadership.sole();
    app.decorate('leadership', leadership);
    if (config.db !== 'postgres') {
      app.decorate('sharedDb', registry.database);
      app.decorate('sharedTables', undefined);
    } else {
      const failures = new Counter({
        name: 'hub_shared_write_failures_total',
        help: 'Batches of alerting, delivery, criteria or probe rows PostgreSQL refused or could not be reached for',
        registers: [app.metrics.registry],
      });
      // pg and the replica are loaded only with HUB_DB=postgres (a single SQLite node's RSS, issue 15).
      const { openPostgres } = await import('../db/postgres/pool.ts');
      const { SharedTables } = await import('../db/postgres/shared-tables.ts');
      const pool = await openPostgres(config.databaseUrl);
      let shared: SharedTables;
      try {
        shared = await SharedTables.open(
          pool,
          config.databaseUrl,
          randomUUID(),
          node?.nodeId ?? 'sole',
          log,
          (err, statements) => {
            failures.inc();
            log.error({ err, statements }, 'PostgreSQL did not take shared rows');
          },
        );
      } catch (err) {
        await pool.end().catch(() => {});
        throw err;
      }
      app.decorate('sharedDb', shared.database);
      app.decorate('sharedTables', shared);
      app.addHook('onClose', async () => {
        await shared.close();
        await pool.end().catch(() => {});
      });
    }
    if (node) {
      app.addHook('onReady', async () => leadership.start());
      app.addHook('preClose', async () => leadership.stop());
    }
  },
  { name: 'shared-state', dependencies: ['registry', 'cluster'] },
);
