import { routes } from '@commune-hub/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { defineRoute } from './define-route.ts';
import { parseRange } from './time-range.ts';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Alert channels (admin writes), "send test message", and the delivery record, registered from protocol's
 * route map. Thin: the delivery service decides.
 */
export const alertChannelRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { channels } = app.alertDelivery;
  const { clock } = app;

  // Channels and the delivery record are the province's: the service answers a commune admin with none.
  defineRoute(app, routes.alertChannelList, async (request) => ({ channels: channels.list(request.scope) }));
  defineRoute(app, routes.alertChannelGet, async (request) => channels.get(request.params.id, request.scope));
  defineRoute(app, routes.alertChannelCreate, async (request, reply) =>
    reply.code(201).send(channels.create(request.body, request.scope)),
  );
  defineRoute(app, routes.alertChannelUpdate, async (request) =>
    channels.replace(request.params.id, request.body, request.scope),
  );
  defineRoute(app, routes.alertChannelDelete, async (request, reply) => {
    channels.remove(request.params.id, request.scope);
    return reply.code(204).send();
  });
  defineRoute(app, routes.alertChannelTest, async (request, reply) =>
    reply.code(202).send({ deliveryId: channels.sendTest(request.params.id, request.scope), queued: true }),
  );

  defineRoute(app, routes.alertDeliveryList, async (request) => {
    const { from, to } = parseRange(request.query, clock.now());
    const rows = channels.deliveries(
      { ...request.query, from, to, limit: request.query.limit ?? 200 },
      request.scope,
    );
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
  });

  defineRoute(app, routes.alertDeliveryAttempts, async (request) => {
    const { from, to } = parseRange(request.query, clock.now());
    const rows = channels.attempts(
      { ...request.query, from, to, limit: request.query.limit ?? 200 },
      request.scope,
    );
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
  });
};
