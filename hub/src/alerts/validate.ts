import {
  ALERT_METRICS,
  AlertCondition,
  AlertMuteInput,
  AlertRuleInput,
  AlertScheduleInput,
  CONDITION_KINDS,
  DEVICE_KINDS,
  RecurringWindowInput,
} from '@commune-hub/protocol';
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { HubError } from '../errors.ts';
import { validateDays, validateHours } from './schedule.ts';

/**
 * Input checks that name the field: `condition.forMin must be > 0`, `scope.kinds[0]: unknown kind "wiffi"`.
 * The checks an official most often trips over come first with a plain message; the full schema check
 * then catches the rest, with its JSON path turned into a dotted field name.
 */

const compiled = new Map<TSchema, ReturnType<typeof TypeCompiler.Compile>>();
function check(schema: TSchema, value: unknown, prefix = ''): void {
  let c = compiled.get(schema);
  if (!c) {
    c = TypeCompiler.Compile(schema);
    compiled.set(schema, c);
  }
  if (c.Check(value)) return;
  const first = [...c.Errors(value)].sort((a, b) => b.path.length - a.path.length)[0];
  const field = `${prefix}${(first?.path ?? '')
    .replace(/^\//, '')
    .replace(/\/(\d+)/g, '[$1]')
    .replace(/\//g, '.')}`;
  throw new HubError('HUB_ERR_VALIDATION', `${field || 'body'}: ${first?.message ?? 'invalid'}`);
}

function fail(field: string, message: string): never {
  throw new HubError('HUB_ERR_VALIDATION', `${field}: ${message}`);
}

const SCOPE_FIELDS = new Set(['deviceIds', 'villageIds', 'communeIds', 'kinds', 'tags']);

export interface ScopeLookup {
  deviceExists(id: string): boolean;
  villageExists(id: string): boolean;
  communeExists(id: string): boolean;
}

function checkScope(scope: unknown, places: ScopeLookup, field = 'scope'): void {
  if (scope == null || typeof scope !== 'object' || Array.isArray(scope)) fail(field, 'must be an object');
  for (const [key, value] of Object.entries(scope)) {
    if (!SCOPE_FIELDS.has(key))
      fail(`${field}.${key}`, `unknown scope field (use ${[...SCOPE_FIELDS].join(', ')})`);
    if (!Array.isArray(value)) fail(`${field}.${key}`, 'must be a list');
    value.forEach((v: unknown, i: number) => {
      const f = `${field}.${key}[${i}]`;
      if (typeof v !== 'string') fail(f, 'must be a string');
      if (key === 'kinds' && !(DEVICE_KINDS as readonly string[]).includes(v))
        fail(f, `unknown kind ${JSON.stringify(v)}`);
      if (key === 'deviceIds' && !places.deviceExists(v)) fail(f, `no device ${JSON.stringify(v)}`);
      if (key === 'villageIds' && !places.villageExists(v)) fail(f, `no village ${JSON.stringify(v)}`);
      if (key === 'communeIds' && !places.communeExists(v)) fail(f, `no commune ${JSON.stringify(v)}`);
    });
  }
}

function checkCondition(condition: unknown): void {
  if (condition == null || typeof condition !== 'object') fail('condition', 'must be an object');
  const c = condition as Record<string, unknown>;
  if (!(CONDITION_KINDS as readonly string[]).includes(String(c.kind)))
    fail('condition.kind', `unknown kind ${JSON.stringify(c.kind)} (one of ${CONDITION_KINDS.join(', ')})`);
  for (const key of ['forMin', 'withinMin', 'windowHours']) {
    if (key in c && (typeof c[key] !== 'number' || !((c[key] as number) > 0)))
      fail(`condition.${key}`, `must be a duration > 0, got ${JSON.stringify(c[key])}`);
  }
  if (c.kind === 'metric_threshold' && !(ALERT_METRICS as readonly string[]).includes(String(c.metric)))
    fail(
      'condition.metric',
      `unknown metric ${JSON.stringify(c.metric)} (one of ${ALERT_METRICS.join(', ')})`,
    );
  check(AlertCondition, condition, 'condition.');
}

export function validateRuleInput(
  body: unknown,
  places: ScopeLookup,
  scheduleExists: (id: string) => boolean,
  channelExists: (id: string) => boolean,
  criteriaSets?: () => Array<{ id: string; criteria: Array<{ code: string; measured: boolean }> }>,
): AlertRuleInput {
  if (body == null || typeof body !== 'object') fail('body', 'must be a JSON object');
  const b = body as Record<string, unknown>;
  checkScope(b.scope, places);
  checkCondition(b.condition);
  const notify = b.notify as Record<string, unknown> | undefined;
  if (notify && typeof notify === 'object') {
    for (const key of ['renotifyEveryMin']) {
      if (key in notify && !((notify[key] as number) > 0)) fail(`notify.${key}`, `must be a duration > 0`);
    }
    const esc = notify.escalate as Record<string, unknown> | undefined;
    if (esc && typeof esc === 'object' && 'afterMin' in esc && !((esc.afterMin as number) > 0))
      fail('notify.escalate.afterMin', 'must be a duration > 0');
  }
  check(AlertRuleInput, body);
  const input = body as AlertRuleInput;
  if (input.scheduleId && !scheduleExists(input.scheduleId))
    fail('scheduleId', `no schedule ${input.scheduleId}`);
  input.notify.channelIds.forEach((id, i) => {
    if (!channelExists(id)) fail(`notify.channelIds[${i}]`, `no channel ${id}`);
  });
  input.notify.escalate?.channelIds.forEach((id, i) => {
    if (!channelExists(id)) fail(`notify.escalate.channelIds[${i}]`, `no channel ${id}`);
  });
  if (input.condition.kind === 'criterion_at_risk' && criteriaSets)
    checkCriterion(input.condition, criteriaSets());
  return input;
}

/** A criterion rule names a loaded set and codes of it that are measured from devices. */
function checkCriterion(
  c: Extract<AlertRuleInput['condition'], { kind: 'criterion_at_risk' }>,
  sets: Array<{ id: string; criteria: Array<{ code: string; measured: boolean }> }>,
): void {
  const set = sets.find((s) => s.id === c.setId);
  if (!set)
    fail('condition.setId', `no criteria set ${c.setId} (one of ${sets.map((s) => s.id).join(', ')})`);
  if (c.minOnline !== undefined && c.margin !== undefined)
    fail('condition.margin', 'give minOnline or margin, not both');
  c.criterionIds?.forEach((code, i) => {
    const criterion = set.criteria.find((x) => x.code === code);
    if (!criterion) fail(`condition.criterionIds[${i}]`, `no criterion ${code} in ${c.setId}`);
    if (!criterion.measured)
      fail(`condition.criterionIds[${i}]`, `criterion ${code} is entered by hand, not measured from devices`);
  });
}

export function validateScheduleInput(body: unknown): AlertScheduleInput {
  const b = body as Record<string, unknown> | null;
  if (b && Array.isArray(b.hours)) {
    // Order and overlap first: the schema cannot say "08:00-07:00 is inverted".
    b.hours.forEach((span: unknown, i: number) => {
      check(AlertScheduleInput.properties.hours.items, span, `hours[${i}].`);
    });
    validateHours(b.hours as never);
  }
  check(AlertScheduleInput, body);
  const input = body as AlertScheduleInput;
  validateDays(input.daysOff ?? [], 'daysOff');
  validateDays(input.workingDays ?? [], 'workingDays');
  input.workingDayHours?.forEach((s, i) => {
    if (s.from >= s.to) fail(`workingDayHours[${i}]`, `from ${s.from} is not before to ${s.to}`);
  });
  return input;
}

export function validateMuteInput(body: unknown, places: ScopeLookup): AlertMuteInput {
  const b = body as Record<string, unknown> | null;
  if (b && 'hours' in b && !((b.hours as number) > 0)) fail('hours', 'must be a duration > 0');
  check(AlertMuteInput, body);
  const input = body as AlertMuteInput;
  if (!input.deviceId === !input.villageId) fail('deviceId', 'give exactly one of deviceId or villageId');
  if (input.deviceId && !places.deviceExists(input.deviceId)) fail('deviceId', `no device ${input.deviceId}`);
  if (input.villageId && !places.villageExists(input.villageId))
    fail('villageId', `no village ${input.villageId}`);
  return input;
}

export function validateRecurringInput(body: unknown, places: ScopeLookup): RecurringWindowInput {
  const b = body as Record<string, unknown> | null;
  if (b) checkScope(b.scope, places);
  if (b && Array.isArray(b.hours)) validateHours(b.hours as never);
  check(RecurringWindowInput, body);
  return body as RecurringWindowInput;
}
