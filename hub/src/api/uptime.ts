import {
  DeviceId,
  DeviceUptime,
  FleetUptime,
  MaintenanceCreate,
  MaintenanceWindow,
  TimeRangeQuery,
} from '@commune-hub/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { HubError } from '../errors.ts';
import { requireAdmin } from './auth.ts';
import { parseRange, parseTime } from './time-range.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const FleetQuery = Type.Object(
  {
    from: Type.Optional(Type.String()),
    to: Type.Optional(Type.String()),
    kind: Type.Optional(Type.String()),
    village: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const uptimeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { registry, uptime, maintenance, clock } = app;
  const admin = requireAdmin(app.config.adminToken);

  app.get(
    '/api/devices/:id/uptime',
    {
      schema: {
        params: Type.Object({ id: DeviceId }),
        querystring: TimeRangeQuery,
        response: { 200: DeviceUptime },
      },
    },
    async (request) => {
      const record = registry.get(request.params.id);
      if (!record) throw new HubError('HUB_ERR_DEVICE_NOT_FOUND', `no device ${request.params.id}`);
      const { from, to } = parseRange(request.query, clock.now());
      return { ...uptime.device(record, { start: from, end: to }), from: iso(from), to: iso(to) };
    },
  );

  app.get(
    '/api/uptime',
    { schema: { querystring: FleetQuery, response: { 200: FleetUptime } } },
    async (request) => {
      const { from, to } = parseRange(request.query, clock.now());
      const records = registry
        .list()
        .filter(
          (r) =>
            (request.query.kind === undefined || r.kind === request.query.kind) &&
            (request.query.village === undefined || r.village === request.query.village),
        );
      const result = uptime.fleet(records, { start: from, end: to });
      return {
        from: iso(from),
        to: iso(to),
        devices: result.devices.map((d) => ({ ...d, from: iso(from), to: iso(to) })),
        total: result.total,
      };
    },
  );

  app.post(
    '/api/maintenance',
    {
      preHandler: admin,
      schema: { body: MaintenanceCreate, response: { 201: Type.Array(MaintenanceWindow) } },
    },
    async (request, reply) => {
      const body = request.body;
      const from = parseTime(body.from, 'from');
      const to = parseTime(body.to, 'to');
      if (to <= from)
        throw new HubError('HUB_ERR_BAD_TIME_RANGE', 'a maintenance window must end after it starts');
      let ids: string[];
      if (body.deviceIds) {
        const unknown = body.deviceIds.filter((id) => !registry.get(id));
        if (unknown.length > 0)
          throw new HubError('HUB_ERR_DEVICE_NOT_FOUND', `no device ${unknown.join(', ')}`);
        ids = body.deviceIds;
      } else if (body.village !== undefined || body.kind !== undefined) {
        ids = registry
          .list()
          .filter(
            (r) =>
              (body.village === undefined || r.village === body.village) &&
              (body.kind === undefined || r.kind === body.kind),
          )
          .map((r) => r.id);
      } else {
        throw new HubError('HUB_ERR_VALIDATION', 'name deviceIds, or a village and/or kind');
      }
      const windows = ids.map((id) => maintenance.add(id, from, to, body.note ?? ''));
      request.log.info({ devices: ids.length, from: iso(from), to: iso(to) }, 'maintenance scheduled');
      return reply.code(201).send(
        windows.map((w) => ({
          id: w.id,
          deviceId: w.deviceId,
          from: iso(w.start),
          to: iso(w.end),
          note: w.note,
        })),
      );
    },
  );

  app.get(
    '/api/maintenance',
    { schema: { querystring: TimeRangeQuery, response: { 200: Type.Array(MaintenanceWindow) } } },
    async (request) => {
      const { from, to } = parseRange(request.query, clock.now());
      return maintenance
        .list(from, to)
        .map((w) => ({ id: w.id, deviceId: w.deviceId, from: iso(w.start), to: iso(w.end), note: w.note }));
    },
  );

  app.delete(
    '/api/maintenance/:id',
    { preHandler: admin, schema: { params: Type.Object({ id: Type.Integer() }) } },
    async (request, reply) => {
      if (!maintenance.remove(request.params.id)) {
        throw new HubError('HUB_ERR_NOT_FOUND', `no maintenance window ${request.params.id}`);
      }
      return reply.code(204).send();
    },
  );
};
