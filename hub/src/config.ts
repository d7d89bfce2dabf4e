import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { assertClusterConfig, clusterSettings } from './cluster/settings.ts';
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
  /** Bearer token for writes. Generated and printed at boot when unset. */
  adminToken: Type.String({ minLength: 16, env: 'HUB_ADMIN_TOKEN' }),
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
  config.dataDir = path.resolve(config.dataDir);
  if (config.webDir) config.webDir = path.resolve(config.webDir);
  if (config.criteriaDir) config.criteriaDir = path.resolve(config.criteriaDir);
  return { config, generatedToken };
}
