import { Health } from '@commune-hub/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HUB_VERSION } from '../version.ts';

export const systemRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const startedAt = app.clock.now();
  app.get('/healthz', { schema: { response: { 200: Health } } }, async () => ({
    status: 'ok' as const,
    version: HUB_VERSION,
    uptimeS: Math.round((app.clock.now() - startedAt) / 1000),
    devices: app.registry.size,
    mqttClients: app.broker.connectedClients,
  }));

  app.get('/metrics', async (_request, reply) => {
    reply.type(app.metrics.registry.contentType);
    return app.metrics.registry.metrics();
  });
};
