import { Type } from '@sinclair/typebox';
import {
  AlertChannel,
  AlertChannelInput,
  AlertChannelList,
  AlertDeliveryList,
  ChannelTestResult,
  DeliveryAttemptList,
  DeliveryAttemptsQuery,
} from './alert-channels.ts';
import {
  Alert,
  AlertAck,
  AlertList,
  AlertListQuery,
  AlertMute,
  AlertMuteInput,
  AlertRuleInput,
  AlertRuleView,
  AlertScheduleInput,
  AlertScheduleView,
  AlertWithHistory,
  HolidayDay,
  RecurringWindow,
  RecurringWindowInput,
} from './alerts.ts';
import { ApiError } from './api.ts';
import type { RouteSpec } from './routes.ts';

const errors = { '4xx': ApiError } as const;
const NoContent = Type.Null({ description: 'No content' });
/** Ids of alerts, rules, schedules, mutes, windows and channels. */
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/** `GET /api/alerts/holidays`: a year's public holidays, days off and make-up working days (ngày làm bù). */
export const HolidaysQuery = Type.Object(
  {
    year: Type.Integer({ minimum: 1970, maximum: 2200 }),
    scheduleId: Type.Optional(Type.String({ description: "a schedule's extra days off and working days" })),
  },
  { additionalProperties: false },
);

const ruleWrite =
  'Checked by the alerts service, not only the schema: a refusal is 400 HUB_ERR_VALIDATION naming the field ' +
  '(`condition.forMin: …`), and the stored rules stay as they were. A user scoped to some communes gets a ' +
  'hub-chosen id for a new rule (`rule-…`): an `id` in their create is refused with 400 whether free or taken.';

/**
 * The alerts part of the route map (merged into `routes` in ./routes.ts): alerts and their lifecycle,
 * rules, schedules and holidays, mutes and recurring maintenance (tag `alerts`), channels and the
 * delivery record (tag `alert-channels`). Bodies of rule, schedule, mute and window writes and of the
 * ack are checked by the hub's own validators so that the error names the field.
 */
export const alertRouteMap = {
  // ---- alerts
  alertList: {
    method: 'GET',
    url: '/api/alerts',
    auth: 'viewer',
    summary:
      'Alerts active in a time range (default the last 7 days), optionally by state, device or village',
    description:
      'Each with its rule, state, since, the devices it covers and its cause (power_cut, parent_down, …).',
    tags: ['alerts'],
    querystring: AlertListQuery,
    response: { 200: AlertList, ...errors },
  },
  alertGet: {
    method: 'GET',
    url: '/api/alerts/:id',
    auth: 'viewer',
    summary: 'One alert with its history (fired, notified, acknowledged, resolved)',
    tags: ['alerts'],
    params: IdParams,
    response: { 200: AlertWithHistory, ...errors },
  },
  alertAck: {
    method: 'POST',
    url: '/api/alerts/:id/ack',
    auth: 'operator',
    summary: 'Acknowledge a firing alert (who, with a note): re-notification and escalation stop',
    tags: ['alerts'],
    params: IdParams,
    body: AlertAck,
    response: { 200: Alert, ...errors },
  },

  // ---- rules
  alertRuleList: {
    method: 'GET',
    url: '/api/alerts/rules',
    auth: 'viewer',
    summary: 'Alert rules',
    tags: ['alerts'],
    response: { 200: Type.Array(AlertRuleView), ...errors },
  },
  alertRuleGet: {
    method: 'GET',
    url: '/api/alerts/rules/:id',
    auth: 'viewer',
    summary: 'One alert rule',
    tags: ['alerts'],
    params: IdParams,
    response: { 200: AlertRuleView, ...errors },
  },
  alertRuleCreate: {
    method: 'POST',
    url: '/api/alerts/rules',
    auth: 'admin',
    summary: 'Add an alert rule',
    description: ruleWrite,
    tags: ['alerts'],
    body: AlertRuleInput,
    response: { 201: AlertRuleView, ...errors },
  },
  alertRuleUpdate: {
    method: 'PUT',
    url: '/api/alerts/rules/:id',
    auth: 'admin',
    summary: 'Replace an alert rule',
    description: ruleWrite,
    tags: ['alerts'],
    params: IdParams,
    body: AlertRuleInput,
    response: { 200: AlertRuleView, ...errors },
  },
  alertRuleDelete: {
    method: 'DELETE',
    url: '/api/alerts/rules/:id',
    auth: 'admin',
    summary: 'Delete an alert rule',
    tags: ['alerts'],
    params: IdParams,
    response: { 204: NoContent, ...errors },
  },

  // ---- schedules and holidays
  alertScheduleList: {
    method: 'GET',
    url: '/api/alerts/schedules',
    auth: 'viewer',
    summary: 'Schedules (office hours, holidays, days off, make-up working days)',
    tags: ['alerts'],
    response: { 200: Type.Array(AlertScheduleView), ...errors },
  },
  alertScheduleCreate: {
    method: 'POST',
    url: '/api/alerts/schedules',
    auth: 'admin',
    summary: 'Add a schedule',
    description: 'Overlapping or inverted hours are refused naming the span.',
    tags: ['alerts'],
    body: AlertScheduleInput,
    response: { 201: AlertScheduleView, ...errors },
  },
  alertScheduleUpdate: {
    method: 'PUT',
    url: '/api/alerts/schedules/:id',
    auth: 'admin',
    summary: 'Replace a schedule',
    tags: ['alerts'],
    params: IdParams,
    body: AlertScheduleInput,
    response: { 200: AlertScheduleView, ...errors },
  },
  alertScheduleDelete: {
    method: 'DELETE',
    url: '/api/alerts/schedules/:id',
    auth: 'admin',
    summary: 'Delete a schedule',
    tags: ['alerts'],
    params: IdParams,
    response: { 204: NoContent, ...errors },
  },
  alertHolidays: {
    method: 'GET',
    url: '/api/alerts/holidays',
    auth: 'viewer',
    summary:
      "A year's Vietnamese public holidays (lunar ones included), with a schedule's days off and working days",
    tags: ['alerts'],
    querystring: HolidaysQuery,
    response: { 200: Type.Array(HolidayDay), ...errors },
  },

  // ---- mutes and recurring maintenance
  alertMuteList: {
    method: 'GET',
    url: '/api/alerts/mutes',
    auth: 'viewer',
    summary: 'Mutes in force (a device or village silenced for a while, by whom and why)',
    tags: ['alerts'],
    response: { 200: Type.Array(AlertMute), ...errors },
  },
  alertMuteCreate: {
    method: 'POST',
    url: '/api/alerts/mutes',
    auth: 'operator',
    summary: 'Mute a device or a village for a while',
    tags: ['alerts'],
    body: AlertMuteInput,
    response: { 201: AlertMute, ...errors },
  },
  alertMuteDelete: {
    method: 'DELETE',
    url: '/api/alerts/mutes/:id',
    auth: 'operator',
    summary: 'End a mute',
    tags: ['alerts'],
    params: IdParams,
    response: { 204: NoContent, ...errors },
  },
  alertRecurringList: {
    method: 'GET',
    url: '/api/alerts/recurring-maintenance',
    auth: 'viewer',
    summary: 'Recurring maintenance windows (they silence alerts)',
    tags: ['alerts'],
    response: { 200: Type.Array(RecurringWindow), ...errors },
  },
  alertRecurringCreate: {
    method: 'POST',
    url: '/api/alerts/recurring-maintenance',
    auth: 'operator',
    summary: 'Add a recurring maintenance window',
    tags: ['alerts'],
    body: RecurringWindowInput,
    response: { 201: RecurringWindow, ...errors },
  },
  alertRecurringDelete: {
    method: 'DELETE',
    url: '/api/alerts/recurring-maintenance/:id',
    auth: 'operator',
    summary: 'Delete a recurring maintenance window',
    tags: ['alerts'],
    params: IdParams,
    response: { 204: NoContent, ...errors },
  },

  // ---- channels and deliveries
  alertChannelList: {
    method: 'GET',
    url: '/api/alerts/channels',
    auth: 'admin',
    summary: 'Alert channels with their health (failing, last error, queued)',
    tags: ['alert-channels'],
    response: { 200: AlertChannelList, ...errors },
  },
  alertChannelGet: {
    method: 'GET',
    url: '/api/alerts/channels/:id',
    auth: 'admin',
    summary: 'One alert channel with its health',
    tags: ['alert-channels'],
    params: IdParams,
    response: { 200: AlertChannel, ...errors },
  },
  alertChannelCreate: {
    method: 'POST',
    url: '/api/alerts/channels',
    auth: 'admin',
    summary: 'Add a channel (webhook, email, Telegram, Zalo bot, Zalo ZNS)',
    description: 'A malformed URL, email or chat id is refused naming the field.',
    tags: ['alert-channels'],
    body: AlertChannelInput,
    response: { 201: AlertChannel, ...errors },
  },
  alertChannelUpdate: {
    method: 'PUT',
    url: '/api/alerts/channels/:id',
    auth: 'admin',
    summary: 'Replace a channel (secrets sent back masked are kept)',
    tags: ['alert-channels'],
    params: IdParams,
    body: AlertChannelInput,
    response: { 200: AlertChannel, ...errors },
  },
  alertChannelDelete: {
    method: 'DELETE',
    url: '/api/alerts/channels/:id',
    auth: 'admin',
    summary: 'Delete a channel (its queued messages are cancelled)',
    tags: ['alert-channels'],
    params: IdParams,
    response: { 204: NoContent, ...errors },
  },
  alertChannelTest: {
    method: 'POST',
    url: '/api/alerts/channels/:id/test',
    auth: 'admin',
    summary: 'Queue a test message on a channel',
    description: 'The outcome shows in the delivery record and the channel health.',
    tags: ['alert-channels'],
    params: IdParams,
    response: { 202: ChannelTestResult, ...errors },
  },
  alertDeliveryList: {
    method: 'GET',
    url: '/api/alerts/deliveries',
    auth: 'admin',
    summary: 'Messages sent or queued on channels (state, reason, attempts, text)',
    tags: ['alert-channels'],
    querystring: DeliveryAttemptsQuery,
    response: { 200: AlertDeliveryList, ...errors },
  },
  alertDeliveryAttempts: {
    method: 'GET',
    url: '/api/alerts/delivery-attempts',
    auth: 'admin',
    summary: 'Every delivery attempt (ok, HTTP/SMTP status, error, next retry)',
    tags: ['alert-channels'],
    querystring: DeliveryAttemptsQuery,
    response: { 200: DeliveryAttemptList, ...errors },
  },
} as const satisfies Record<string, RouteSpec>;
