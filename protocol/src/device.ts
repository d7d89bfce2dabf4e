import { type Static, Type } from '@sinclair/typebox';
import { LocationType, PlaceId } from './places.ts';
import { PlainText } from './text-safety.ts';
import { DEVICE_ID_PATTERN } from './topics.ts';

/**
 * Device kinds. One-stop-shop machines are split by what they are because the criteria count them
 * separately (officials' PCs for 4.3, kiosks / rating machines / ID-card readers as context for 1.5-1.6).
 */
export const DEVICE_KINDS = [
  'loudspeaker',
  'wifi',
  'camera',
  'pc',
  'kiosk',
  'rating',
  'idreader',
  'conference',
  'gateway',
  /** Public information screens and electronic boards (màn hình tuyên truyền, bảng tin điện tử). */
  'display',
  /** The office's internet line and the dedicated government data line (đường truyền chuyên dùng). */
  'uplink',
] as const;
export const DeviceKind = Type.Union(DEVICE_KINDS.map((k) => Type.Literal(k)));
export type DeviceKind = Static<typeof DeviceKind>;

/** Heartbeat interval a device of each kind is expected to keep, in seconds, when provisioning does not say. */
export const DEFAULT_INTERVAL_S: Record<DeviceKind, number> = {
  loudspeaker: 30,
  wifi: 30,
  camera: 30,
  pc: 60,
  kiosk: 60,
  rating: 60,
  idreader: 60,
  conference: 60,
  gateway: 30,
  display: 60,
  uplink: 30,
};

/** Silence longer than GRACE_FACTOR × interval makes a device offline (reason `timeout`). */
export const GRACE_FACTOR = 2.5;

export const DEVICE_STATUSES = ['unknown', 'online', 'degraded', 'offline', 'maintenance'] as const;
export const DeviceStatus = Type.Union(DEVICE_STATUSES.map((s) => Type.Literal(s)));
export type DeviceStatus = Static<typeof DeviceStatus>;

export const TRANSITION_REASONS = [
  'provisioned',
  'heartbeat',
  'timeout',
  'disconnect',
  'shutdown',
  'fault',
  'recovered',
  'maintenance',
  'disabled',
  /** Heard only through its gateway, whose connection ended: nothing can vouch for it until the gateway is back. */
  'parent_down',
] as const;
export const TransitionReason = Type.Union(TRANSITION_REASONS.map((r) => Type.Literal(r)));
export type TransitionReason = Static<typeof TransitionReason>;

export const DeviceId = Type.String({ pattern: DEVICE_ID_PATTERN, minLength: 1, maxLength: 64 });

/** Free text a person typed (device names, village names): any Unicode but control characters and bidi overrides (text-safety.ts), bounded. */
const Label = PlainText({ minLength: 1, maxLength: 200 });

export const MetricValue = Type.Union([Type.Number(), Type.Boolean(), Type.String({ maxLength: 256 })]);
export type MetricValue = Static<typeof MetricValue>;
/** A metric's name: a letter, then letters, digits or underscores; 64 at most. */
export const METRIC_NAME_PATTERN = '^[a-zA-Z][a-zA-Z0-9_]{0,63}$';
const metricNameRe = new RegExp(METRIC_NAME_PATTERN);

export function isValidMetricName(name: string): boolean {
  return metricNameRe.test(name);
}

export const Metrics = Type.Record(Type.String({ pattern: METRIC_NAME_PATTERN }), MetricValue, {
  maxProperties: 64,
});
export type Metrics = Static<typeof Metrics>;

const Tag = PlainText({ minLength: 1, maxLength: 64 });

/**
 * Body of `POST /api/devices`. `village` is a village id or name (an unknown name creates the village);
 * `site` a site id of that village; `parent` the gateway that may publish for this device.
 */
export const DeviceCreate = Type.Object(
  {
    id: DeviceId,
    kind: DeviceKind,
    name: Label,
    village: Label,
    site: Type.Optional(PlaceId),
    intervalS: Type.Optional(Type.Integer({ minimum: 1, maximum: 86400 })),
    parent: Type.Optional(DeviceId),
    tags: Type.Optional(Type.Array(Tag, { maxItems: 32 })),
  },
  { additionalProperties: false },
);
export type DeviceCreate = Static<typeof DeviceCreate>;

/** Body of `PATCH /api/devices/:id`: what can change without re-provisioning. */
export const DeviceUpdate = Type.Object(
  {
    name: Type.Optional(Label),
    village: Type.Optional(Label),
    site: Type.Optional(Type.Union([PlaceId, Type.Null()])),
    intervalS: Type.Optional(Type.Integer({ minimum: 1, maximum: 86400 })),
    parent: Type.Optional(Type.Union([DeviceId, Type.Null()])),
    tags: Type.Optional(Type.Array(Tag, { maxItems: 32 })),
    /** A disabled device cannot connect; its open connection is closed. */
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type DeviceUpdate = Static<typeof DeviceUpdate>;

/** Answer of `POST /api/devices`: the only time the secret is ever shown. */
export const DeviceCredentials = Type.Object({ id: DeviceId, secret: Type.String() });
export type DeviceCredentials = Static<typeof DeviceCredentials>;

/** A device as the REST API and the dashboard see it. Times are ISO 8601 strings (UTC). */
export const DeviceView = Type.Object({
  id: DeviceId,
  kind: DeviceKind,
  name: Type.String(),
  /** The village's name (for display); `villageId` is its stable id. */
  village: Type.String(),
  villageId: Type.String(),
  communeId: Type.Union([Type.String(), Type.Null()]),
  site: Type.Union([
    Type.Object({ id: Type.String(), name: Type.String(), locationType: LocationType }),
    Type.Null(),
  ]),
  parent: Type.Union([Type.String(), Type.Null()]),
  tags: Type.Array(Type.String()),
  disabled: Type.Boolean(),
  intervalS: Type.Integer(),
  status: DeviceStatus,
  /** Why the device is in its status (the reason of the last transition). */
  reason: TransitionReason,
  /** When the device entered its status. */
  since: Type.String(),
  /** Device timestamp of the newest live heartbeat, or null if never heard. */
  lastSeen: Type.Union([Type.String(), Type.Null()]),
  lastSeq: Type.Union([Type.Integer(), Type.Null()]),
  metrics: Metrics,
  faults: Type.Array(Type.String()),
  createdAt: Type.String(),
});
export type DeviceView = Static<typeof DeviceView>;

/** A change of one device, pushed over socket.io. Only `id` is always present. */
export const DeviceDiff = Type.Composite([
  Type.Pick(DeviceView, ['id']),
  Type.Partial(Type.Omit(DeviceView, ['id'])),
]);
export type DeviceDiff = Static<typeof DeviceDiff>;

export const Transition = Type.Object({
  deviceId: DeviceId,
  at: Type.String(),
  from: DeviceStatus,
  to: DeviceStatus,
  reason: TransitionReason,
});
export type Transition = Static<typeof Transition>;

export const HeartbeatRecord = Type.Object({
  deviceId: DeviceId,
  /** Device timestamp (ISO). */
  ts: Type.String(),
  /** When the hub received it (ISO). */
  receivedAt: Type.String(),
  seq: Type.Integer(),
  up: Type.Number(),
  st: Type.String(),
  m: Metrics,
  faults: Type.Array(Type.String()),
  /** True when the heartbeat arrived from an agent's buffer and did not move live state. */
  late: Type.Boolean(),
});
export type HeartbeatRecord = Static<typeof HeartbeatRecord>;
