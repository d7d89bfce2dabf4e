import { type Static, Type } from '@sinclair/typebox';
import { DeviceId, DeviceKind } from './device.ts';

/**
 * The public status page (no login): groups of devices an admin opts in, e.g. "Wifi công cộng xã Hoàng
 * Kim". A citizen sees each device's display name, its status and its uptime this month, nothing else:
 * devices are named by an opaque per-device token, never by their id, secret, metrics, seq or address.
 */

/** A group's address in the public link: `/trang-thai/wifi-cong-cong`. */
export const PUBLIC_GROUP_SLUG_PATTERN = '^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$';
/** A device's opaque public token (random, not derived from its id): 12 letters/digits of base32. */
export const PUBLIC_DEVICE_TOKEN_PATTERN = '^[a-z2-7]{12}$';
/**
 * Citizen text: any Unicode but no control characters (C0 except line breaks, DEL, C1) and no bidi
 * overrides, which could make a report read differently on the official's screen than it was written.
 */
export const REPORT_TEXT_PATTERN =
  '^[^\\u0000-\\u0009\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069]*$';
export const REPORT_TEXT_MAX = 1000;

export const PublicGroupSlug = Type.String({
  pattern: PUBLIC_GROUP_SLUG_PATTERN,
  minLength: 1,
  maxLength: 64,
});
export const PublicDeviceToken = Type.String({ pattern: PUBLIC_DEVICE_TOKEN_PATTERN });

/** Which devices a group holds: listed ids, or every device of a kind and/or village (new ones join). */
export const PublicGroupSelector = Type.Object(
  {
    kind: Type.Optional(DeviceKind),
    villageId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type PublicGroupSelector = Static<typeof PublicGroupSelector>;

/** Body of `POST /api/public-status/groups` and `PUT …/:slug`. Give `deviceIds` or `selector`. */
export const PublicGroupInput = Type.Object(
  {
    slug: PublicGroupSlug,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    deviceIds: Type.Optional(Type.Array(DeviceId, { minItems: 1, maxItems: 2000 })),
    selector: Type.Optional(PublicGroupSelector),
    /** Opt-in: nothing of the group is public until this is true. */
    published: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type PublicGroupInput = Static<typeof PublicGroupInput>;

/** A group as the admin sees it: its definition and the devices it holds now, with their public tokens. */
export const PublicGroup = Type.Object({
  slug: Type.String(),
  name: Type.String(),
  description: Type.String(),
  deviceIds: Type.Union([Type.Array(Type.String()), Type.Null()]),
  selector: Type.Union([PublicGroupSelector, Type.Null()]),
  published: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  members: Type.Array(Type.Object({ deviceId: Type.String(), name: Type.String(), token: Type.String() })),
});
export type PublicGroup = Static<typeof PublicGroup>;

export const PUBLIC_STATUSES = ['up', 'degraded', 'down', 'maintenance', 'unknown'] as const;
/** What a citizen needs: working, working badly, down, being repaired, or not known yet. */
export const PublicStatus = Type.Union(PUBLIC_STATUSES.map((s) => Type.Literal(s)));
export type PublicStatus = Static<typeof PublicStatus>;

/** One device on the public page: exactly these fields, nothing more (the response schema strips extras). */
export const PublicDeviceStatus = Type.Object(
  {
    token: Type.String(),
    name: Type.String(),
    status: PublicStatus,
    /** Uptime this month (Asia/Ho_Chi_Minh calendar month so far), 0..1; null when nothing was measurable. */
    uptimeMonth: Type.Union([Type.Number(), Type.Null()]),
  },
  { additionalProperties: false },
);
export type PublicDeviceStatus = Static<typeof PublicDeviceStatus>;

const PublicGroupHeader = Type.Object(
  { slug: Type.String(), name: Type.String(), description: Type.String() },
  { additionalProperties: false },
);
/** The month the uptime covers: local month start to now. */
const PublicPeriod = Type.Object(
  { from: Type.String(), to: Type.String(), month: Type.Integer(), year: Type.Integer() },
  { additionalProperties: false },
);

/** `GET /api/public/status/:group`. */
export const PublicStatusPage = Type.Object(
  {
    group: PublicGroupHeader,
    period: PublicPeriod,
    devices: Type.Array(PublicDeviceStatus),
  },
  { additionalProperties: false },
);
export type PublicStatusPage = Static<typeof PublicStatusPage>;

/** `GET /api/public/status/:group/:token`. */
export const PublicDevicePage = Type.Object(
  { group: PublicGroupHeader, period: PublicPeriod, device: PublicDeviceStatus },
  { additionalProperties: false },
);
export type PublicDevicePage = Static<typeof PublicDevicePage>;

/** Body of a citizen's problem report. */
export const PublicReportInput = Type.Object(
  {
    deviceToken: Type.Optional(PublicDeviceToken),
    text: Type.String({ minLength: 3, maxLength: REPORT_TEXT_MAX, pattern: REPORT_TEXT_PATTERN }),
  },
  { additionalProperties: false },
);
export type PublicReportInput = Static<typeof PublicReportInput>;

/** The answer to a report: received, nothing more (no id to probe the report store with). */
export const PublicReportAccepted = Type.Object(
  { received: Type.Literal(true) },
  { additionalProperties: false },
);

/** A received report, as the dashboard's feed shows it. The sender's address is never stored. */
export const PublicReport = Type.Object({
  id: Type.Integer(),
  groupSlug: Type.String(),
  groupName: Type.String(),
  deviceId: Type.Union([DeviceId, Type.Null()]),
  deviceName: Type.Union([Type.String(), Type.Null()]),
  text: Type.String(),
  at: Type.String(),
});
export type PublicReport = Static<typeof PublicReport>;

export const PublicReportQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ description: 'ISO 8601 time or epoch milliseconds' })),
    to: Type.Optional(Type.String({ description: 'ISO 8601 time or epoch milliseconds' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 200 })),
  },
  { additionalProperties: false },
);
