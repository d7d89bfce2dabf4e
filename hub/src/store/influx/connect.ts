import { HttpError, InfluxDB, type Transport } from '@influxdata/influxdb-client';
import type { Logger } from 'pino';
import { HubError } from '../../errors.ts';
import { type QueryTarget, quoteIdent, runQuery } from './influxql.ts';
import { V1CompatTransport } from './transport.ts';

/**
 * How to reach InfluxDB. Two auth styles:
 * - token + org + bucket (InfluxDB 2.x, 3.x): the hub maps database `database ?? bucket` / retention
 *   policy `retentionPolicy ?? 'autogen'` to the bucket (a DBRP mapping) if none exists, so InfluxQL works;
 * - username + password + database (+ retentionPolicy) (InfluxDB 1.x): writes go to `/write` through
 *   V1CompatTransport; the database is created when missing and the user may do so.
 */
export interface InfluxConnectionConfig {
  url: string;
  token?: string;
  org?: string;
  bucket?: string;
  username?: string;
  password?: string;
  database?: string;
  retentionPolicy?: string;
  /** HTTP timeout of writes and checks, ms. */
  timeoutMs?: number;
  /** HTTP timeout of one query, ms. */
  queryTimeoutMs?: number;
}

export interface InfluxConnection {
  client: InfluxDB;
  transport: Transport;
  /** The client's v2 write path (mapped by V1CompatTransport for 1.x). */
  writePath: string;
  org: string;
  bucket: string;
  query: QueryTarget;
  style: 'token' | 'v1';
}

export function createConnection(cfg: InfluxConnectionConfig): InfluxConnection {
  const timeout = cfg.timeoutMs ?? 10_000;
  const queryTimeoutMs = cfg.queryTimeoutMs ?? 60_000;
  if (cfg.token) {
    if (!cfg.org || !cfg.bucket) {
      throw new HubError('HUB_ERR_CONFIG', 'InfluxDB token auth needs HUB_INFLUX_ORG and HUB_INFLUX_BUCKET');
    }
    const client = new InfluxDB({ url: cfg.url, token: cfg.token, timeout });
    const database = cfg.database ?? cfg.bucket;
    return {
      client,
      transport: client.transport,
      writePath: v2WritePath(cfg.org, cfg.bucket),
      org: cfg.org,
      bucket: cfg.bucket,
      query: {
        transport: client.transport,
        database,
        retentionPolicy: cfg.retentionPolicy ?? '',
        timeoutMs: queryTimeoutMs,
      },
      style: 'token',
    };
  }
  if (cfg.username === undefined || cfg.password === undefined || !cfg.database) {
    throw new HubError(
      'HUB_ERR_CONFIG',
      'InfluxDB needs either a token with org and bucket (2.x/3.x) or a username, password and database (1.x)',
    );
  }
  const base = new InfluxDB({ url: cfg.url, timeout }).transport;
  const transport = new V1CompatTransport(base, {
    database: cfg.database,
    retentionPolicy: cfg.retentionPolicy ?? '',
    username: cfg.username,
    password: cfg.password,
  });
  return {
    client: new InfluxDB({ url: cfg.url, timeout, transport }),
    transport,
    writePath: v2WritePath('', cfg.database),
    org: '',
    bucket: cfg.database,
    query: {
      transport,
      database: cfg.database,
      retentionPolicy: cfg.retentionPolicy ?? '',
      timeoutMs: queryTimeoutMs,
    },
    style: 'v1',
  };
}

function v2WritePath(org: string, bucket: string): string {
  return `/api/v2/write?org=${encodeURIComponent(org)}&bucket=${encodeURIComponent(bucket)}&precision=ns`;
}

function isAuthError(err: unknown): boolean {
  return err instanceof HttpError && (err.statusCode === 401 || err.statusCode === 403);
}

/** Checks reachability, credentials and the database; creates the DBRP mapping or 1.x database if missing. */
export async function checkConnection(conn: InfluxConnection, url: string, logger: Logger): Promise<void> {
  try {
    await conn.transport.request('/ping', '', { method: 'GET' });
  } catch (err) {
    throw new HubError('HUB_ERR_STORE_UNREACHABLE', `InfluxDB at ${url} is unreachable: ${String(err)}`, {
      cause: err,
    });
  }
  try {
    if (conn.style === 'token') {
      await ensureDbrp(conn, logger);
      await runQuery(conn.query, 'SHOW MEASUREMENTS LIMIT 1');
    } else {
      // 1.x lists the databases this user may see; a missing one is created when the user may do so.
      const dbs = await runQuery(conn.query, 'SHOW DATABASES');
      if (!dbs.values.some((v) => v[0] === conn.query.database)) await createV1Database(conn, url, logger);
    }
  } catch (err) {
    if (isAuthError(err)) {
      throw new HubError(
        'HUB_ERR_STORE_UNAUTHORIZED',
        `InfluxDB at ${url} refused the credentials (${(err as HttpError).statusCode}): check the token or username/password`,
        { cause: err },
      );
    }
    if (err instanceof HubError) throw err;
    throw new HubError(
      'HUB_ERR_STORE_UNREACHABLE',
      `InfluxDB at ${url} failed the startup check: ${String(err)}`,
      {
        cause: err,
      },
    );
  }
}

async function createV1Database(conn: InfluxConnection, url: string, logger: Logger): Promise<void> {
  try {
    await runQuery(conn.query, `CREATE DATABASE ${quoteIdent(conn.query.database)}`);
    logger.info({ database: conn.query.database }, 'created InfluxDB database');
  } catch (err) {
    throw new HubError(
      'HUB_ERR_CONFIG',
      `InfluxDB database "${conn.query.database}" does not exist at ${url} and could not be created: ${String(err)}`,
      { cause: err },
    );
  }
}

interface BucketList {
  buckets?: Array<{ id: string; orgID: string; name: string }>;
}
interface DbrpList {
  content?: Array<{ database: string; retention_policy: string; bucketID: string }>;
}

/** InfluxDB 2.x serves InfluxQL only for databases mapped to a bucket: create that mapping once. */
async function ensureDbrp(conn: InfluxConnection, logger: Logger): Promise<void> {
  const q = new URLSearchParams({ org: conn.org, name: conn.bucket });
  const found = (await conn.transport.request(`/api/v2/buckets?${q}`, '', { method: 'GET' })) as BucketList;
  const bucket = found.buckets?.find((b) => b.name === conn.bucket);
  if (!bucket) {
    throw new HubError('HUB_ERR_CONFIG', `InfluxDB bucket "${conn.bucket}" not found in org "${conn.org}"`);
  }
  const rp = conn.query.retentionPolicy || 'autogen';
  const lq = new URLSearchParams({ orgID: bucket.orgID, db: conn.query.database });
  const existing = (await conn.transport.request(`/api/v2/dbrps?${lq}`, '', { method: 'GET' })) as DbrpList;
  if (existing.content?.some((m) => m.retention_policy === rp)) return;
  await conn.transport.request(
    '/api/v2/dbrps',
    {
      bucketID: bucket.id,
      orgID: bucket.orgID,
      database: conn.query.database,
      retention_policy: rp,
      default: true,
    },
    { method: 'POST', headers: { 'content-type': 'application/json' } },
  );
  logger.info({ database: conn.query.database, rp, bucket: conn.bucket }, 'created InfluxDB DBRP mapping');
}
