import { type Alert, routes } from '@commune-hub/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { specialDays } from '../alerts/schedule.ts';
import { muteView } from '../alerts/store.ts';
import { alertVisible } from '../auth/visibility.ts';
import { HubError } from '../errors.ts';
import { defineRoute } from './define-route.ts';
import { parseRange } from './time-range.ts';

const WEEK_MS = 7 * 86_400_000;
/** Bodies are declared in the route map (for OpenAPI and the client) but checked by the service. */
const serviceChecked = { attachValidation: true };

/**
 * Thin routes over AlertService, registered from protocol's route map. Bodies of writes are checked by
 * the service (`attachValidation`), so a refusal names the field the way an official reads it
 * (`condition.forMin: must be a duration > 0`) and nothing already stored changes.
 */
export const alertRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { alerts, clock, registry } = app;
  /** Out of scope: 404, as if the alert did not exist. */
  const mustSee = <A extends Pick<Alert, 'villageId' | 'devices'>>(
    request: FastifyRequest,
    alert: A,
    id: string,
  ) => {
    if (!alertVisible(request.scope, alert, registry))
      throw new HubError('HUB_ERR_NOT_FOUND', `no alert ${id}`);
    return alert;
  };

  defineRoute(app, routes.alertList, async (request) => {
    const q = request.query;
    const { from, to } = parseRange({ from: q.from, to: q.to ?? String(clock.now() + 1) }, clock.now(), {
      defaultSpanMs: WEEK_MS,
    });
    return {
      alerts: alerts
        .list({
          state: q.state,
          from,
          to,
          deviceId: q.deviceId,
          villageId: q.villageId,
          limit: q.limit ?? 500,
        })
        .filter((a) => alertVisible(request.scope, a, registry)),
    };
  });
  defineRoute(app, routes.alertGet, async (request) =>
    mustSee(request, alerts.get(request.params.id), request.params.id),
  );
  defineRoute(
    app,
    routes.alertAck,
    async (request) => {
      if (request.validationError) throw new HubError('HUB_ERR_VALIDATION', request.validationError.message);
      mustSee(request, alerts.get(request.params.id), request.params.id);
      // `by` is the name the official gives; the audit log keeps the signed-in user who sent it.
      return alerts.acknowledgeAnywhere(
        request.params.id,
        request.body.by,
        request.body.note ?? null,
        app.alertAckForwarder,
      );
    },
    serviceChecked,
  );

  // Rules
  // Rules, windows and mutes of another commune are 404 to a commune's user; hub-wide ones read-only
  // (the service decides: ../alerts/access.ts).
  defineRoute(app, routes.alertRuleList, async (request) => alerts.rules(request.scope));
  defineRoute(app, routes.alertRuleGet, async (request) => alerts.rule(request.params.id, request.scope));
  defineRoute(
    app,
    routes.alertRuleCreate,
    async (request, reply) => reply.code(201).send(alerts.saveRule(request.body, undefined, request.scope)),
    serviceChecked,
  );
  defineRoute(
    app,
    routes.alertRuleUpdate,
    async (request) => alerts.saveRule(request.body, request.params.id, request.scope),
    serviceChecked,
  );
  defineRoute(app, routes.alertRuleDelete, async (request, reply) => {
    alerts.deleteRule(request.params.id, request.scope);
    return reply.code(204).send();
  });

  // Schedules and holidays
  defineRoute(app, routes.alertScheduleList, async (request) => alerts.schedules(request.scope));
  defineRoute(
    app,
    routes.alertScheduleCreate,
    async (request, reply) =>
      reply.code(201).send(alerts.saveSchedule(request.body, undefined, request.scope)),
    serviceChecked,
  );
  defineRoute(
    app,
    routes.alertScheduleUpdate,
    async (request) => alerts.saveSchedule(request.body, request.params.id, request.scope),
    serviceChecked,
  );
  defineRoute(app, routes.alertScheduleDelete, async (request, reply) => {
    alerts.deleteSchedule(request.params.id, request.scope);
    return reply.code(204).send();
  });
  defineRoute(app, routes.alertHolidays, async (request) => {
    const { year, scheduleId } = request.query;
    const schedule = scheduleId
      ? alerts.schedules().find((s) => s.id === scheduleId)
      : { publicHolidays: true, daysOff: [], workingDays: [] };
    if (!schedule) throw new HubError('HUB_ERR_NOT_FOUND', `no schedule ${scheduleId}`);
    return specialDays(schedule, year);
  });

  // Mutes and recurring maintenance windows
  // A mute names one device or village: a commune's user sees and changes their own.
  defineRoute(app, routes.alertMuteList, async (request) => alerts.mutesActive(request.scope).map(muteView));
  defineRoute(
    app,
    routes.alertMuteCreate,
    async (request, reply) => reply.code(201).send(alerts.addMute(request.body, request.scope)),
    serviceChecked,
  );
  defineRoute(app, routes.alertMuteDelete, async (request, reply) => {
    alerts.deleteMute(request.params.id, request.scope);
    return reply.code(204).send();
  });
  defineRoute(app, routes.alertRecurringList, async (request) => alerts.recurringWindows(request.scope));
  defineRoute(
    app,
    routes.alertRecurringCreate,
    async (request, reply) => reply.code(201).send(alerts.saveRecurringWindow(request.body, request.scope)),
    serviceChecked,
  );
  defineRoute(app, routes.alertRecurringDelete, async (request, reply) => {
    alerts.deleteRecurringWindow(request.params.id, request.scope);
    return reply.code(204).send();
  });
};
