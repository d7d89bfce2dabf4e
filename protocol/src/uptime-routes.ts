import { type Static, Type } from '@sinclair/typebox';
import { ApiError, UptimeFigures } from './api.ts';
import { DeviceId, DeviceKind } from './device.ts';
import type { RouteSpec } from './routes.ts';

/**
 * The dashboard's uptime page: for one period, the totals per kind and per village (each the same sum
 * `/api/uptime?kind=…` or `?village=…` answers), and per device its figures and an Uptime-Kuma-style
 * bar of cells (one per hour or day, starting at `from`; the dashboard asks from a Vietnam midnight).
 */

export const UPTIME_BUCKETS = ['hour', 'day'] as const;
export const UptimeBucket = Type.Union(UPTIME_BUCKETS.map((b) => Type.Literal(b)));
export type UptimeBucket = Static<typeof UptimeBucket>;

/** At most this many cells per device (366 days, or 41 days of hours). */
export const UPTIME_MAX_CELLS = 1000;

export const UptimeReportQuery = Type.Object(
  {
    from: Type.String({ description: 'ISO 8601 time or epoch milliseconds' }),
    to: Type.String({ description: 'ISO 8601 time or epoch milliseconds' }),
    bucket: Type.Optional(UptimeBucket),
    kind: Type.Optional(DeviceKind),
    village: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    /** One device only (its panel's bar); its kind and village totals are then its own. */
    device: Type.Optional(DeviceId),
  },
  { additionalProperties: false },
);
export type UptimeReportQuery = Static<typeof UptimeReportQuery>;

/** One cell of a bar: a bucket starting at `start` (epoch ms), lasting `bucketS` (the last one may be cut at `to`). */
export const UptimeCell = Type.Composite([Type.Object({ start: Type.Number() }), UptimeFigures]);
export type UptimeCell = Static<typeof UptimeCell>;

export const UptimeGroupTotal = Type.Composite([
  Type.Object({ key: Type.String(), devices: Type.Integer() }),
  UptimeFigures,
]);
export type UptimeGroupTotal = Static<typeof UptimeGroupTotal>;

export const UptimeDeviceRow = Type.Composite([
  Type.Object({
    deviceId: DeviceId,
    name: Type.String(),
    kind: DeviceKind,
    village: Type.String(),
    cells: Type.Array(UptimeCell),
  }),
  UptimeFigures,
]);
export type UptimeDeviceRow = Static<typeof UptimeDeviceRow>;

export const UptimeReport = Type.Object({
  from: Type.String(),
  to: Type.String(),
  bucket: UptimeBucket,
  bucketS: Type.Integer(),
  total: UptimeFigures,
  /** Kinds in the protocol's order, only those with devices. `key` is the kind. */
  byKind: Type.Array(UptimeGroupTotal),
  /** Villages by name. `key` is the village name. */
  byVillage: Type.Array(UptimeGroupTotal),
  devices: Type.Array(UptimeDeviceRow),
});
export type UptimeReport = Static<typeof UptimeReport>;

/** Spread into `routes` (routes.ts). */
export const uptimeRouteMap = {
  uptimeReport: {
    method: 'GET',
    url: '/api/uptime/report',
    auth: 'viewer',
    summary: 'Uptime of a period per kind, per village and per device, with a bar of hourly or daily cells',
    description:
      'Totals are the sums `/api/uptime` answers for the same kind or village. More than ' +
      `${UPTIME_MAX_CELLS} cells per device is refused with HUB_ERR_BAD_TIME_RANGE.`,
    tags: ['uptime'],
    querystring: UptimeReportQuery,
    response: { 200: UptimeReport, '4xx': ApiError },
  },
} as const satisfies Record<string, RouteSpec>;
