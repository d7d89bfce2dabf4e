import type { DeviceKind, DeviceStatus, HealthState, Metrics, TransitionReason } from '@commune-hub/protocol';

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
  /** Heartbeats of one device with from <= ts < to, oldest first, at most `limit`. */
  heartbeats(deviceId: string, range: TimeRange, limit: number): Promise<HeartbeatRow[]>;
  /** Device timestamps only, oldest first: what uptime needs. */
  heartbeatTimes(deviceId: string, range: TimeRange): Promise<number[]>;
  /** Transitions of one device with from <= at < to, oldest first. */
  transitions(deviceId: string, range: TimeRange): Promise<TransitionRow[]>;
  /** A numeric metric downsampled into buckets of `stepMs` (empty buckets omitted). */
  metricSeries(deviceId: string, metric: string, range: TimeRange, stepMs: number): Promise<SeriesPoint[]>;
  /** Drops raw data older than the configured retention; returns rows removed. */
  prune(now: number): Promise<number>;
  close(): Promise<void>;
}
