import { type Static, Type } from '@sinclair/typebox';

/** Every error answer of the REST API. `code` is stable (HUB_ERR_...), `message` is for people. */
export const ApiError = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String(),
  error: Type.String(),
  message: Type.String(),
});
export type ApiError = Static<typeof ApiError>;

export const TimeRangeQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ description: 'ISO 8601 time or epoch milliseconds' })),
    to: Type.Optional(Type.String({ description: 'ISO 8601 time or epoch milliseconds' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, default: 1000 })),
  },
  { additionalProperties: false },
);
export type TimeRangeQuery = Static<typeof TimeRangeQuery>;

export const Health = Type.Object({
  status: Type.Literal('ok'),
  version: Type.String(),
  uptimeS: Type.Number(),
  devices: Type.Integer(),
  mqttClients: Type.Integer(),
  /** The port devices connect to (the dashboard builds the agent command with it). */
  mqttPort: Type.Optional(Type.Integer()),
  /** HUB_PUBLIC_MQTT_URL when set: where devices reach the broker, used by the agent command instead. */
  mqttUrl: Type.Optional(Type.String()),
  /** Cluster mode only: this node, the leader, and every node with its last lease (a dead one stays listed). */
  cluster: Type.Optional(
    Type.Object({
      nodeId: Type.String(),
      /** The node that acts for devices no living node holds (the smallest living id). */
      leader: Type.String(),
      nodes: Type.Array(
        Type.Object({
          id: Type.String(),
          alive: Type.Boolean(),
          /** Left cleanly rather than died (its lease was withdrawn, not left to expire). */
          stopped: Type.Boolean(),
          startedAt: Type.String({ format: 'date-time' }),
          lastLeaseAt: Type.String({ format: 'date-time' }),
        }),
      ),
    }),
  ),
});
export type Health = Static<typeof Health>;

/** Uptime over a window, computed from the heartbeat record (see protocol/README.md, Uptime). Seconds. */
export const UptimeFigures = Type.Object({
  up_s: Type.Number(),
  down_s: Type.Number(),
  /** No hub node was running and no data covers it: excluded from the ratio. */
  unknown_s: Type.Number(),
  /** Scheduled maintenance: excluded from the ratio. */
  maintenance_s: Type.Number(),
  /** up / (up + down), or null when nothing was measurable. */
  ratio: Type.Union([Type.Number(), Type.Null()]),
});
export type UptimeFigures = Static<typeof UptimeFigures>;

export const DeviceUptime = Type.Composite([
  Type.Object({ deviceId: Type.String(), from: Type.String(), to: Type.String() }),
  UptimeFigures,
]);
export type DeviceUptime = Static<typeof DeviceUptime>;

export const FleetUptime = Type.Object({
  from: Type.String(),
  to: Type.String(),
  devices: Type.Array(DeviceUptime),
  total: UptimeFigures,
});
export type FleetUptime = Static<typeof FleetUptime>;

/** Body of `POST /api/maintenance`: a window for the listed devices, or for every device of a village and/or kind. */
export const MaintenanceCreate = Type.Object(
  {
    deviceIds: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 10000 }),
    ),
    village: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    kind: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
    from: Type.String({ description: 'ISO 8601 time or epoch milliseconds' }),
    to: Type.String({ description: 'ISO 8601 time or epoch milliseconds' }),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type MaintenanceCreate = Static<typeof MaintenanceCreate>;

export const MaintenanceWindow = Type.Object({
  id: Type.Integer(),
  deviceId: Type.String(),
  from: Type.String(),
  to: Type.String(),
  note: Type.String(),
});
export type MaintenanceWindow = Static<typeof MaintenanceWindow>;

/** Answer of `POST /api/devices/import` (CSV body). Nothing is written when `errors` is not empty or `dryRun`. */
export const ImportReport = Type.Object({
  dryRun: Type.Boolean(),
  rows: Type.Integer(),
  errors: Type.Array(
    Type.Object({ line: Type.Integer(), id: Type.Optional(Type.String()), message: Type.String() }),
  ),
  warnings: Type.Array(Type.String()),
  /** Secrets of the devices created, shown once. Empty on a dry run. */
  created: Type.Array(Type.Object({ id: Type.String(), secret: Type.String() })),
});
export type ImportReport = Static<typeof ImportReport>;

/** One point of `GET /api/devices/:id/series`: a bucket starting at `t` (epoch ms). */
export const SeriesPoint = Type.Object({
  t: Type.Number(),
  avg: Type.Number(),
  min: Type.Number(),
  max: Type.Number(),
  count: Type.Integer(),
});
export type SeriesPoint = Static<typeof SeriesPoint>;
