import {
  Alert,
  AlertAck,
  AlertList,
  AlertListQuery,
  AlertMute,
  AlertMuteInput,
  AlertRule,
  AlertRuleInput,
  AlertSchedule,
  AlertScheduleInput,
  AlertWithHistory,
  HolidayDay,
  RecurringWindow,
  RecurringWindowInput,
} from '@commune-hub/protocol';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { specialDays } from '../alerts/schedule.ts';
import { muteView } from '../alerts/store.ts';
import { HubError } from '../errors.ts';
import { requireAdmin } from './auth.ts';
import { parseTime } from './time-range.ts';

const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const WEEK_MS = 7 * 86_400_000;

/**
 * Thin routes over AlertService. Bodies of writes are declared with their protocol schema (for OpenAPI)
 * but checked by the service (`attachValidation`), so a refusal names the field the way an official
 * reads it (`condition.forMin: must be a duration > 0`) and nothing already stored changes.
 */
export const alertRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { alerts, clock } = app;
  const admin = requireAdmin(app.config.adminToken);
  const write = { preHandler: admin, attachValidation: true };

  app.get(
    '/api/alerts',
    { schema: { querystring: AlertListQuery, response: { 200: AlertList } } },
    async (request) => {
      const q = request.query;
      const to = q.to === undefined ? clock.now() + 1 : parseTime(q.to, 'to');
      const from = q.from === undefined ? to - WEEK_MS : parseTime(q.from, 'from');
      if (from > to) throw new HubError('HUB_ERR_BAD_TIME_RANGE', `from (${q.from}) is after to (${q.to})`);
      return {
        alerts: alerts.list({
          state: q.state,
          from,
          to,
          deviceId: q.deviceId,
          villageId: q.villageId,
          limit: q.limit ?? 500,
        }),
      };
    },
  );
  app.get(
    '/api/alerts/:id',
    { schema: { params: Id, response: { 200: AlertWithHistory } } },
    async (request) => alerts.get(request.params.id),
  );
  app.post(
    '/api/alerts/:id/ack',
    { ...write, schema: { params: Id, body: AlertAck, response: { 200: Alert } } },
    async (request) => {
      if (request.validationError) throw new HubError('HUB_ERR_VALIDATION', request.validationError.message);
      return alerts.acknowledge(request.params.id, request.body.by, request.body.note ?? null);
    },
  );

  // Rules
  app.get('/api/alerts/rules', { schema: { response: { 200: Type.Array(AlertRule) } } }, async () =>
    alerts.rules(),
  );
  app.get(
    '/api/alerts/rules/:id',
    { schema: { params: Id, response: { 200: AlertRule } } },
    async (request) => alerts.rule(request.params.id),
  );
  app.post(
    '/api/alerts/rules',
    { ...write, schema: { body: AlertRuleInput, response: { 201: AlertRule } } },
    async (request, reply) => reply.code(201).send(alerts.saveRule(request.body)),
  );
  app.put(
    '/api/alerts/rules/:id',
    { ...write, schema: { params: Id, body: AlertRuleInput, response: { 200: AlertRule } } },
    async (request) => alerts.saveRule(request.body, request.params.id),
  );
  app.delete(
    '/api/alerts/rules/:id',
    { preHandler: admin, schema: { params: Id } },
    async (request, reply) => {
      alerts.deleteRule(request.params.id);
      return reply.code(204).send();
    },
  );

  // Schedules and holidays
  app.get('/api/alerts/schedules', { schema: { response: { 200: Type.Array(AlertSchedule) } } }, async () =>
    alerts.schedules(),
  );
  app.post(
    '/api/alerts/schedules',
    { ...write, schema: { body: AlertScheduleInput, response: { 201: AlertSchedule } } },
    async (request, reply) => reply.code(201).send(alerts.saveSchedule(request.body)),
  );
  app.put(
    '/api/alerts/schedules/:id',
    { ...write, schema: { params: Id, body: AlertScheduleInput, response: { 200: AlertSchedule } } },
    async (request) => alerts.saveSchedule(request.body, request.params.id),
  );
  app.delete(
    '/api/alerts/schedules/:id',
    { preHandler: admin, schema: { params: Id } },
    async (request, reply) => {
      alerts.deleteSchedule(request.params.id);
      return reply.code(204).send();
    },
  );
  app.get(
    '/api/alerts/holidays',
    {
      schema: {
        querystring: Type.Object(
          { year: Type.Integer({ minimum: 1970, maximum: 2200 }), scheduleId: Type.Optional(Type.String()) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(HolidayDay) },
      },
    },
    async (request) => {
      const { year, scheduleId } = request.query;
      const schedule = scheduleId
        ? alerts.schedules().find((s) => s.id === scheduleId)
        : { publicHolidays: true, daysOff: [], workingDays: [] };
      if (!schedule) throw new HubError('HUB_ERR_NOT_FOUND', `no schedule ${scheduleId}`);
      return specialDays(schedule, year);
    },
  );

  // Mutes and recurring maintenance windows
  app.get('/api/alerts/mutes', { schema: { response: { 200: Type.Array(AlertMute) } } }, async () =>
    alerts.mutesActive().map(muteView),
  );
  app.post(
    '/api/alerts/mutes',
    { ...write, schema: { body: AlertMuteInput, response: { 201: AlertMute } } },
    async (request, reply) => reply.code(201).send(alerts.addMute(request.body)),
  );
  app.delete(
    '/api/alerts/mutes/:id',
    { preHandler: admin, schema: { params: Id } },
    async (request, reply) => {
      alerts.deleteMute(request.params.id);
      return reply.code(204).send();
    },
  );
  app.get(
    '/api/alerts/recurring-maintenance',
    { schema: { response: { 200: Type.Array(RecurringWindow) } } },
    async () => alerts.recurringWindows(),
  );
  app.post(
    '/api/alerts/recurring-maintenance',
    { ...write, schema: { body: RecurringWindowInput, response: { 201: RecurringWindow } } },
    async (request, reply) => reply.code(201).send(alerts.saveRecurringWindow(request.body)),
  );
  app.delete(
    '/api/alerts/recurring-maintenance/:id',
    { preHandler: admin, schema: { params: Id } },
    async (request, reply) => {
      alerts.deleteRecurringWindow(request.params.id);
      return reply.code(204).send();
    },
  );
};
