import {
  type DeviceKind,
  type DeviceStatus,
  type HealthState,
  isValidMetricName,
  type Metrics,
  type TransitionReason,
} from '@commune-hub/protocol';
import type Database from 'better-sqlite3';
import pino, { type Logger } from 'pino';
import { Counter } from 'prom-client';
import type { Migration } from '../db/migrate.ts';
import { openDatabase } from '../db/open.ts';
import type {
  HeartbeatOrder,
  HeartbeatRow,
  SeriesPoint,
  TimeRange,
  TimeSeriesStore,
  TransitionRow,
} from './types.ts';

export interface SqliteStoreOptions {
  dataDir: string;
  /** Raw heartbeats older than this are pruned by `prune()`. */
  retentionMs: number;
  /** Buffered rows are written at least this often. */
  flushIntervalMs?: number;
  /** A buffer this large is written at once, without waiting for the timer. */
  maxBatch?: number;
  /**
   * How long a failing batch is retried (kept in memory, every tick) before it is written row by row and
   * the rows that still fail are counted as lost (default 30 s: a full disk that someone frees in time
   * loses nothing; a row SQLite refuses on its own does not hold the rest back for ever).
   */
  retryForMs?: number;
  /** Wall clock for the retry bound; tests inject one. */
  now?: () => number;
  logger?: Logger;
}

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE series (
     id INTEGER PRIMARY KEY,
     device_id TEXT NOT NULL UNIQUE,
     kind TEXT NOT NULL,
     village TEXT NOT NULL
   );
   CREATE TABLE heartbeats (
     series_id INTEGER NOT NULL,
     ts INTEGER NOT NULL,
     seq INTEGER NOT NULL,
     received_at INTEGER NOT NULL,
     up REAL NOT NULL,
     st TEXT NOT NULL,
     m TEXT NOT NULL,
     faults TEXT NOT NULL,
     late INTEGER NOT NULL,
     PRIMARY KEY (series_id, ts, seq)
   ) WITHOUT ROWID;
   CREATE TABLE transitions (
     series_id INTEGER NOT NULL,
     at INTEGER NOT NULL,
     from_status TEXT NOT NULL,
     to_status TEXT NOT NULL,
     reason TEXT NOT NULL
   );
   CREATE INDEX transitions_series_at ON transitions(series_id, at);`,
];

/**
 * Step 2 of `timeseries.db` (issue 14): the home feed reads every device's transitions newest first over
 * a time range; without an index on `at` that was a scan of the whole table on every GET /api/feed.
 */
const FEED_INDEX_MIGRATIONS: readonly Migration[] = [
  { version: 2, owner: 'store', up: 'CREATE INDEX IF NOT EXISTS transitions_at ON transitions(at)' },
];

/** The store's steps of `timeseries.db`, run by the hub's one migrator. Append; never edit a shipped one. */
const STORE_MIGRATIONS: readonly Migration[] = [
  ...MIGRATIONS.map((up, i) => ({ version: i + 1, owner: 'store', up })),
  ...FEED_INDEX_MIGRATIONS,
];

interface HeartbeatDbRow {
  ts: number;
  seq: number;
  received_at: number;
  up: number;
  st: HealthState;
  m: string;
  faults: string;
  late: number;
}

/**
 * The embedded default: one SQLite file (`timeseries.db`, WAL) beside the registry, so a commune's
 * mini PC needs no database server. Writes are buffered and committed in one transaction per batch.
 * A heartbeat is identified by (device, ts, seq): a QoS 1 redelivery or a replay is stored once.
 */
export class SqliteTimeSeriesStore implements TimeSeriesStore {
  readonly name = 'sqlite';
  private db: Database.Database | undefined;
  private hbBuffer: HeartbeatRow[] = [];
  private trBuffer: TransitionRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly seriesIds = new Map<string, { id: number; kind: string; village: string }>();
  private stmts: ReturnType<SqliteTimeSeriesStore['prepare']> | undefined;
  /** When the commits of what is buffered now started failing. */
  private failingSince: number | undefined;
  /** Undo steps for the in-memory series map while a transaction runs: it changes only if the commit does. */
  private undo: Array<() => void> | undefined;
  private readonly log: Logger;
  readonly lostRows = new Counter({
    name: 'hub_store_lost_rows_total',
    help: 'Rows the embedded store could not commit after every retry (logged), by kind',
    labelNames: ['kind'] as const,
    registers: [],
  });
  readonly commitFailures = new Counter({
    name: 'hub_store_sqlite_commit_failures_total',
    help: 'Failed commits of the embedded store (the batch is kept and retried)',
    registers: [],
  });

  constructor(private readonly options: SqliteStoreOptions) {
    this.log = (options.logger ?? pino({ level: 'silent' })).child({ module: 'store.sqlite' });
  }

  /** Lost rows and failed commits: the hub registers these on /metrics. */
  metrics() {
    return { lostRows: this.lostRows, commitFailures: this.commitFailures };
  }

  async open(): Promise<void> {
    // The hub's one migrator (../db): same schema_version bookkeeping as before, so old files open as they are.
    const db = openDatabase(this.options.dataDir, 'timeseries.db', [STORE_MIGRATIONS]);
    this.db = db;
    this.stmts = this.prepare(db);
    for (const s of db.prepare('SELECT id, device_id, kind, village FROM series').all() as Array<{
      id: number;
      device_id: string;
      kind: string;
      village: string;
    }>) {
      this.seriesIds.set(s.device_id, { id: s.id, kind: s.kind, village: s.village });
    }
    // Rows nobody waits for (QoS 0, transitions) are committed by this timer; acknowledged ones by commit().
    this.timer = setInterval(() => this.writeBufferedLogged(), this.options.flushIntervalMs ?? 200);
    this.timer.unref();
  }

  private prepare(db: Database.Database) {
    return {
      insertSeries: db.prepare('INSERT INTO series (device_id, kind, village) VALUES (?, ?, ?)'),
      updateSeries: db.prepare('UPDATE series SET kind = ?, village = ? WHERE id = ?'),
      insertHb: db.prepare(
        'INSERT OR IGNORE INTO heartbeats (series_id, ts, seq, received_at, up, st, m, faults, late) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      insertTr: db.prepare(
        'INSERT INTO transitions (series_id, at, from_status, to_status, reason) VALUES (?, ?, ?, ?, ?)',
      ),
      heartbeats: db.prepare(
        'SELECT ts, seq, received_at, up, st, m, faults, late FROM heartbeats WHERE series_id = ? AND ts >= ? AND ts < ? ORDER BY ts, seq LIMIT ?',
      ),
      heartbeatsNewest: db.prepare(
        'SELECT ts, seq, received_at, up, st, m, faults, late FROM heartbeats WHERE series_id = ? AND ts >= ? AND ts < ? ORDER BY ts DESC, seq DESC LIMIT ?',
      ),
      transitions: db.prepare(
        'SELECT at, from_status, to_status, reason FROM transitions WHERE series_id = ? AND at >= ? AND at < ? ORDER BY at, rowid',
      ),
      recentTransitions: db.prepare(
        `SELECT s.device_id, s.kind, s.village, t.at, t.from_status, t.to_status, t.reason
           FROM transitions t JOIN series s ON s.id = t.series_id
          WHERE t.at >= ? AND t.at < ? ORDER BY t.at DESC, t.rowid DESC LIMIT ?`,
      ),
      // The same walk without a cut: a scoped caller's rows are filtered as they come (index on `at`).
      recentTransitionsAll: db.prepare(
        `SELECT s.device_id, s.kind, s.village, t.at, t.from_status, t.to_status, t.reason
           FROM transitions t JOIN series s ON s.id = t.series_id
          WHERE t.at >= ? AND t.at < ? ORDER BY t.at DESC, t.rowid DESC`,
      ),
      // Numbers bind as REAL in better-sqlite3: cast, or the bucket division is not an integer one.
      series: db.prepare(
        `SELECT (ts - CAST(? AS INTEGER)) / CAST(? AS INTEGER) AS b, AVG(v) AS avg, MIN(v) AS min, MAX(v) AS max, COUNT(v) AS count FROM (
           SELECT ts, json_extract(m, ?) AS v FROM heartbeats WHERE series_id = ? AND ts >= ? AND ts < ?
         ) WHERE typeof(v) IN ('integer', 'real') GROUP BY b ORDER BY b`,
      ),
      prune: db.prepare('DELETE FROM heartbeats WHERE ts < ?'),
    };
  }

  private get s() {
    if (!this.stmts) throw new Error('sqlite store is not open');
    return this.stmts;
  }

  private seriesId(deviceId: string, kind: DeviceKind, village: string): number {
    const known = this.seriesIds.get(deviceId);
    if (known) {
      if (known.kind !== kind || known.village !== village) {
        this.s.updateSeries.run(kind, village, known.id);
        const before = { kind: known.kind, village: known.village };
        this.undo?.push(() => Object.assign(known, before));
        known.kind = kind;
        known.village = village;
      }
      return known.id;
    }
    const id = Number(this.s.insertSeries.run(deviceId, kind, village).lastInsertRowid);
    this.seriesIds.set(deviceId, { id, kind, village });
    this.undo?.push(() => this.seriesIds.delete(deviceId));
    return id;
  }

  writeHeartbeats(rows: readonly HeartbeatRow[]): void {
    for (const row of rows) this.hbBuffer.push(row);
    if (this.hbBuffer.length >= (this.options.maxBatch ?? 5000)) this.writeBufferedLogged();
  }

  writeTransitions(rows: readonly TransitionRow[]): void {
    for (const row of rows) this.trBuffer.push(row);
  }

  /** For timers and size triggers: a failure is logged and counted there, never thrown into a timer. */
  private writeBufferedLogged(): void {
    try {
      this.writeBuffered();
    } catch {
      // writeBuffered logged it and kept the batch for the next attempt.
    }
  }

  /**
   * Commits every buffered row in one transaction. On failure the batch goes back in front of the buffer
   * and this throws; once commits have failed for `retryForMs` the batch is written row by row, each in its
   * own transaction, so only rows that fail on their own are lost (counted and logged).
   */
  private writeBuffered(): void {
    if (!this.db || (this.hbBuffer.length === 0 && this.trBuffer.length === 0)) return;
    const heartbeats = this.hbBuffer;
    const transitions = this.trBuffer;
    this.hbBuffer = [];
    this.trBuffer = [];
    try {
      this.transaction(() => {
        for (const r of heartbeats) this.insertHeartbeat(r);
        for (const t of transitions) this.insertTransition(t);
      });
      this.failingSince = undefined;
    } catch (err) {
      this.commitFailures.inc();
      const now = (this.options.now ?? Date.now)();
      this.failingSince ??= now;
      const failingMs = now - this.failingSince;
      if (failingMs < (this.options.retryForMs ?? 30_000)) {
        this.hbBuffer = heartbeats.concat(this.hbBuffer);
        this.trBuffer = transitions.concat(this.trBuffer);
        this.log.error(
          { err, heartbeats: heartbeats.length, transitions: transitions.length, failingMs },
          'embedded store: commit failed; the batch is kept and retried',
        );
      } else {
        this.failingSince = undefined;
        this.salvage(heartbeats, transitions, err);
      }
      throw err;
    }
  }

  /** The last attempt: row by row, so one poisoned row does not take its batch with it. */
  private salvage(
    heartbeats: readonly HeartbeatRow[],
    transitions: readonly TransitionRow[],
    cause: unknown,
  ) {
    let lostHb = 0;
    let lostTr = 0;
    let lastErr: unknown = cause;
    for (const r of heartbeats) {
      try {
        this.transaction(() => this.insertHeartbeat(r));
      } catch (err) {
        lostHb++;
        lastErr = err;
      }
    }
    for (const t of transitions) {
      try {
        this.transaction(() => this.insertTransition(t));
      } catch (err) {
        lostTr++;
        lastErr = err;
      }
    }
    if (lostHb > 0) this.lostRows.inc({ kind: 'heartbeat' }, lostHb);
    if (lostTr > 0) this.lostRows.inc({ kind: 'transition' }, lostTr);
    this.log.error(
      {
        err: lastErr,
        lostHeartbeats: lostHb,
        lostTransitions: lostTr,
        saved: heartbeats.length + transitions.length - lostHb - lostTr,
      },
      'embedded store: commit kept failing; wrote the batch row by row and lost the rows that still failed',
    );
  }

  /** One transaction; on rollback the series map is put back as it was. */
  private transaction(body: () => void): void {
    const undo: Array<() => void> = [];
    this.undo = undo;
    try {
      this.db!.transaction(body)();
    } catch (err) {
      for (const step of undo.reverse()) step();
      throw err;
    } finally {
      this.undo = undefined;
    }
  }

  private insertHeartbeat(r: HeartbeatRow): void {
    this.s.insertHb.run(
      this.seriesId(r.deviceId, r.kind, r.village),
      r.ts,
      r.seq,
      r.receivedAt,
      r.up,
      r.st,
      JSON.stringify(r.m),
      JSON.stringify(r.faults),
      r.late ? 1 : 0,
    );
  }

  private insertTransition(t: TransitionRow): void {
    this.s.insertTr.run(this.seriesId(t.deviceId, t.kind, t.village), t.at, t.from, t.to, t.reason);
  }

  async commit(): Promise<void> {
    this.writeBuffered();
  }

  async flush(): Promise<void> {
    this.writeBuffered();
  }

  async heartbeats(
    deviceId: string,
    range: TimeRange,
    limit: number,
    order: HeartbeatOrder = 'asc',
  ): Promise<HeartbeatRow[]> {
    const series = this.seriesIds.get(deviceId);
    if (!series) return [];
    const stmt = order === 'desc' ? this.s.heartbeatsNewest : this.s.heartbeats;
    const rows = stmt.all(series.id, range.from, range.to, limit) as HeartbeatDbRow[];
    return rows.map((r) => ({
      deviceId,
      kind: series.kind as DeviceKind,
      village: series.village,
      ts: r.ts,
      receivedAt: r.received_at,
      seq: r.seq,
      up: r.up,
      st: r.st,
      m: JSON.parse(r.m) as Metrics,
      faults: JSON.parse(r.faults) as string[],
      late: r.late === 1,
    }));
  }

  async transitions(deviceId: string, range: TimeRange): Promise<TransitionRow[]> {
    const series = this.seriesIds.get(deviceId);
    if (!series) return [];
    const rows = this.s.transitions.all(series.id, range.from, range.to) as Array<{
      at: number;
      from_status: DeviceStatus;
      to_status: DeviceStatus;
      reason: TransitionReason;
    }>;
    return rows.map((r) => ({
      deviceId,
      kind: series.kind as DeviceKind,
      village: series.village,
      at: r.at,
      from: r.from_status,
      to: r.to_status,
      reason: r.reason,
    }));
  }

  async recentTransitions(
    range: TimeRange,
    limit: number,
    accept?: (row: TransitionRow) => boolean,
  ): Promise<TransitionRow[]> {
    type Row = {
      device_id: string;
      kind: DeviceKind;
      village: string;
      at: number;
      from_status: DeviceStatus;
      to_status: DeviceStatus;
      reason: TransitionReason;
    };
    const toRow = (r: Row): TransitionRow => ({
      deviceId: r.device_id,
      kind: r.kind,
      village: r.village,
      at: r.at,
      from: r.from_status,
      to: r.to_status,
      reason: r.reason,
    });
    const n = Math.max(0, Math.floor(limit));
    if (!accept) return (this.s.recentTransitions.all(range.from, range.to, n) as Row[]).map(toRow);
    // Filter while walking newest first, and stop once the page is full (leaving the loop closes the cursor).
    const out: TransitionRow[] = [];
    if (n === 0) return out;
    for (const r of this.s.recentTransitionsAll.iterate(range.from, range.to) as IterableIterator<Row>) {
      const row = toRow(r);
      if (!accept(row)) continue;
      out.push(row);
      if (out.length >= n) break;
    }
    return out;
  }

  async metricSeries(
    deviceId: string,
    metric: string,
    range: TimeRange,
    stepMs: number,
  ): Promise<SeriesPoint[]> {
    const series = this.seriesIds.get(deviceId);
    if (!series || !isValidMetricName(metric)) return [];
    const step = Math.max(1, Math.floor(stepMs));
    const rows = this.s.series.all(
      range.from,
      step,
      `$.${metric}`,
      series.id,
      range.from,
      range.to,
    ) as Array<{
      b: number;
      avg: number;
      min: number;
      max: number;
      count: number;
    }>;
    return rows.map((r) => ({
      t: range.from + r.b * step,
      avg: r.avg,
      min: r.min,
      max: r.max,
      count: r.count,
    }));
  }

  async prune(now: number): Promise<number> {
    this.writeBufferedLogged();
    return this.s.prune.run(now - this.options.retentionMs).changes;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    // One last try; if it fails there is no later one: row by row, and what still fails is counted as lost.
    this.writeBufferedLogged();
    if (this.db && this.hbBuffer.length + this.trBuffer.length > 0) {
      const heartbeats = this.hbBuffer;
      const transitions = this.trBuffer;
      this.hbBuffer = [];
      this.trBuffer = [];
      this.salvage(heartbeats, transitions, new Error('closing with uncommitted rows'));
    }
    this.db?.close();
    this.db = undefined;
    this.stmts = undefined;
  }
}
