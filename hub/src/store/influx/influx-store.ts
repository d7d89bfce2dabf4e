import path from 'node:path';
import { isValidMetricName } from '@commune-hub/protocol';
import type { WriteApi } from '@influxdata/influxdb-client';
import pino, { type Logger } from 'pino';
import { DiskSpool, type SpoolMetrics } from '../spool.ts';
import type {
  HeartbeatOrder,
  HeartbeatRow,
  SeriesPoint,
  TimeRange,
  TimeSeriesStore,
  TransitionRow,
} from '../types.ts';
import {
  checkConnection,
  createConnection,
  type InfluxConnection,
  type InfluxConnectionConfig,
} from './connect.ts';
import { msTime, quoteIdent, quoteLiteral, runQuery } from './influxql.ts';
import {
  HEARTBEAT_MEASUREMENT,
  heartbeatPoint,
  metricField,
  parseHeartbeats,
  parseTransitions,
  TRANSITION_MEASUREMENT,
  transitionPoint,
} from './schema.ts';
import { InfluxWriter } from './writer.ts';

export interface InfluxStoreOptions extends InfluxConnectionConfig {
  /** Raw heartbeats older than this are removed by prune(); the bucket's own retention may be shorter. */
  retentionMs: number;
  /** The spool lives in `<dataDir>/influx-spool`. */
  dataDir: string;
  /** Bound of the on-disk outage spool (default 256 MiB: ~40 min of 500 heartbeats/s). */
  spoolMaxBytes?: number;
  /** Lines per write request (default 5000). */
  batchSize?: number;
  /** Buffered lines are sent at least this often, ms (default 1000). */
  flushIntervalMs?: number;
  /** First delay of spool replay after a failure, doubling up to 30 s (default 1000). */
  replayMinMs?: number;
  logger?: Logger;
}

// InfluxDB stores int64 nanoseconds: 1677-09-21 .. 2262-04-11.
const MIN_MS = -9_223_372_036_854;
const MAX_MS = 9_223_372_036_854;

function clampMs(ms: number): number {
  return Math.min(MAX_MS, Math.max(MIN_MS, Math.trunc(ms)));
}

/**
 * TimeSeriesStore on InfluxDB (1.x, 2.x, 3.x). Writes: line protocol from the client's Point API through
 * its WriteApi, with an on-disk spool for outages. Reads: InfluxQL over `/query`. Schema: ./schema.ts.
 */
export class InfluxTimeSeriesStore implements TimeSeriesStore {
  readonly name = 'influx';
  private conn: InfluxConnection | undefined;
  private writer: InfluxWriter | undefined;
  private writeApi: WriteApi | undefined;
  private readonly spool: DiskSpool;
  private readonly log: Logger;
  private transitionCounter = 0;
  private fieldTypes = new Map<string, string>();

  constructor(private readonly options: InfluxStoreOptions) {
    this.log = (options.logger ?? pino({ level: 'silent' })).child({ module: 'store.influx' });
    this.spool = new DiskSpool({
      dir: path.join(options.dataDir, 'influx-spool'),
      maxBytes: options.spoolMaxBytes ?? 256 * 1024 * 1024,
      logger: this.log,
    });
  }

  /** Spool depth, spool bytes, dropped and rejected lines: the hub registers these on /metrics. */
  metrics(): SpoolMetrics & { rejectedLines: InfluxWriter['rejectedLines'] } {
    if (!this.writer) throw new Error('influx store is not open');
    return { ...this.spool.metrics, rejectedLines: this.writer.rejectedLines };
  }

  /** Lines waiting in the outage spool. */
  get spooledLines(): number {
    return this.spool.depth;
  }

  /** Lines dropped from the spool because of its bound. */
  get droppedLines(): number {
    return this.spool.dropped;
  }

  async open(): Promise<void> {
    const conn = createConnection(this.options);
    await checkConnection(conn, this.options.url, this.log);
    this.spool.open();
    const batchSize = this.options.batchSize ?? 5000;
    // Only its line-protocol serializer is used (Point.toLineProtocol); InfluxWriter sends the lines itself.
    const writeApi = conn.client.getWriteApi(conn.org, conn.bucket, 'ns', { flushInterval: 0 });
    const writer = new InfluxWriter({
      transport: conn.transport,
      writePath: conn.writePath,
      spool: this.spool,
      logger: this.log,
      batchSize,
      flushIntervalMs: this.options.flushIntervalMs ?? 1000,
      replayMinMs: this.options.replayMinMs ?? 1000,
      replayMaxMs: 30_000,
    });
    writer.start();
    this.conn = conn;
    this.writeApi = writeApi;
    this.writer = writer;
  }

  private get w(): InfluxWriter {
    if (!this.writer || !this.writeApi) throw new Error('influx store is not open');
    return this.writer;
  }

  writeHeartbeats(rows: readonly HeartbeatRow[]): void {
    const w = this.w;
    const lines: string[] = [];
    for (const row of rows) {
      const line = heartbeatPoint(row).toLineProtocol(this.writeApi);
      if (line) lines.push(line);
    }
    w.write(lines);
  }

  writeTransitions(rows: readonly TransitionRow[]): void {
    const w = this.w;
    const lines: string[] = [];
    for (const row of rows) {
      const line = transitionPoint(row, this.transitionCounter++).toLineProtocol(this.writeApi);
      if (line) lines.push(line);
    }
    w.write(lines);
  }

  flush(): Promise<void> {
    return this.w.flush();
  }

  commit(): Promise<void> {
    return this.w.commit();
  }

  private query(statement: string) {
    if (!this.conn) throw new Error('influx store is not open');
    return runQuery(this.conn.query, statement);
  }

  private where(deviceId: string, range: TimeRange): string {
    return `"device" = ${quoteLiteral(deviceId)} AND time >= ${msTime(clampMs(range.from))} AND time < ${msTime(clampMs(range.to))}`;
  }

  async heartbeats(
    deviceId: string,
    range: TimeRange,
    limit: number,
    order: HeartbeatOrder = 'asc',
  ): Promise<HeartbeatRow[]> {
    if (range.to <= range.from || limit <= 0) return [];
    const n = Math.floor(limit);
    const direction = order === 'desc' ? 'DESC' : 'ASC';
    const table = await this.query(
      `SELECT * FROM ${quoteIdent(HEARTBEAT_MEASUREMENT)} WHERE ${this.where(deviceId, range)} ORDER BY time ${direction} LIMIT ${n}`,
    );
    return parseHeartbeats(table);
  }

  async transitions(deviceId: string, range: TimeRange): Promise<TransitionRow[]> {
    if (range.to <= range.from) return [];
    const table = await this.query(
      `SELECT * FROM ${quoteIdent(TRANSITION_MEASUREMENT)} WHERE ${this.where(deviceId, range)} ORDER BY time ASC`,
    );
    return parseTransitions(table);
  }

  async recentTransitions(
    range: TimeRange,
    limit: number,
    accept?: (row: TransitionRow) => boolean,
  ): Promise<TransitionRow[]> {
    if (range.to <= range.from || limit <= 0) return [];
    const n = Math.floor(limit);
    const base = `SELECT * FROM ${quoteIdent(TRANSITION_MEASUREMENT)} WHERE time >= ${msTime(clampMs(range.from))} AND time < ${msTime(clampMs(range.to))} ORDER BY time DESC`;
    if (!accept) return parseTransitions(await this.query(`${base} LIMIT ${n}`));
    // A scoped caller: pages of the newest rows, filtered, until the page is full or the range is read.
    const page = Math.max(n * 4, 500);
    const out: TransitionRow[] = [];
    for (let offset = 0; ; offset += page) {
      const rows = parseTransitions(await this.query(`${base} LIMIT ${page} OFFSET ${offset}`));
      for (const row of rows) {
        if (!accept(row)) continue;
        out.push(row);
        if (out.length >= n) return out;
      }
      if (rows.length < page) return out;
    }
  }

  /** Field type as InfluxDB reports it (float, integer, string, boolean), or undefined if never written. */
  private async fieldType(field: string): Promise<string | undefined> {
    if (!this.fieldTypes.has(field)) {
      const table = await this.query(`SHOW FIELD KEYS FROM ${quoteIdent(HEARTBEAT_MEASUREMENT)}`);
      this.fieldTypes = new Map(table.values.map((v) => [String(v[0]), String(v[1])]));
    }
    return this.fieldTypes.get(field);
  }

  async metricSeries(
    deviceId: string,
    metric: string,
    range: TimeRange,
    stepMs: number,
  ): Promise<SeriesPoint[]> {
    if (!isValidMetricName(metric) || range.to <= range.from) return [];
    const field = metricField(metric);
    const type = await this.fieldType(field);
    // Only numbers are charted (metrics are numbers, booleans or strings: InfluxQL averages numbers only).
    if (type !== 'float' && type !== 'integer') return [];
    const step = Math.max(1, Math.floor(stepMs));
    // Buckets start at range.from (like the embedded store), not at the epoch: offset the grid.
    const from = clampMs(range.from);
    const offset = ((from % step) + step) % step;
    const f = quoteIdent(field);
    const table = await this.query(
      `SELECT mean(${f}) AS "avg", min(${f}) AS "min", max(${f}) AS "max", count(${f}) AS "count" ` +
        `FROM ${quoteIdent(HEARTBEAT_MEASUREMENT)} WHERE ${this.where(deviceId, range)} ` +
        `GROUP BY time(${step}ms, ${offset}ms) fill(none)`,
    );
    const idx = (c: string) => table.columns.indexOf(c);
    return table.values.map((v) => ({
      t: Number(v[idx('time')]),
      avg: Number(v[idx('avg')]),
      min: Number(v[idx('min')]),
      max: Number(v[idx('max')]),
      count: Number(v[idx('count')]),
    }));
  }

  /**
   * Deletes raw heartbeats older than `now - retentionMs` and returns how many. On InfluxDB the bucket's
   * (retention policy's) own duration is the usual mechanism; this keeps both stores' contract identical.
   */
  async prune(now: number): Promise<number> {
    if (!this.conn) throw new Error('influx store is not open');
    await this.flush();
    const cutoff = msTime(clampMs(now - this.options.retentionMs));
    const m = quoteIdent(HEARTBEAT_MEASUREMENT);
    const counted = await this.query(`SELECT count("seq") FROM ${m} WHERE time < ${cutoff}`);
    const removed = Number(counted.values[0]?.[1] ?? 0);
    if (removed === 0) return 0;
    if (this.conn.style === 'v1') {
      await this.query(`DELETE FROM ${m} WHERE time < ${cutoff}`);
    } else {
      // 2.x's InfluxQL endpoint only reads; its delete API takes RFC 3339 bounds and a predicate.
      const q = new URLSearchParams({ org: this.conn.org, bucket: this.conn.bucket });
      await this.conn.transport.request(
        `/api/v2/delete?${q}`,
        {
          start: '1970-01-01T00:00:00Z',
          stop: new Date(clampMs(now - this.options.retentionMs)).toISOString(),
          predicate: `_measurement="${HEARTBEAT_MEASUREMENT}"`,
        },
        { method: 'POST', headers: { 'content-type': 'application/json' } },
      );
    }
    return removed;
  }

  async close(): Promise<void> {
    const writer = this.writer;
    this.writer = undefined;
    this.conn = undefined;
    if (writer) await writer.close();
    this.writeApi?.dispose();
    this.writeApi = undefined;
  }
}
