import { routes } from '@commune-hub/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HubError } from '../errors.ts';
import { defineRoute } from './define-route.ts';
import { parseRange, parseTime } from './time-range.ts';

const iso = (ms: number) => new Date(ms).toISOString();

export const uptimeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { registry, uptime, maintenance, clock } = app;

  defineRoute(app, routes.deviceUptime, async (request) => {
    const record = registry.get(request.params.id);
    if (!record) throw new HubError('HUB_ERR_DEVICE_NOT_FOUND', `no device ${request.params.id}`);
    const { from, to } = parseRange(request.query, clock.now());
    return { ...uptime.device(record, { start: from, end: to }), from: iso(from), to: iso(to) };
  });

  defineRoute(app, routes.fleetUptime, async (request) => {
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
  });

  defineRoute(app, routes.maintenanceCreate, async (request, reply) => {
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
    const windows = uptime.scheduleMaintenance(ids, from, to, body.note ?? '');
    await registry.durable(); // HUB_DB=postgres: answered once the windows are stored
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
  });

  defineRoute(app, routes.maintenanceList, async (request) => {
    const { from, to } = parseRange(request.query, clock.now());
    return maintenance
      .list(from, to)
      .map((w) => ({ id: w.id, deviceId: w.deviceId, from: iso(w.start), to: iso(w.end), note: w.note }));
  });

  defineRoute(app, routes.maintenanceDelete, async (request, reply) => {
    if (!uptime.cancelMaintenance(request.params.id)) {
      throw new HubError('HUB_ERR_NOT_FOUND', `no maintenance window ${request.params.id}`);
    }
    await registry.durable();
    return reply.code(204).send();
  });
};
