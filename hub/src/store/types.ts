import type { DeviceKind, DeviceStatus, HealthState, Metrics, TransitionReason } from '@commune-hub/protocol';
import type { Metric } from 'prom-client';

/** One heartbeat as stored. Times are epoch milliseconds. Tags travel with the row so any store can index by them. */
export interface HeartbeatRow {
  deviceId: string;
  kind: DeviceKind;
  village: string;
  /** Device timestamp. */
  ts: number;
  /** Hub receive time. */
  receivedAt: number;
  seq: number;
  up: number;
  st: HealthState;
  m: Metrics;
  faults: string[];
  /** Arrived from an agent's buffer after the device was already heard more recently: history only. */
  late: boolean;
}

export interface TransitionRow {
  deviceId: string;
  kind: DeviceKind;
  village: string;
  at: number;
  from: DeviceStatus;
  to: DeviceStatus;
  reason: TransitionReason;
}

export interface TimeRange {
  /** Inclusive, epoch ms. */
  from: number;
  /** Exclusive, epoch ms. */
  to: number;
}

/** `asc`: oldest first (the default); `desc`: newest first, so `limit` keeps the newest rows. */
export type HeartbeatOrder = 'asc' | 'desc';

export interface SeriesPoint {
  /** Start of the bucket, epoch ms. */
  t: number;
  avg: number;
  min: number;
  max: number;
  count: number;
}

/**
 * Where heartbeats and transitions live. Two implementations (embedded SQLite, InfluxDB) pass one
 * contract suite. Writes may be buffered: `flush()` makes everything written so far readable.
 */
export interface TimeSeriesStore {
  readonly name: string;
  /** Opens files / checks the server; throws a HubError with a clear message when unusable. */
  open(): Promise<void>;
  writeHeartbeats(rows: readonly HeartbeatRow[]): void;
  writeTransitions(rows: readonly TransitionRow[]): void;
  flush(): Promise<void>;
  /**
   * Makes every row written so far durable, or rejects: the group commit (./group-commit.ts) awaits this
   * before releasing QoS 1 acknowledgements. SQLite: committed (WAL). InfluxDB: accepted by the server, or
   * appended to the on-disk spool and fsynced. Unlike `flush()` it does not wait for an outage to end.
   */
  commit(): Promise<void>;
  /** Heartbeats of one device with from <= ts < to, at most `limit`, oldest first unless `order` is 'desc'. */
  heartbeats(
    deviceId: string,
    range: TimeRange,
    limit: number,
    order?: HeartbeatOrder,
  ): Promise<HeartbeatRow[]>;
  /** Transitions of one device with from <= at < to, oldest first. */
  transitions(deviceId: string, range: TimeRange): Promise<TransitionRow[]>;
  /**
   * Transitions of every device with from <= at < to, newest first, at most `limit` (the home page's feed).
   * `accept` (a caller's commune scope) is applied before the cut, so a scoped caller still gets a full page.
   */
  recentTransitions(
    range: TimeRange,
    limit: number,
    accept?: (row: TransitionRow) => boolean,
  ): Promise<TransitionRow[]>;
  /** A numeric metric downsampled into buckets of `stepMs` (empty buckets omitted). */
  metricSeries(deviceId: string, metric: string, range: TimeRange, stepMs: number): Promise<SeriesPoint[]>;
  /** Drops raw data older than the configured retention; returns rows removed. */
  prune(now: number): Promise<number>;
  /** The store's own prom-client metrics (not registered anywhere): the hub registers them on /metrics. */
  metrics(): Record<string, Metric>;
  close(): Promise<void>;
}
