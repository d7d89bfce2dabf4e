import { type Static, Type } from '@sinclair/typebox';
import { AlertCause, AlertSeverity } from './alerts.ts';
import { DeviceId, DeviceKind, DeviceStatus, TransitionReason } from './device.ts';

/**
 * What the dashboard's home page ("Hôm nay") reads besides the device list: each village's health with
 * the outage classifier's verdict (power cut / network cut), and a feed of recent changes.
 */

export const OUTAGE_CAUSES = ['power_cut', 'network_cut'] as const;
export const VillageOutageCause = Type.Union(OUTAGE_CAUSES.map((c) => Type.Literal(c)));
export type VillageOutageCause = Static<typeof VillageOutageCause>;

/** A village-wide outage as hub/src/correlation classifies it, the same rule the alerts use. */
export const VillageOutageView = Type.Object({
  cause: VillageOutageCause,
  /** Earliest drop of the devices it covers (ISO). */
  since: Type.String(),
  /** Devices it covers: the ones down and, for a power cut, the loudspeakers on battery. */
  deviceIds: Type.Array(DeviceId),
  /** `battery`: loudspeakers on battery; `mass_drop`: most of the village at once; `gateway`: its uplink. */
  evidence: Type.Union([Type.Literal('battery'), Type.Literal('mass_drop'), Type.Literal('gateway')]),
  gatewayId: Type.Union([DeviceId, Type.Null()]),
});
export type VillageOutageView = Static<typeof VillageOutageView>;

/** `GET /api/villages/health`: one row per village that has devices. */
export const VillageHealth = Type.Object({
  villageId: Type.String(),
  village: Type.String(),
  communeId: Type.Union([Type.String(), Type.Null()]),
  total: Type.Integer(),
  /** Online only: a degraded device is not counted as working. */
  working: Type.Integer(),
  offline: Type.Integer(),
  degraded: Type.Integer(),
  maintenance: Type.Integer(),
  /** The newest status change of any of its devices (ISO), null if none ever changed. */
  lastChange: Type.Union([Type.String(), Type.Null()]),
  outage: Type.Union([VillageOutageView, Type.Null()]),
});
export type VillageHealth = Static<typeof VillageHealth>;

export const FEED_KINDS = ['transition', 'alert', 'maintenance', 'report'] as const;
export const FeedKind = Type.Union(FEED_KINDS.map((k) => Type.Literal(k)));
export type FeedKind = Static<typeof FeedKind>;

/** A device changed status. */
export const FeedTransition = Type.Object({
  kind: Type.Literal('transition'),
  at: Type.String(),
  deviceId: DeviceId,
  deviceName: Type.String(),
  deviceKind: DeviceKind,
  villageId: Type.String(),
  village: Type.String(),
  from: DeviceStatus,
  to: DeviceStatus,
  reason: TransitionReason,
});

/** An alert fired or resolved. */
export const FeedAlert = Type.Object({
  kind: Type.Literal('alert'),
  at: Type.String(),
  alertId: Type.String(),
  event: Type.Union([Type.Literal('fired'), Type.Literal('resolved')]),
  title: Type.String(),
  severity: AlertSeverity,
  cause: AlertCause,
  villageId: Type.Union([Type.String(), Type.Null()]),
  village: Type.Union([Type.String(), Type.Null()]),
});

/** A maintenance window began in the period (or was scheduled to). */
export const FeedMaintenance = Type.Object({
  kind: Type.Literal('maintenance'),
  at: Type.String(),
  windowId: Type.Integer(),
  deviceId: DeviceId,
  deviceName: Type.String(),
  from: Type.String(),
  to: Type.String(),
  note: Type.String(),
});

/** A citizen's problem report from the public status page (never the sender's address). */
export const FeedReport = Type.Object({
  kind: Type.Literal('report'),
  at: Type.String(),
  reportId: Type.Integer(),
  groupSlug: Type.String(),
  groupName: Type.String(),
  deviceId: Type.Union([DeviceId, Type.Null()]),
  deviceName: Type.Union([Type.String(), Type.Null()]),
  text: Type.String(),
});

export const FeedItem = Type.Union([FeedTransition, FeedAlert, FeedMaintenance, FeedReport]);
export type FeedItem = Static<typeof FeedItem>;
export type FeedReport = Static<typeof FeedReport>;

export const FEED_LIMIT_MAX = 1000;

export const FeedQuery = Type.Object(
  {
    since: Type.Optional(
      Type.String({ description: 'ISO 8601 time or epoch milliseconds; default: 24 hours ago' }),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: FEED_LIMIT_MAX, default: 200 })),
  },
  { additionalProperties: false },
);
export type FeedQuery = Static<typeof FeedQuery>;

/** `GET /api/feed`: newest first. `truncated` when more than `limit` items happened since `since`. */
export const FeedPage = Type.Object({
  since: Type.String(),
  items: Type.Array(FeedItem),
  truncated: Type.Boolean(),
});
export type FeedPage = Static<typeof FeedPage>;
