import { routes } from '@commune-hub/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { HubError } from '../errors.ts';
import { defineRoute, mustSeeDevice } from './define-route.ts';
import { toDeviceView } from './views.ts';

/** Changing devices after provisioning: edit, disable, and bulk import from a spreadsheet (CSV). */
export const deviceAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { registry, liveness, devices } = app;

  app.addContentTypeParser(
    'text/csv',
    { parseAs: 'string', bodyLimit: 10 * 1024 * 1024 },
    (_req, body, done) => {
      done(null, body);
    },
  );

  defineRoute(app, routes.deviceUpdate, async (request) => {
    mustSeeDevice(request, request.params.id, registry.get(request.params.id));
    if (!request.scope.isAll && request.body.village !== undefined) {
      const village = registry.places.resolveVillage(request.body.village, false);
      if (!village || !request.scope.allowsVillage(village.id)) {
        throw new HubError('HUB_ERR_NOT_FOUND', `no village ${request.body.village} in your communes`);
      }
    }
    const record = await devices.update(request.params.id, request.body);
    request.log.info({ deviceId: record.id, changes: Object.keys(request.body) }, 'device updated');
    return toDeviceView(record, liveness.get(record.id), registry.places);
  });

  defineRoute(app, routes.deviceImport, async (request, reply) => {
    if (typeof request.body !== 'string') {
      throw new HubError('HUB_ERR_VALIDATION', 'send the spreadsheet as CSV with Content-Type: text/csv');
    }
    // Rows may name any village (and create it): a bulk import is a province-wide admin's job.
    if (!request.scope.isAll) {
      throw new HubError('HUB_ERR_FORBIDDEN', 'a bulk import needs an admin of the whole province');
    }
    const plan = devices.planImport(request.body);
    // Gateway children may carry their probe target in extra columns (hub/src/probes/csv-columns.ts).
    const probePlan = app.probes.planImport(request.body);
    plan.errors.push(...probePlan.errors);
    plan.errors.sort((a, b) => a.line - b.line);
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
    await app.probes.applyImport(probePlan);
    request.log.info({ devices: report.created.length }, 'devices imported');
    return report;
  });
};
