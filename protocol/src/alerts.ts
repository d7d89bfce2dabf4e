import { type Static, Type } from '@sinclair/typebox';
import { DeviceId, DeviceKind } from './device.ts';
import { PlaceId } from './places.ts';

/**
 * Alerting: rules as data, alerts with a lifecycle, schedules (office hours, Vietnamese holidays),
 * mutes and recurring maintenance windows. Times on the wire are ISO 8601 strings (UTC); inside the
 * hub they are epoch milliseconds. Durations in rules are minutes, which is what an official types.
 */

/** Ids of rules, schedules, channels, mutes: lower-case slugs chosen by the hub or by the admin. */
export const AlertObjectId = Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,63}$' });
const Label = Type.String({ minLength: 1, maxLength: 200 });
const Note = Type.String({ maxLength: 1000 });
/** Minutes, strictly positive (a duration ≤ 0 is refused with HUB_ERR_VALIDATION naming the field). */
const Minutes = Type.Number({ exclusiveMinimum: 0, maximum: 525600 });

/**
 * Metrics a threshold rule may watch: the numeric metrics protocol/README.md suggests per kind.
 * A rule naming another metric is refused (`condition.metric`), so a typo cannot make a silent rule.
 */
export const ALERT_METRICS = [
  'signal',
  'volume',
  'battery',
  'temperature',
  'clients',
  'uplinkLatencyMs',
  'uplinkLossPct',
  'rxKbps',
  'txKbps',
  'fps',
  'bitrateKbps',
  'storageFreePct',
  'cpuPct',
  'memPct',
  'diskPct',
  'portalLatencyMs',
  'callQuality',
] as const;
export const AlertMetric = Type.Union(ALERT_METRICS.map((m) => Type.Literal(m)));
export type AlertMetric = Static<typeof AlertMetric>;

export const THRESHOLD_OPS = ['<', '<=', '>', '>='] as const;
export const ThresholdOp = Type.Union(THRESHOLD_OPS.map((o) => Type.Literal(o)));
export type ThresholdOp = Static<typeof ThresholdOp>;

/** Which devices a rule watches. Every given field must match (AND); an empty scope means every device. */
export const AlertScope = Type.Object(
  {
    deviceIds: Type.Optional(Type.Array(DeviceId, { minItems: 1, maxItems: 10000 })),
    /** Village ids (stable across renames). */
    villageIds: Type.Optional(Type.Array(PlaceId, { minItems: 1, maxItems: 1000 })),
    /** Commune ids, including a former commune merged into another since 2025. */
    communeIds: Type.Optional(Type.Array(PlaceId, { minItems: 1, maxItems: 1000 })),
    kinds: Type.Optional(Type.Array(DeviceKind, { minItems: 1 })),
    /** A device matches when it carries any of these tags. */
    tags: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 32 }),
    ),
  },
  { additionalProperties: false },
);
export type AlertScope = Static<typeof AlertScope>;

export const CONDITION_KINDS = [
  'offline_for',
  'degraded_for',
  'flapping',
  'device_fault',
  'metric_threshold',
  'uptime_below',
  'criterion_at_risk',
] as const;
export type ConditionKind = (typeof CONDITION_KINDS)[number];

/** What makes a rule's condition true for one device. `forMin`: how long it must hold before firing (pending until then). */
export const AlertCondition = Type.Union([
  Type.Object({ kind: Type.Literal('offline_for'), forMin: Minutes }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('degraded_for'), forMin: Minutes }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('flapping'),
      /** More than this many status transitions ... */
      transitions: Type.Integer({ minimum: 1, maximum: 1000 }),
      /** ... within this many minutes. Clears once the count within the window falls back. */
      withinMin: Minutes,
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('device_fault'),
      /** Fault codes that count (e.g. `amplifier_fault`, `disk_full`); absent = any fault reported. */
      faults: Type.Optional(
        Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 32 }),
      ),
      /** Optional hold time; absent = fire on the first heartbeat that reports the fault. */
      forMin: Type.Optional(Minutes),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('metric_threshold'),
      metric: AlertMetric,
      op: ThresholdOp,
      value: Type.Number(),
      forMin: Minutes,
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('uptime_below'),
      /** Target in percent (e.g. 95). */
      targetPct: Type.Number({ exclusiveMinimum: 0, maximum: 100 }),
      /** Rolling window, hours. */
      windowHours: Type.Number({ exclusiveMinimum: 0, maximum: 24 * 400 }),
    },
    { additionalProperties: false },
  ),
  /**
   * A criterion about to fail, judged on every live evaluation of the current month (`criteria.evaluated`).
   * At risk when either: its assessment so far is Không đạt; or fewer of its devices are working now
   * (`liveNow.online`) than `minOnline`, or than the count its target needs (`liveNow.needed`) plus
   * `margin`: the result counts devices that work enough of the month, so the devices down now are the ones
   * that stop counting if they stay down. Coverage criteria (every village has one) have no such count:
   * only their assessment or `minOnline` applies. Resolves when neither holds.
   */
  Type.Object(
    {
      kind: Type.Literal('criterion_at_risk'),
      /** Criteria set id (e.g. `thanh-hoa-1829-2023`); fed by its `criteria.evaluated` events (current month). */
      setId: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' }),
      /** Criterion codes (e.g. `4.5`), each measured from devices; absent = every measured criterion of the set. */
      criterionIds: Type.Optional(
        Type.Array(Type.String({ minLength: 1, maxLength: 32 }), { minItems: 1, maxItems: 100 }),
      ),
      /**
       * At risk when fewer of the criterion's devices than this are working now (instead of the count its
       * target needs, `liveNow.needed`); e.g. 14 to hear of the first of 14 wifi points going down.
       */
      minOnline: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
      /** Warn this many devices early: at risk when working now < the count the target needs + margin (default 0). */
      margin: Type.Optional(Type.Integer({ minimum: 0, maximum: 100000 })),
      /** How long it must stay at risk before firing (pending until then); absent = at the first evaluation. */
      forMin: Type.Optional(Minutes),
    },
    { additionalProperties: false },
  ),
]);
export type AlertCondition = Static<typeof AlertCondition>;

/**
 * What a rule does outside its schedule (nights, weekends, holidays): `record` keeps the alert (state and
 * history) but sends nothing; `defer` sends when the next working hour starts if the alert still fires;
 * `notify` ignores the schedule for notifications (e.g. a wifi point on Tết).
 */
export const OUTSIDE_SCHEDULE = ['record', 'defer', 'notify'] as const;
export const OutsideSchedule = Type.Union(OUTSIDE_SCHEDULE.map((o) => Type.Literal(o)));
export type OutsideSchedule = Static<typeof OutsideSchedule>;

export const AlertNotifyPolicy = Type.Object(
  {
    /** Channel ids (configured by the delivery part) told when the alert fires and resolves. */
    channelIds: Type.Array(AlertObjectId, { maxItems: 32 }),
    /** Re-notify while firing and not acknowledged, every this many minutes; absent = never. */
    renotifyEveryMin: Type.Optional(Minutes),
    /** At most this many re-notifications per alert (default 3). */
    renotifyMax: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
    /** Escalate to other channels if not acknowledged within `afterMin` of firing. Once per alert. */
    escalate: Type.Optional(
      Type.Object(
        { afterMin: Minutes, channelIds: Type.Array(AlertObjectId, { minItems: 1, maxItems: 32 }) },
        { additionalProperties: false },
      ),
    ),
    /** Also notify when the alert resolves (default true). */
    onResolve: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type AlertNotifyPolicy = Static<typeof AlertNotifyPolicy>;

export const AlertSeverity = Type.Union([Type.Literal('warning'), Type.Literal('critical')]);
export type AlertSeverity = Static<typeof AlertSeverity>;

/** Body of `POST /api/alerts/rules` and `PUT /api/alerts/rules/:id`. */
export const AlertRuleInput = Type.Object(
  {
    id: Type.Optional(AlertObjectId),
    name: Label,
    enabled: Type.Optional(Type.Boolean()),
    severity: Type.Optional(AlertSeverity),
    scope: AlertScope,
    condition: AlertCondition,
    /** Schedule id (see AlertSchedule); absent/null = always in schedule. */
    scheduleId: Type.Optional(Type.Union([AlertObjectId, Type.Null()])),
    /** What happens outside the schedule (default `record`). */
    outsideSchedule: Type.Optional(OutsideSchedule),
    notify: AlertNotifyPolicy,
  },
  { additionalProperties: false },
);
export type AlertRuleInput = Static<typeof AlertRuleInput>;

export const AlertRule = Type.Object({
  id: AlertObjectId,
  name: Type.String(),
  enabled: Type.Boolean(),
  severity: AlertSeverity,
  scope: AlertScope,
  condition: AlertCondition,
  scheduleId: Type.Union([AlertObjectId, Type.Null()]),
  outsideSchedule: OutsideSchedule,
  notify: AlertNotifyPolicy,
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type AlertRule = Static<typeof AlertRule>;

/**
 * A rule as the hub answers it to a caller: `editable` says whether the caller's communes allow changing it
 * (false for a rule that reaches every commune when the caller is scoped to some of them; the hub refuses
 * such a write with 403). The role is separate: only admins write rules at all.
 */
export const AlertRuleView = Type.Composite([AlertRule, Type.Object({ editable: Type.Boolean() })]);
export type AlertRuleView = Static<typeof AlertRuleView>;

export const ALERT_STATES = ['pending', 'firing', 'acknowledged', 'resolved'] as const;
export const AlertState = Type.Union(ALERT_STATES.map((s) => Type.Literal(s)));
export type AlertState = Static<typeof AlertState>;

/**
 * Why the alert exists. `power_cut`: most of a village dropped together (or its loudspeakers went on
 * battery); `network_cut`: the village's gateway/uplink dropped with the devices behind it;
 * `parent_down`: a registered parent is down (its children are covered here); `device`: one device;
 * `criterion`: a criterion of a criteria set is at risk (its devices that are down now are listed).
 */
export const ALERT_CAUSES = ['power_cut', 'network_cut', 'parent_down', 'device', 'criterion'] as const;
export const AlertCause = Type.Union(ALERT_CAUSES.map((c) => Type.Literal(c)));
export type AlertCause = Static<typeof AlertCause>;

export const AlertDevice = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: DeviceKind,
  village: Type.String(),
  villageId: Type.String(),
});
export type AlertDevice = Static<typeof AlertDevice>;

/** Rule ids of the alerts the hub raises itself from correlation (not stored as rules, not editable). */
export const CORRELATION_RULE_IDS = {
  power_cut: 'builtin.power_cut',
  network_cut: 'builtin.network_cut',
} as const;

/** One alert as the API, the bus and the dashboard see it. */
export const Alert = Type.Object({
  id: Type.String(),
  rule: Type.Object({ id: Type.String(), name: Type.String() }),
  state: AlertState,
  severity: AlertSeverity,
  cause: AlertCause,
  /** Short Vietnamese title, e.g. "Thôn 3: mất điện" or "Wifi nhà văn hoá thôn 2: mất kết nối". */
  title: Type.String(),
  /** Condition code that made it (the rule's condition kind, or `power_cut` / `network_cut`). */
  condition: Type.String(),
  /** Village the alert is about (correlated alerts), or the device's village. */
  villageId: Type.Union([Type.String(), Type.Null()]),
  village: Type.Union([Type.String(), Type.Null()]),
  /** Devices the alert covers: one for `device`, the village's dropped devices for `power_cut`. */
  devices: Type.Array(AlertDevice),
  /** When the condition became true (pending from here). */
  since: Type.String(),
  /** When it became firing; null while pending (or when it resolved before firing). */
  firedAt: Type.Union([Type.String(), Type.Null()]),
  ackBy: Type.Union([Type.String(), Type.Null()]),
  ackNote: Type.Union([Type.String(), Type.Null()]),
  ackAt: Type.Union([Type.String(), Type.Null()]),
  resolvedAt: Type.Union([Type.String(), Type.Null()]),
  /** Seconds from `since` to `resolvedAt` (null until resolved). */
  durationS: Type.Union([Type.Number(), Type.Null()]),
  /** Notifications sent (fired + re-notifications + escalation). */
  notifyCount: Type.Integer(),
  escalated: Type.Boolean(),
  /** True while notifications are held back (outside schedule, muted, maintenance); the alert is still recorded. */
  silenced: Type.Boolean(),
  /** Why notifications are held back: `outside_schedule`, `muted`, `maintenance`; null otherwise. */
  silencedBy: Type.Union([Type.String(), Type.Null()]),
  /** A deferred notification goes out at this time if the alert still fires. */
  deferredUntil: Type.Union([Type.String(), Type.Null()]),
  /** Channels of the rule (for correlated alerts: the union of the rules whose alerts it replaced). */
  channelIds: Type.Array(Type.String()),
});
export type Alert = Static<typeof Alert>;

/** One step of an alert's history (`GET /api/alerts/:id`). */
export const AlertHistoryEntry = Type.Object({
  at: Type.String(),
  /** `pending`, `firing`, `acknowledged`, `resolved`, `notified`, `suppressed`, `silenced`, `deferred`, `escalated`. */
  event: Type.String(),
  detail: Type.String(),
});
export type AlertHistoryEntry = Static<typeof AlertHistoryEntry>;

export const AlertWithHistory = Type.Composite([
  Alert,
  Type.Object({ history: Type.Array(AlertHistoryEntry) }),
]);
export type AlertWithHistory = Static<typeof AlertWithHistory>;

/** Query of `GET /api/alerts`: alerts active at any moment of [from, to) (default: the last 7 days to now). */
export const AlertListQuery = Type.Object(
  {
    state: Type.Optional(AlertState),
    from: Type.Optional(Type.String({ description: 'ISO 8601 time or epoch milliseconds' })),
    to: Type.Optional(Type.String({ description: 'ISO 8601 time or epoch milliseconds' })),
    deviceId: Type.Optional(Type.String({ maxLength: 64 })),
    villageId: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 500 })),
  },
  { additionalProperties: false },
);
export type AlertListQuery = Static<typeof AlertListQuery>;

export const AlertList = Type.Object({ alerts: Type.Array(Alert) });
export type AlertList = Static<typeof AlertList>;

/** Body of `POST /api/alerts/:id/ack`. */
export const AlertAck = Type.Object(
  { by: Type.String({ minLength: 1, maxLength: 100 }), note: Type.Optional(Note) },
  { additionalProperties: false },
);
export type AlertAck = Static<typeof AlertAck>;

/** How the acknowledgement arrived. */
export const AckVia = Type.Union([
  Type.Literal('dashboard'),
  Type.Literal('api'),
  Type.Literal('telegram'),
  Type.Literal('zalo'),
]);
export type AckVia = Static<typeof AckVia>;

/** `alert.notify` kinds: what the delivery part says in the message. */
export const NOTIFY_KINDS = ['fired', 'renotify', 'escalate', 'resolved'] as const;
export type NotifyKind = (typeof NOTIFY_KINDS)[number];

// ---- Schedules -----------------------------------------------------------------------------------

/** "HH:MM", 24-hour, Asia/Ho_Chi_Minh. "24:00" allowed as an end. */
export const ClockTime = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$' });
/** Calendar day "YYYY-MM-DD" in Asia/Ho_Chi_Minh. */
export const CalendarDay = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });

/** A span of working time on some weekdays. `days`: 1 = Monday ... 7 = Sunday (ISO). */
export const WeeklySpan = Type.Object(
  {
    days: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { minItems: 1, maxItems: 7 }),
    from: ClockTime,
    to: ClockTime,
  },
  { additionalProperties: false },
);
export type WeeklySpan = Static<typeof WeeklySpan>;

/**
 * Body of `POST /api/alerts/schedules` / `PUT /api/alerts/schedules/:id`: working hours for a device
 * group (office hours of the one-stop shop). Spans of one day must not overlap and `from` < `to`
 * (refused with HUB_ERR_VALIDATION naming `hours[i]`). Public holidays (Vietnam, lunar ones included)
 * are off when `publicHolidays` is true; `daysOff` adds days off, `workingDays` are make-up working days
 * (ngày làm bù) worked with the hours of `workingDayHours` (default: Monday's).
 */
export const AlertScheduleInput = Type.Object(
  {
    id: Type.Optional(AlertObjectId),
    name: Label,
    hours: Type.Array(WeeklySpan, { minItems: 1, maxItems: 28 }),
    publicHolidays: Type.Optional(Type.Boolean()),
    daysOff: Type.Optional(Type.Array(CalendarDay, { maxItems: 366 })),
    workingDays: Type.Optional(Type.Array(CalendarDay, { maxItems: 366 })),
    workingDayHours: Type.Optional(
      Type.Array(Type.Object({ from: ClockTime, to: ClockTime }, { additionalProperties: false }), {
        maxItems: 4,
      }),
    ),
  },
  { additionalProperties: false },
);
export type AlertScheduleInput = Static<typeof AlertScheduleInput>;

export const AlertSchedule = Type.Composite([
  Type.Required(Type.Omit(AlertScheduleInput, ['id', 'workingDayHours'])),
  Type.Object({
    id: AlertObjectId,
    workingDayHours: Type.Union([Type.Array(Type.Object({ from: ClockTime, to: ClockTime })), Type.Null()]),
    updatedAt: Type.String(),
  }),
]);
export type AlertSchedule = Static<typeof AlertSchedule>;

/** A schedule as answered to a caller: `editable` is false unless the caller is province-wide (a schedule reaches every commune). */
export const AlertScheduleView = Type.Composite([AlertSchedule, Type.Object({ editable: Type.Boolean() })]);
export type AlertScheduleView = Static<typeof AlertScheduleView>;

/** One day of `GET /api/alerts/holidays?year=`: a public holiday (from date-holidays, VN) or a day off added as data. */
export const HolidayDay = Type.Object({
  date: CalendarDay,
  name: Type.String(),
  /** `public` (library), `day_off` (data), `working_day` (ngày làm bù, data). */
  type: Type.Union([Type.Literal('public'), Type.Literal('day_off'), Type.Literal('working_day')]),
});
export type HolidayDay = Static<typeof HolidayDay>;

// ---- Mutes and recurring maintenance ---------------------------------------------------------------

/** Body of `POST /api/alerts/mutes`: "mute this device / village for X hours", with who and why. */
export const AlertMuteInput = Type.Object(
  {
    deviceId: Type.Optional(DeviceId),
    villageId: Type.Optional(PlaceId),
    hours: Type.Number({ exclusiveMinimum: 0, maximum: 24 * 90 }),
    by: Type.String({ minLength: 1, maxLength: 100 }),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);
export type AlertMuteInput = Static<typeof AlertMuteInput>;

export const AlertMute = Type.Object({
  id: Type.String(),
  deviceId: Type.Union([Type.String(), Type.Null()]),
  villageId: Type.Union([Type.String(), Type.Null()]),
  from: Type.String(),
  until: Type.String(),
  by: Type.String(),
  reason: Type.String(),
});
export type AlertMute = Static<typeof AlertMute>;

/**
 * Body of `POST /api/alerts/recurring-maintenance`: a weekly window (e.g. every Sunday 02:00-04:00) during
 * which alerts of the scoped devices are silenced, like the one-off maintenance windows of uptime.
 */
export const RecurringWindowInput = Type.Object(
  {
    id: Type.Optional(AlertObjectId),
    name: Label,
    scope: AlertScope,
    hours: Type.Array(WeeklySpan, { minItems: 1, maxItems: 28 }),
    note: Type.Optional(Note),
  },
  { additionalProperties: false },
);
export type RecurringWindowInput = Static<typeof RecurringWindowInput>;

export const RecurringWindow = Type.Object({
  id: AlertObjectId,
  name: Type.String(),
  scope: AlertScope,
  hours: Type.Array(WeeklySpan),
  note: Type.String(),
});
export type RecurringWindow = Static<typeof RecurringWindow>;
