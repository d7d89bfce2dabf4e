import { routes } from '@commune-hub/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { clusterMetricsText, isHubWorker } from '../cluster/worker-metrics.ts';
import { HUB_VERSION } from '../version.ts';
import { defineRoute } from './define-route.ts';
import { checkMetricsAccess } from './metrics-access.ts';

export const systemRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const startedAt = app.clock.now();
  defineRoute(app, routes.health, async () => ({
    status: 'ok' as const,
    version: HUB_VERSION,
    uptimeS: Math.round((app.clock.now() - startedAt) / 1000),
    devices: app.registry.size,
    mqttClients: app.broker.connectedClients,
    mqttPort: app.broker.port,
    ...(app.config.publicMqttUrl && { mqttUrl: app.config.publicMqttUrl }),
    ...(app.cluster && {
      cluster: {
        nodeId: app.cluster.nodeId,
        leader: app.cluster.leases.leader(),
        nodes: app.cluster.leases.nodes().map((n) => ({
          id: n.id,
          alive: n.alive,
          stopped: n.stopped,
          startedAt: new Date(n.startedAt).toISOString(),
          lastLeaseAt: new Date(n.leaseAt).toISOString(),
        })),
      },
    }),
  }));

  defineRoute(app, routes.metrics, async (request, reply) => {
    checkMetricsAccess(app.config, request);
    reply.type(app.metrics.registry.contentType);
    // HUB_WORKERS: this worker answers for all of them (they share the port a scrape lands on).
    return isHubWorker() ? clusterMetricsText() : app.metrics.registry.metrics();
  });
};
