import { type TSchema, Type } from '@sinclair/typebox';
import { alertRouteMap } from './alert-routes.ts';
import {
  ApiError,
  DeviceUptime,
  FleetUptime,
  Health,
  ImportReport,
  MaintenanceCreate,
  MaintenanceWindow,
  SeriesPoint,
  TimeRangeQuery,
} from './api.ts';
import { authRouteMap } from './auth-routes.ts';
import { criteriaRouteMap } from './criteria-routes.ts';
import {
  DeviceCreate,
  DeviceCredentials,
  DeviceId,
  DeviceUpdate,
  DeviceView,
  HeartbeatRecord,
  METRIC_NAME_PATTERN,
  Transition,
} from './device.ts';
import { homeRouteMap } from './home-routes.ts';
import {
  Commune,
  CommuneCreate,
  PlaceId,
  Site,
  SiteCreate,
  Village,
  VillageCreate,
  VillageUpdate,
} from './places.ts';
import { ProbeTargetInput, ProbeTargetView } from './probes.ts';
import { publicStatusRouteMap } from './public-status-routes.ts';
import { uptimeRouteMap } from './uptime-routes.ts';

/**
 * The REST contract: one entry per route of the hub. The hub registers its fastify routes from this map
 * (hub/src/api/define-route.ts), `createHubClient` (./client.ts) derives its typed calls from it, and the
 * OpenAPI document at /api/openapi.json is generated from the same schemas, so none of them can drift.
 * A feature with many routes keeps its part in a file of its own (./alert-routes.ts), merged in below.
 */
export interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** fastify form: `/api/devices/:id`. */
  url: string;
  /**
   * Who may call it (README "Security"): `public` (anyone), or the least role a signed-in user or a
   * personal API token needs — `viewer` < `operator` < `admin`. Left out, it means `viewer`: a route
   * nobody classified is closed, not open. Checked before the body is read (hub/src/api/define-route.ts).
   */
  auth?: RouteAuth;
  summary: string;
  description?: string;
  tags: readonly string[];
  params?: TSchema;
  querystring?: TSchema;
  body?: TSchema;
  /** Request body media type; JSON unless named (the device import takes `text/csv`). */
  consumes?: 'application/json' | 'text/csv';
  /** Response body media type; JSON unless named (/metrics answers Prometheus text, the annex XLSX/DOCX). */
  produces?: 'application/json' | 'text/plain' | BinaryMediaType;
  /** Status code → body schema. Every 2xx listed; `4xx` is the shared ApiError. */
  response: { readonly [status: number]: TSchema; readonly '4xx'?: TSchema };
}

/** Roles, least to most: each may do what the ones before it may. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export type RouteAuth = 'public' | Role;

/** Media types of file answers (the criteria annex); the typed client reads them as an ArrayBuffer. */
export type BinaryMediaType =
  | 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
  | 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Every 4xx answer carries a stable HUB_ERR_* code (see ApiError). */
const errors = { '4xx': ApiError } as const;
const IdParams = Type.Object({ id: DeviceId });
const NoContent = Type.Null({ description: 'No content' });

export const HeartbeatOrder = Type.Union([Type.Literal('asc'), Type.Literal('desc')], {
  description: '`asc` (default): oldest first from `from`; `desc`: newest first from `to`',
});

/** `GET /api/devices/:id/heartbeats`: a time range, at most `limit` rows, oldest or newest first. */
export const HeartbeatsQuery = Type.Object(
  { ...TimeRangeQuery.properties, order: Type.Optional(HeartbeatOrder) },
  { additionalProperties: false },
);

export const SeriesQuery = Type.Object({
  metric: Type.String({ pattern: METRIC_NAME_PATTERN }),
  from: Type.Optional(Type.String({ description: 'ISO 8601 time or epoch milliseconds' })),
  to: Type.Optional(Type.String({ description: 'ISO 8601 time or epoch milliseconds' })),
  stepS: Type.Optional(Type.Integer({ minimum: 1, maximum: 31_536_000 })),
});

export const FleetUptimeQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ description: 'ISO 8601 time or epoch milliseconds' })),
    to: Type.Optional(Type.String({ description: 'ISO 8601 time or epoch milliseconds' })),
    kind: Type.Optional(Type.String()),
    village: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const ImportQuery = Type.Object({ dryRun: Type.Optional(Type.Boolean({ default: false })) });

export const routes = {
  // ---- system
  health: {
    method: 'GET',
    url: '/healthz',
    auth: 'public',
    summary: 'Liveness of the hub itself',
    tags: ['system'],
    response: { 200: Health },
  },
  metrics: {
    method: 'GET',
    url: '/metrics',
    auth: 'public',
    summary: 'Prometheus metrics',
    tags: ['system'],
    produces: 'text/plain',
    response: { 200: Type.String({ description: 'Prometheus text exposition format' }) },
  },
  openapi: {
    method: 'GET',
    url: '/api/openapi.json',
    auth: 'viewer',
    summary: 'This API as an OpenAPI 3.1 document',
    description: 'Browsable at /api/docs.',
    tags: ['system'],
    response: { 200: Type.Object({}, { additionalProperties: true }) },
  },

  // ---- devices
  deviceList: {
    method: 'GET',
    url: '/api/devices',
    auth: 'viewer',
    summary: 'Every device with its live state',
    tags: ['devices'],
    response: { 200: Type.Array(DeviceView), ...errors },
  },
  deviceCreate: {
    method: 'POST',
    url: '/api/devices',
    auth: 'admin',
    summary: 'Provision a device',
    description:
      'Answers its MQTT secret, shown only this once. 409 HUB_ERR_DEVICE_EXISTS when the id is taken.',
    tags: ['devices'],
    body: DeviceCreate,
    response: { 201: DeviceCredentials, ...errors },
  },
  deviceImport: {
    method: 'POST',
    url: '/api/devices/import',
    auth: 'admin',
    summary: 'Bulk import devices from a spreadsheet (CSV)',
    description:
      'All or nothing: 422 with the report when any row is wrong, nothing written on a dry run. Columns in the README.',
    tags: ['devices'],
    consumes: 'text/csv',
    querystring: ImportQuery,
    body: Type.String({ description: 'CSV, UTF-8, header row first' }),
    response: { 200: ImportReport, 422: ImportReport, ...errors },
  },
  deviceGet: {
    method: 'GET',
    url: '/api/devices/:id',
    auth: 'viewer',
    summary: 'One device with its live state',
    tags: ['devices'],
    params: IdParams,
    response: { 200: DeviceView, ...errors },
  },
  deviceUpdate: {
    method: 'PATCH',
    url: '/api/devices/:id',
    auth: 'admin',
    summary: 'Rename, move, re-time, tag, disable or enable a device',
    description: 'Disabling closes its open MQTT connection.',
    tags: ['devices'],
    params: IdParams,
    body: DeviceUpdate,
    response: { 200: DeviceView, ...errors },
  },
  deviceRotateSecret: {
    method: 'POST',
    url: '/api/devices/:id/secret',
    auth: 'admin',
    summary: "Issue a new MQTT secret (the old one stops working, the device's connection is closed)",
    tags: ['devices'],
    params: IdParams,
    response: { 200: DeviceCredentials, ...errors },
  },
  deviceHeartbeats: {
    method: 'GET',
    url: '/api/devices/:id/heartbeats',
    auth: 'viewer',
    summary: 'Stored heartbeats of a device',
    description:
      'Within [from, to) (default: the last day), at most `limit` (default 1000). `order=desc` gives the newest first.',
    tags: ['history'],
    params: IdParams,
    querystring: HeartbeatsQuery,
    response: { 200: Type.Array(HeartbeatRecord), ...errors },
  },
  deviceTransitions: {
    method: 'GET',
    url: '/api/devices/:id/transitions',
    auth: 'viewer',
    summary: 'Status changes of a device, oldest first',
    tags: ['history'],
    params: IdParams,
    querystring: TimeRangeQuery,
    response: { 200: Type.Array(Transition), ...errors },
  },
  deviceSeries: {
    method: 'GET',
    url: '/api/devices/:id/series',
    auth: 'viewer',
    summary: 'One numeric metric of a device, downsampled into buckets of stepS seconds',
    tags: ['history'],
    params: IdParams,
    querystring: SeriesQuery,
    response: { 200: Type.Array(SeriesPoint), ...errors },
  },

  // ---- uptime and maintenance
  deviceUptime: {
    method: 'GET',
    url: '/api/devices/:id/uptime',
    auth: 'viewer',
    summary: 'Measured uptime of a device over a window',
    tags: ['uptime'],
    params: IdParams,
    querystring: TimeRangeQuery,
    response: { 200: DeviceUptime, ...errors },
  },
  fleetUptime: {
    method: 'GET',
    url: '/api/uptime',
    auth: 'viewer',
    summary: 'Measured uptime of every device (optionally one kind and/or village) and the total',
    tags: ['uptime'],
    querystring: FleetUptimeQuery,
    response: { 200: FleetUptime, ...errors },
  },
  // ---- the uptime page (./uptime-routes.ts)
  ...uptimeRouteMap,
  maintenanceCreate: {
    method: 'POST',
    url: '/api/maintenance',
    auth: 'operator',
    summary: 'Schedule maintenance for listed devices, or for a village and/or kind',
    tags: ['uptime'],
    body: MaintenanceCreate,
    response: { 201: Type.Array(MaintenanceWindow), ...errors },
  },
  maintenanceList: {
    method: 'GET',
    url: '/api/maintenance',
    auth: 'viewer',
    summary: 'Maintenance windows overlapping a time range',
    tags: ['uptime'],
    querystring: TimeRangeQuery,
    response: { 200: Type.Array(MaintenanceWindow), ...errors },
  },
  maintenanceDelete: {
    method: 'DELETE',
    url: '/api/maintenance/:id',
    auth: 'operator',
    summary: 'Cancel a maintenance window',
    tags: ['uptime'],
    params: Type.Object({ id: Type.Integer() }),
    response: { 204: NoContent, ...errors },
  },

  // ---- places
  communeList: {
    method: 'GET',
    url: '/api/communes',
    auth: 'viewer',
    summary: 'Communes, with their mergers',
    tags: ['places'],
    response: { 200: Type.Array(Commune), ...errors },
  },
  communeCreate: {
    method: 'POST',
    url: '/api/communes',
    auth: 'admin',
    summary: 'Add a commune',
    tags: ['places'],
    body: CommuneCreate,
    response: { 201: Commune, ...errors },
  },
  villageList: {
    method: 'GET',
    url: '/api/villages',
    auth: 'viewer',
    summary: 'Villages',
    tags: ['places'],
    response: { 200: Type.Array(Village), ...errors },
  },
  villageCreate: {
    method: 'POST',
    url: '/api/villages',
    auth: 'admin',
    summary: 'Add a village',
    tags: ['places'],
    body: VillageCreate,
    response: { 201: Village, ...errors },
  },
  villageUpdate: {
    method: 'PATCH',
    url: '/api/villages/:id',
    auth: 'admin',
    summary: 'Rename a village or move it to another commune',
    tags: ['places'],
    params: Type.Object({ id: PlaceId }),
    body: VillageUpdate,
    response: { 200: Village, ...errors },
  },
  siteList: {
    method: 'GET',
    url: '/api/sites',
    auth: 'viewer',
    summary: 'Sites (where devices stand within a village)',
    tags: ['places'],
    response: { 200: Type.Array(Site), ...errors },
  },
  siteCreate: {
    method: 'POST',
    url: '/api/sites',
    auth: 'admin',
    summary: 'Add a site',
    tags: ['places'],
    body: SiteCreate,
    response: { 201: Site, ...errors },
  },
  deviceProbeGet: {
    method: 'GET',
    url: '/api/devices/:id/probe',
    auth: 'admin',
    summary: "A child device's probe target, without its credentials",
    description: 'Credentials are never returned: `secretsSet` names the ones that are set.',
    tags: ['probes'],
    params: IdParams,
    response: { 200: ProbeTargetView, ...errors },
  },
  deviceProbeSet: {
    method: 'PUT',
    url: '/api/devices/:id/probe',
    auth: 'admin',
    summary: 'Set (replace) the probe target of a child device',
    description:
      'The device must have a gateway parent. Credentials are stored encrypted (HUB_PROBE_KEY); the gateway gets the new configuration at once on its retained `cmd` topic. A secret field left out keeps the stored value.',
    tags: ['probes'],
    params: IdParams,
    body: ProbeTargetInput,
    response: { 200: ProbeTargetView, ...errors },
  },
  deviceProbeDelete: {
    method: 'DELETE',
    url: '/api/devices/:id/probe',
    auth: 'admin',
    summary: 'Stop probing a child device',
    tags: ['probes'],
    params: IdParams,
    response: { 204: NoContent, ...errors },
  },

  // ---- alerts, rules, schedules, mutes, channels, deliveries
  ...alertRouteMap,

  // ---- criteria (./criteria-routes.ts)
  ...criteriaRouteMap,

  // ---- dashboard home: village health, feed (./home-routes.ts)
  ...homeRouteMap,

  // ---- public status page and its groups (./public-status-routes.ts)
  ...publicStatusRouteMap,
  // ---- sessions, users, personal API tokens, audit (./auth-routes.ts)
  ...authRouteMap,
} as const satisfies Record<string, RouteSpec>;

export type Routes = typeof routes;
export type RouteName = keyof Routes;
