import { routes } from '@commune-hub/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HubError } from '../errors.ts';
import { buildUptimeReport } from '../uptime/report.ts';
import { defineRoute, mustSeeDevice } from './define-route.ts';
import { parseRange, parseWindow } from './time-range.ts';

const iso = (ms: number) => new Date(ms).toISOString();

export const uptimeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { registry, uptime, maintenance, clock } = app;

  defineRoute(app, routes.deviceUptime, async (request) => {
    const record = mustSeeDevice(request, request.params.id, registry.get(request.params.id));
    const { from, to } = parseRange(request.query, clock.now());
    return { ...uptime.device(record, { start: from, end: to }), from: iso(from), to: iso(to) };
  });

  defineRoute(app, routes.fleetUptime, async (request) => {
    const { from, to } = parseRange(request.query, clock.now());
    const records = registry
      .list()
      .filter(
        (r) =>
          request.scope.allowsDevice(r) &&
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

  defineRoute(app, routes.uptimeReport, async (request) => {
    const { from, to } = parseRange(request.query, clock.now());
    const { kind, village, device } = request.query;
    if (device !== undefined) mustSeeDevice(request, device, registry.get(device));
    const records = registry
      .list()
      .filter(
        (r) =>
          request.scope.allowsDevice(r) &&
          (kind === undefined || r.kind === kind) &&
          (village === undefined || r.village === village) &&
          (device === undefined || r.id === device),
      );
    return buildUptimeReport(uptime, records, { start: from, end: to }, request.query.bucket ?? 'day');
  });

  defineRoute(app, routes.maintenanceCreate, async (request, reply) => {
    const body = request.body;
    const { from, to } = parseWindow(body);
    let ids: string[];
    if (body.deviceIds) {
      const unknown = body.deviceIds.filter((id) => !request.scope.allowsDevice(registry.get(id)));
      if (unknown.length > 0)
        throw new HubError('HUB_ERR_DEVICE_NOT_FOUND', `no device ${unknown.join(', ')}`);
      ids = body.deviceIds;
    } else if (body.village !== undefined || body.kind !== undefined) {
      ids = registry
        .list()
        .filter(
          (r) =>
            request.scope.allowsDevice(r) &&
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
      .filter((w) => request.scope.allowsDevice(registry.get(w.deviceId)))
      .map((w) => ({ id: w.id, deviceId: w.deviceId, from: iso(w.start), to: iso(w.end), note: w.note }));
  });

  defineRoute(app, routes.maintenanceDelete, async (request, reply) => {
    const window = maintenance.get(request.params.id);
    if (
      !window ||
      !request.scope.allowsDevice(registry.get(window.deviceId)) ||
      !uptime.cancelMaintenance(request.params.id)
    ) {
      throw new HubError('HUB_ERR_NOT_FOUND', `no maintenance window ${request.params.id}`);
    }
    await registry.durable();
    return reply.code(204).send();
  });
};
