import {
  DeviceCreate,
  DeviceCredentials,
  DeviceId,
  DeviceView,
  HeartbeatRecord,
  METRIC_NAME_PATTERN,
  SeriesPoint,
  TimeRangeQuery,
  Transition,
} from '@commune-hub/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { HubError } from '../errors.ts';
import { requireAdmin } from './auth.ts';
import { parseRange } from './time-range.ts';
import { toDeviceView, toHeartbeatRecord, toTransition } from './views.ts';

const IdParams = Type.Object({ id: DeviceId });
const SeriesQuery = Type.Object({
  metric: Type.String({ pattern: METRIC_NAME_PATTERN }),
  from: Type.Optional(Type.String()),
  to: Type.Optional(Type.String()),
  stepS: Type.Optional(Type.Integer({ minimum: 1, maximum: 31_536_000 })),
});

export const deviceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { registry, liveness, store, clock, devices } = app;
  const admin = requireAdmin(app.config.adminToken);

  const mustGet = (id: string) => {
    const record = registry.get(id);
    if (!record) throw new HubError('HUB_ERR_DEVICE_NOT_FOUND', `no device ${id}`);
    return record;
  };

  app.get('/api/devices', { schema: { response: { 200: Type.Array(DeviceView) } } }, async () =>
    registry.list().map((r) => toDeviceView(r, liveness.get(r.id), registry.places)),
  );

  app.post(
    '/api/devices',
    { preHandler: admin, schema: { body: DeviceCreate, response: { 201: DeviceCredentials } } },
    async (request, reply) => {
      const { record, secret } = await devices.create(request.body);
      request.log.info({ deviceId: record.id, kind: record.kind }, 'device provisioned');
      return reply.code(201).send({ id: record.id, secret });
    },
  );

  app.post(
    '/api/devices/:id/secret',
    { preHandler: admin, schema: { params: IdParams, response: { 200: DeviceCredentials } } },
    async (request) => {
      const secret = await devices.rotateSecret(request.params.id);
      request.log.info({ deviceId: request.params.id }, 'device secret rotated');
      return { id: request.params.id, secret };
    },
  );

  app.get(
    '/api/devices/:id',
    { schema: { params: IdParams, response: { 200: DeviceView } } },
    async (request) => {
      const record = mustGet(request.params.id);
      return toDeviceView(record, liveness.get(record.id), registry.places);
    },
  );

  app.get(
    '/api/devices/:id/heartbeats',
    {
      schema: {
        params: IdParams,
        querystring: TimeRangeQuery,
        response: { 200: Type.Array(HeartbeatRecord) },
      },
    },
    async (request) => {
      mustGet(request.params.id);
      const range = parseRange(request.query, clock.now());
      await store.flush();
      const rows = await store.heartbeats(request.params.id, range, request.query.limit ?? 1000);
      return rows.map(toHeartbeatRecord);
    },
  );

  app.get(
    '/api/devices/:id/transitions',
    { schema: { params: IdParams, querystring: TimeRangeQuery, response: { 200: Type.Array(Transition) } } },
    async (request) => {
      mustGet(request.params.id);
      const range = parseRange(request.query, clock.now());
      await store.flush();
      return (await store.transitions(request.params.id, range)).map(toTransition);
    },
  );

  app.get(
    '/api/devices/:id/series',
    { schema: { params: IdParams, querystring: SeriesQuery, response: { 200: Type.Array(SeriesPoint) } } },
    async (request) => {
      mustGet(request.params.id);
      const range = parseRange(request.query, clock.now());
      const stepMs =
        (request.query.stepS ?? Math.max(60, Math.ceil((range.to - range.from) / 1000 / 500))) * 1000;
      await store.flush();
      return store.metricSeries(request.params.id, request.query.metric, range, stepMs);
    },
  );
};
