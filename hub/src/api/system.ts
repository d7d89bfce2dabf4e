import { routes } from '@commune-hub/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
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
  }));

  defineRoute(app, routes.metrics, async (request, reply) => {
    checkMetricsAccess(app.config, request);
    reply.type(app.metrics.registry.contentType);
    return app.metrics.registry.metrics();
  });
};
