import { DeviceId, DeviceUpdate, DeviceView, ImportReport } from '@commune-hub/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { HubError } from '../errors.ts';
import { requireAdmin } from './auth.ts';
import { toDeviceView } from './views.ts';

/** Changing devices after provisioning: edit, disable, and bulk import from a spreadsheet (CSV). */
export const deviceAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { registry, liveness, devices } = app;
  const admin = requireAdmin(app.config.adminToken);

  app.addContentTypeParser(
    'text/csv',
    { parseAs: 'string', bodyLimit: 10 * 1024 * 1024 },
    (_req, body, done) => {
      done(null, body);
    },
  );

  app.patch(
    '/api/devices/:id',
    {
      preHandler: admin,
      schema: { params: Type.Object({ id: DeviceId }), body: DeviceUpdate, response: { 200: DeviceView } },
    },
    async (request) => {
      const record = devices.update(request.params.id, request.body);
      request.log.info({ deviceId: record.id, changes: Object.keys(request.body) }, 'device updated');
      return toDeviceView(record, liveness.get(record.id), registry.places);
    },
  );

  app.post(
    '/api/devices/import',
    {
      preHandler: admin,
      schema: {
        querystring: Type.Object({ dryRun: Type.Optional(Type.Boolean({ default: false })) }),
        response: { 200: ImportReport, 422: ImportReport },
      },
    },
    async (request, reply) => {
      if (typeof request.body !== 'string') {
        throw new HubError('HUB_ERR_VALIDATION', 'send the spreadsheet as CSV with Content-Type: text/csv');
      }
      const plan = devices.planImport(request.body);
      const dryRun = request.query.dryRun === true;
      const report = {
        dryRun,
        rows: plan.rows,
        errors: plan.errors,
        warnings: plan.warnings,
        created: [] as Array<{ id: string; secret: string }>,
      };
      if (plan.errors.length > 0) return reply.code(422).send(report);
      if (dryRun) return report;
      report.created = await devices.import(plan);
      request.log.info({ devices: report.created.length }, 'devices imported');
      return report;
    },
  );
};
