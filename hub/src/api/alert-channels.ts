import {
  AlertChannel,
  AlertChannelInput,
  AlertChannelList,
  AlertDeliveryList,
  ChannelTestResult,
  DeliveryAttemptList,
  DeliveryAttemptsQuery,
} from '@commune-hub/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { requireAdmin } from './auth.ts';
import { parseRange } from './time-range.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });

/** Alert channels (admin writes), "send test message", and the delivery record. Thin: the service decides. */
export const alertChannelRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { channels, store } = app.alertDelivery;
  const { clock } = app;
  const admin = requireAdmin(app.config.adminToken);

  app.get('/api/alerts/channels', { schema: { response: { 200: AlertChannelList } } }, async () => ({
    channels: channels.list(),
  }));

  app.get(
    '/api/alerts/channels/:id',
    { schema: { params: Params, response: { 200: AlertChannel } } },
    async (request) => channels.get(request.params.id),
  );

  app.post(
    '/api/alerts/channels',
    { preHandler: admin, schema: { body: AlertChannelInput, response: { 201: AlertChannel } } },
    async (request, reply) => reply.code(201).send(channels.create(request.body)),
  );

  app.put(
    '/api/alerts/channels/:id',
    {
      preHandler: admin,
      schema: { params: Params, body: AlertChannelInput, response: { 200: AlertChannel } },
    },
    async (request) => channels.replace(request.params.id, request.body),
  );

  app.delete(
    '/api/alerts/channels/:id',
    { preHandler: admin, schema: { params: Params } },
    async (request, reply) => {
      channels.remove(request.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/alerts/channels/:id/test',
    { preHandler: admin, schema: { params: Params, response: { 202: ChannelTestResult } } },
    async (request, reply) =>
      reply.code(202).send({ deliveryId: channels.sendTest(request.params.id), queued: true }),
  );

  app.get(
    '/api/alerts/deliveries',
    { schema: { querystring: DeliveryAttemptsQuery, response: { 200: AlertDeliveryList } } },
    async (request) => {
      const { from, to } = parseRange(request.query, clock.now());
      const rows = store.listDeliveries({ ...request.query, from, to, limit: request.query.limit ?? 200 });
      return {
        deliveries: rows.map((d) => ({
          id: d.id,
          channelId: d.channelId,
          alertIds: d.alertIds,
          reason: d.reason,
          state: d.state,
          attempts: d.attempts,
          text: d.text,
          createdAt: new Date(d.createdAt).toISOString(),
          sentAt: iso(d.sentAt),
        })),
      };
    },
  );

  app.get(
    '/api/alerts/delivery-attempts',
    { schema: { querystring: DeliveryAttemptsQuery, response: { 200: DeliveryAttemptList } } },
    async (request) => {
      const { from, to } = parseRange(request.query, clock.now());
      const rows = store.listAttempts({ ...request.query, from, to, limit: request.query.limit ?? 200 });
      return {
        attempts: rows.map((a) => ({
          id: a.id,
          deliveryId: a.deliveryId,
          channelId: a.channelId,
          at: new Date(a.at).toISOString(),
          ok: a.ok,
          status: a.status,
          error: a.error,
          retryAt: iso(a.retryAt),
        })),
      };
    },
  );
};
