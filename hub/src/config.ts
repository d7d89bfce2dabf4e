import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { assertClusterConfig, clusterSettings } from './cluster/settings.ts';
import { checkEdgeSettings } from './edge-config.ts';
import { HubError } from './errors.ts';
import { parseProbeKey } from './probes/crypto.ts';

/**
 * Every setting of the hub, read once at boot from environment variables prefixed HUB_.
 * The schema is the single source of the names, types, defaults and the README table.
 */
export const HubConfigSchema = Type.Object({
  httpHost: Type.String({ default: '0.0.0.0', env: 'HUB_HTTP_HOST' }),
  httpPort: Type.Integer({ minimum: 0, maximum: 65535, default: 8080, env: 'HUB_HTTP_PORT' }),
  mqttHost: Type.String({ default: '0.0.0.0', env: 'HUB_MQTT_HOST' }),
  mqttPort: Type.Integer({ minimum: 0, maximum: 65535, default: 1883, env: 'HUB_MQTT_PORT' }),
  dataDir: Type.String({ minLength: 1, default: './data', env: 'HUB_DATA_DIR' }),
  /** Creates the first admin only (`npm run users -- add`); refused once an admin exists. Generated and printed at boot when unset. */
  adminToken: Type.String({ minLength: 16, env: 'HUB_ADMIN_TOKEN' }),
  /** A dashboard sign-in lasts this many hours. */
  sessionTtlH: Type.Integer({ minimum: 1, maximum: 720, default: 12, env: 'HUB_SESSION_TTL_H' }),
  /** Origins (comma-separated) besides the hub's own that may open the live socket (a dev server). */
  allowedOrigins: Type.String({ default: '', env: 'HUB_ALLOWED_ORIGINS' }),
  /** Folder of the built dashboard; empty disables static serving. */
  webDir: Type.String({ default: '', env: 'HUB_WEB_DIR' }),
  logLevel: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info', env: 'HUB_LOG_LEVEL' },
  ),
  /** How often silence is checked; offline-by-timeout is recorded at the exact deadline regardless. */
  livenessSweepMs: Type.Integer({ minimum: 10, maximum: 60000, default: 1000, env: 'HUB_LIVENESS_SWEEP_MS' }),
  /** Heartbeats stamped further than this ahead of the hub's clock are rejected (`clock_ahead`). */
  maxClockAheadS: Type.Integer({ minimum: 0, default: 300, env: 'HUB_MAX_CLOCK_AHEAD_S' }),
  /** Heartbeats older than this are rejected (`too_old`): bounds what backfill and buffers may rewrite. */
  maxHeartbeatAgeDays: Type.Integer({ minimum: 1, default: 400, env: 'HUB_MAX_HEARTBEAT_AGE_DAYS' }),
  /** Raw heartbeats older than this are pruned from the embedded store. */
  retentionDays: Type.Integer({ minimum: 1, default: 400, env: 'HUB_RETENTION_DAYS' }),
  /** Per-client publish budget: a flooding client is throttled and counted, the others are unaffected. */
  /** Where heartbeats and transitions go: the embedded SQLite file, or an InfluxDB server. */
  store: Type.Union([Type.Literal('sqlite'), Type.Literal('influx')], {
    default: 'sqlite',
    env: 'HUB_STORE',
  }),
  influxUrl: Type.String({ default: '', env: 'HUB_INFLUX_URL' }),
  /** Where devices, places, credentials, live state, coverage and maintenance live: the node's SQLite file or a PostgreSQL server several nodes share. */
  db: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')], { default: 'sqlite', env: 'HUB_DB' }),
  /** PostgreSQL connection string when HUB_DB=postgres, e.g. postgres://hub:secret@127.0.0.1:5432/hub. */
  databaseUrl: Type.String({ default: '', env: 'HUB_DATABASE_URL' }),
  /** InfluxDB 2.x / 3.x: token, org and bucket. */
  influxToken: Type.String({ default: '', env: 'HUB_INFLUX_TOKEN' }),
  influxOrg: Type.String({ default: '', env: 'HUB_INFLUX_ORG' }),
  influxBucket: Type.String({ default: '', env: 'HUB_INFLUX_BUCKET' }),
  /** InfluxDB 1.x: user, password, database and retention policy. */
  influxUsername: Type.String({ default: '', env: 'HUB_INFLUX_USERNAME' }),
  influxPassword: Type.String({ default: '', env: 'HUB_INFLUX_PASSWORD' }),
  influxDatabase: Type.String({ default: '', env: 'HUB_INFLUX_DATABASE' }),
  influxRetentionPolicy: Type.String({ default: '', env: 'HUB_INFLUX_RETENTION_POLICY' }),
  /**
   * Group commit: a QoS 1 heartbeat is acknowledged (PUBACK) only once it is committed; the heartbeats of
   * this many milliseconds are committed in one transaction, then their acknowledgements are sent.
   */
  commitIntervalMs: Type.Integer({ minimum: 1, maximum: 1000, default: 10, env: 'HUB_COMMIT_INTERVAL_MS' }),
  /** Bound of the on-disk spool that holds writes while InfluxDB is unreachable. */
  influxSpoolMaxMb: Type.Integer({ minimum: 1, default: 256, env: 'HUB_INFLUX_SPOOL_MAX_MB' }),
  mqttRatePerS: Type.Integer({ minimum: 1, default: 500, env: 'HUB_MQTT_RATE_PER_S' }),
  mqttRateBurst: Type.Integer({ minimum: 1, default: 5000, env: 'HUB_MQTT_RATE_BURST' }),
  /** AES-256-GCM key for probe credentials at rest: 64 hex digits or base64 of 32 bytes. */
  probeKey: Type.String({ default: '', env: 'HUB_PROBE_KEY' }),
  /** Folder of criteria-set files (one per decision); empty: the sets shipped in hub/criteria-sets. */
  criteriaDir: Type.String({ default: '', env: 'HUB_CRITERIA_DIR' }),
  /** Live indicators re-evaluate at most once per this many ms after devices change. */
  criteriaDebounceMs: Type.Integer({
    minimum: 0,
    maximum: 600000,
    default: 2000,
    env: 'HUB_CRITERIA_DEBOUNCE_MS',
  }),
  /** Address officials open the dashboard at; alert messages link to devices under it. Empty = no link. */
  publicUrl: Type.String({ default: '', pattern: '^(https?://\\S+)?$', env: 'HUB_PUBLIC_URL' }),
  /**
   * Where devices reach the broker when that is not the dashboard's host and MQTT port (another host, a
   * TLS port, a NAT or proxy in front): `mqtt://host:port` or `mqtts://host:port`. The agent command
   * shown after adding a device uses it. Empty = the dashboard's host and the broker's port.
   */
  publicMqttUrl: Type.String({
    default: '',
    maxLength: 300,
    pattern: '^(mqtts?://(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9][A-Za-z0-9.-]*)(:\\d{1,5})?/?)?$',
    env: 'HUB_PUBLIC_MQTT_URL',
  }),
  /** Zalo ZNS template messages as an alert channel (verified OA, approved template, paid per message). */
  alertsZnsEnabled: Type.Boolean({ default: false, env: 'HUB_ALERTS_ZNS_ENABLED' }),
  /** How often Telegram / Zalo bots are asked for replies (acknowledgements); 0 = never. */
  alertsBotPollMs: Type.Integer({ minimum: 0, default: 3000, env: 'HUB_ALERTS_BOT_POLL_MS' }),
  /** Alert rules evaluated (holds, correlation, re-notify) every this many ms. */
  alertsTickMs: Type.Integer({ minimum: 10, maximum: 60000, default: 1000, env: 'HUB_ALERTS_TICK_MS' }),
  /** Devices of a village that drop within this many seconds dropped together (power / network cut). */
  alertsCorrelationWindowS: Type.Integer({
    minimum: 1,
    maximum: 3600,
    default: 120,
    env: 'HUB_ALERTS_CORRELATION_WINDOW_S',
  }),
  /** Evaluate alert rules at all (false: rules, alerts and their routes stay, nothing is evaluated). */
  alertsEnabled: Type.Boolean({ default: true, env: 'HUB_ALERTS_ENABLED' }),
  /** Problem reports one IP address may send from the public status pages per hour (the excess: 429). */
  publicReportsPerHour: Type.Integer({
    minimum: 1,
    maximum: 1000,
    default: 5,
    env: 'HUB_PUBLIC_REPORTS_PER_HOUR',
  }),
  /**
   * Behind a reverse proxy every request comes from the proxy's address: `true` trusts X-Forwarded-For
   * from anyone, a comma-separated list of addresses/CIDRs trusts it from those proxies only (fastify's
   * trustProxy). Used for the per-address report limit of the public status pages.
   */
  trustProxy: Type.String({ default: 'false', maxLength: 2000, env: 'HUB_TRUST_PROXY' }),
  // --- Transport and edge hardening (issue 14) ---
  /** PEM certificate (chain) and key: HTTPS on the HTTP port and MQTTS on HUB_MQTTS_PORT. Reloaded on SIGHUP. */
  tlsCert: Type.String({ default: '', env: 'HUB_TLS_CERT' }),
  tlsKey: Type.String({ default: '', env: 'HUB_TLS_KEY' }),
  /** CA of device client certificates: when set, MQTTS clients must also present a certificate it signed. */
  tlsCa: Type.String({ default: '', env: 'HUB_TLS_CA' }),
  /** MQTT over TLS, when a certificate is configured (0 = any free port). */
  mqttsPort: Type.Integer({ minimum: 0, maximum: 65535, default: 8883, env: 'HUB_MQTTS_PORT' }),
  /** CONNECT must arrive this soon after the TCP connection opens (counted as `connect_timeout`). */
  mqttConnectTimeoutMs: Type.Integer({
    minimum: 100,
    maximum: 120000,
    default: 30000,
    env: 'HUB_MQTT_CONNECT_TIMEOUT_MS',
  }),
  /** Wrong secrets per device id, and per remote address, before CONNECTs are refused unhashed with backoff. */
  mqttAuthFailuresPerId: Type.Integer({ minimum: 1, default: 5, env: 'HUB_MQTT_AUTH_FAILURES_PER_ID' }),
  mqttAuthFailuresPerAddress: Type.Integer({
    minimum: 1,
    default: 20,
    env: 'HUB_MQTT_AUTH_FAILURES_PER_ADDRESS',
  }),
  /** Longest backoff of a blocked id or address (it doubles from 1 s with each refusal past the budget). */
  mqttAuthBackoffMaxS: Type.Integer({
    minimum: 1,
    maximum: 86400,
    default: 300,
    env: 'HUB_MQTT_AUTH_BACKOFF_MAX_S',
  }),
  /**
   * The suspect lane (broker/hash-lanes.ts): hashes of ids or addresses that already failed run this many at
   * a time, at most 3 so one of libuv's 4 threads stays free for a real device's first hash; past the
   * waiting bound they are refused unhashed (`throttled_busy`).
   */
  mqttSuspectHashesRunning: Type.Integer({
    minimum: 1,
    maximum: 3,
    default: 1,
    env: 'HUB_MQTT_SUSPECT_HASHES_RUNNING',
  }),
  mqttSuspectHashesWaiting: Type.Integer({
    minimum: 0,
    maximum: 1000,
    default: 64,
    env: 'HUB_MQTT_SUSPECT_HASHES_WAITING',
  }),
  /** Secrets hashed at once by bulk imports, so device logins never queue behind an import. */
  importHashConcurrency: Type.Integer({
    minimum: 1,
    maximum: 4,
    default: 1,
    env: 'HUB_IMPORT_HASH_CONCURRENCY',
  }),
  /** HTTP: whole request, request headers and idle keep-alive limits; open connections cap. */
  httpRequestTimeoutMs: Type.Integer({ minimum: 1000, default: 60000, env: 'HUB_HTTP_REQUEST_TIMEOUT_MS' }),
  httpHeadersTimeoutMs: Type.Integer({ minimum: 1000, default: 15000, env: 'HUB_HTTP_HEADERS_TIMEOUT_MS' }),
  httpKeepAliveTimeoutMs: Type.Integer({ minimum: 100, default: 5000, env: 'HUB_HTTP_KEEPALIVE_TIMEOUT_MS' }),
  httpMaxConnections: Type.Integer({ minimum: 1, default: 2000, env: 'HUB_HTTP_MAX_CONNECTIONS' }),
  /** socket.io per connection: events it may send (burst, per second); full snapshots it may receive (burst, per minute). */
  socketEventBurst: Type.Integer({ minimum: 1, default: 20, env: 'HUB_SOCKET_EVENT_BURST' }),
  socketEventsPerS: Type.Integer({ minimum: 1, default: 2, env: 'HUB_SOCKET_EVENTS_PER_S' }),
  socketSnapshotBurst: Type.Integer({ minimum: 1, default: 3, env: 'HUB_SOCKET_SNAPSHOT_BURST' }),
  socketSnapshotsPerMin: Type.Integer({ minimum: 1, default: 30, env: 'HUB_SOCKET_SNAPSHOTS_PER_MIN' }),
  /** Who may read /metrics: `loopback` (127.0.0.1/::1, or the token), `token` (bearer only), `off`. */
  metricsAccess: Type.Union([Type.Literal('loopback'), Type.Literal('token'), Type.Literal('off')], {
    default: 'loopback',
    env: 'HUB_METRICS_ACCESS',
  }),
  /** Bearer token for /metrics (Prometheus `authorization` / `bearer_token_file`). */
  metricsToken: Type.String({ default: '', env: 'HUB_METRICS_TOKEN' }),
  /** Cluster mode: HUB_CLUSTER_REDIS_URL, HUB_CLUSTER_NODE_ID, HUB_CLUSTER_LEASE_MS, HUB_WORKERS. */
  ...clusterSettings,
});
export type HubConfig = Static<typeof HubConfigSchema>;

type EnvKey = { env: string };

/** Readable list of every problem, one line each, e.g. `HUB_HTTP_PORT: expected integer, got "abc"`. */
function describeErrors(input: Record<string, unknown>): string[] {
  const lines: string[] = [];
  for (const err of Value.Errors(HubConfigSchema, input)) {
    const key = err.path.replace(/^\//, '');
    const prop = (HubConfigSchema.properties as unknown as Record<string, EnvKey>)[key];
    lines.push(`${prop?.env ?? key}: ${err.message}, got ${JSON.stringify(err.value)}`);
  }
  return lines;
}

function coerceEnv(raw: string, schema: { type?: string }): unknown {
  if (schema.type === 'boolean') {
    if (/^(true|1|yes)$/i.test(raw.trim())) return true;
    if (/^(false|0|no)$/i.test(raw.trim())) return false;
    return raw;
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    return raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  }
  return raw;
}

/** An address or a CIDR block (`10.0.0.0/8`, `fd00::/8`) as proxy-addr accepts it. */
function isAddressOrCidr(entry: string): boolean {
  const [address = '', bits, ...rest] = entry.split('/');
  const family = net.isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * HUB_TRUST_PROXY as fastify's `trustProxy`: `false` (default: the socket's address is the client's),
 * `true` (trust X-Forwarded-For from any peer), or the list of trusted proxy addresses and CIDRs.
 */
export function trustProxySetting(value: string): boolean | string[] {
  const v = value.trim().toLowerCase();
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  const entries = v
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  const bad = entries.filter((e) => !isAddressOrCidr(e));
  if (bad.length > 0 || entries.length === 0) {
    throw new HubError(
      'HUB_ERR_CONFIG',
      `invalid configuration:\n  HUB_TRUST_PROXY: expected false, true or a comma-separated list of proxy addresses or CIDRs, got ${JSON.stringify(value)}`,
    );
  }
  return entries;
}

export interface LoadedConfig {
  config: HubConfig;
  /** True when the admin token was generated because none was configured: the caller prints it. */
  generatedToken: boolean;
}

/**
 * Builds the config from environment variables (HUB_*) with programmatic overrides on top
 * (tests pass ports 0 and temp dirs). Throws HUB_ERR_CONFIG listing every invalid setting.
 */
export function loadConfig(env: NodeJS.ProcessEnv, overrides: Partial<HubConfig> = {}): LoadedConfig {
  const input: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(HubConfigSchema.properties)) {
    const raw = env[(prop as unknown as EnvKey).env];
    if (raw !== undefined) input[key] = coerceEnv(raw, prop as { type?: string });
  }
  Object.assign(input, overrides);
  let generatedToken = false;
  if (input.adminToken === undefined || input.adminToken === '') {
    input.adminToken = randomBytes(24).toString('base64url');
    generatedToken = true;
  }
  const withDefaults = Value.Default(HubConfigSchema, input) as Record<string, unknown>;
  const problems = describeErrors(withDefaults);
  if (problems.length > 0) {
    throw new HubError('HUB_ERR_CONFIG', `invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const config = withDefaults as HubConfig;
  if (config.store === 'influx') {
    const missing: string[] = [];
    if (!config.influxUrl) missing.push('HUB_INFLUX_URL: required when HUB_STORE=influx');
    const tokenStyle = config.influxToken !== '';
    if (tokenStyle && (!config.influxOrg || !config.influxBucket)) {
      missing.push('HUB_INFLUX_ORG and HUB_INFLUX_BUCKET: required with HUB_INFLUX_TOKEN');
    }
    if (!tokenStyle && !config.influxDatabase) {
      missing.push('HUB_INFLUX_TOKEN (2.x/3.x) or HUB_INFLUX_DATABASE (1.x): one is required');
    }
    if (missing.length > 0)
      throw new HubError('HUB_ERR_CONFIG', `invalid configuration:\n  ${missing.join('\n  ')}`);
  }
  if (config.db === 'postgres' && !/^postgres(ql)?:\/\//.test(config.databaseUrl)) {
    throw new HubError(
      'HUB_ERR_CONFIG',
      'invalid configuration:\n  HUB_DATABASE_URL: a postgres:// URL is required when HUB_DB=postgres',
    );
  }
  assertClusterConfig(config); // cluster mode needs Redis, PostgreSQL and InfluxDB
  parseProbeKey(config.probeKey); // throws HUB_ERR_CONFIG naming HUB_PROBE_KEY
  trustProxySetting(config.trustProxy); // throws HUB_ERR_CONFIG naming HUB_TRUST_PROXY
  checkEdgeSettings(config); // TLS files, example tokens (issue 14)
  config.dataDir = path.resolve(config.dataDir);
  if (config.webDir) config.webDir = path.resolve(config.webDir);
  if (config.criteriaDir) config.criteriaDir = path.resolve(config.criteriaDir);
  return { config, generatedToken };
}
