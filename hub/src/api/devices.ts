import { routes } from '@commune-hub/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { HubError } from '../errors.ts';
import { defineRoute, mustSeeDevice } from './define-route.ts';
import { parseRange } from './time-range.ts';
import { toDeviceView, toHeartbeatRecord, toTransition } from './views.ts';

export const deviceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { registry, liveness, store, clock, devices } = app;

  /** The device, if the caller's scope holds it; 404 otherwise (existence outside the scope does not leak). */
  const mustGet = (request: FastifyRequest, id: string) => mustSeeDevice(request, id, registry.get(id));

  defineRoute(app, routes.deviceList, async (request) =>
    registry
      .list()
      .filter((r) => request.scope.allowsDevice(r))
      .map((r) => toDeviceView(r, liveness.get(r.id), registry.places)),
  );

  defineRoute(app, routes.deviceCreate, async (request, reply) => {
    // A commune admin provisions into its own communes' villages only.
    if (!request.scope.isAll) {
      const village = registry.places.resolveVillage(request.body.village, false);
      if (!village || !request.scope.allowsVillage(village.id)) {
        throw new HubError('HUB_ERR_NOT_FOUND', `no village ${request.body.village} in your communes`);
      }
    }
    const { record, secret } = await devices.create(request.body);
    request.log.info({ deviceId: record.id, kind: record.kind }, 'device provisioned');
    return reply.code(201).send({ id: record.id, secret });
  });

  defineRoute(app, routes.deviceRotateSecret, async (request) => {
    mustGet(request, request.params.id);
    const secret = await devices.rotateSecret(request.params.id);
    request.log.info({ deviceId: request.params.id }, 'device secret rotated');
    return { id: request.params.id, secret };
  });

  defineRoute(app, routes.deviceGet, async (request) => {
    const record = mustGet(request, request.params.id);
    return toDeviceView(record, liveness.get(record.id), registry.places);
  });

  defineRoute(app, routes.deviceHeartbeats, async (request) => {
    mustGet(request, request.params.id);
    const range = parseRange(request.query, clock.now());
    await store.flush();
    const { limit = 1000, order = 'asc' } = request.query;
    const rows = await store.heartbeats(request.params.id, range, limit, order);
    return rows.map(toHeartbeatRecord);
  });

  defineRoute(app, routes.deviceTransitions, async (request) => {
    mustGet(request, request.params.id);
    const range = parseRange(request.query, clock.now());
    await store.flush();
    return (await store.transitions(request.params.id, range)).map(toTransition);
  });

  defineRoute(app, routes.deviceSeries, async (request) => {
    mustGet(request, request.params.id);
    const range = parseRange(request.query, clock.now());
    const stepMs =
      (request.query.stepS ?? Math.max(60, Math.ceil((range.to - range.from) / 1000 / 500))) * 1000;
    await store.flush();
    return store.metricSeries(request.params.id, request.query.metric, range, stepMs);
  });
};
