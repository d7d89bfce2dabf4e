/** The IPC conversation between the bench (parent) and a load-generator worker process. */

export interface DeviceCredential {
  id: string;
  secret: string;
}

export interface ConnectCommand {
  type: 'connect';
  host: string;
  port: number;
  devices: DeviceCredential[];
  /** Source addresses (127.0.0.x) spread round-robin over the connections. */
  localAddresses: string[];
  keepaliveS: number;
  /** Connections opened at once; more only overflows the listen backlog. */
  concurrency: number;
  connectTimeoutMs: number;
}

/** Every device publishes one heartbeat each `intervalMs` (phases spread evenly) for `durationMs`. */
export interface RateCommand {
  type: 'rate';
  intervalMs: number;
  durationMs: number;
}

/** Closed loop: keep `window` heartbeats unacknowledged at all times, round-robin over the devices. */
export interface SaturateCommand {
  type: 'saturate';
  window: number;
  durationMs: number;
}

export interface DisconnectCommand {
  type: 'disconnect';
}

export type WorkerCommand = ConnectCommand | RateCommand | SaturateCommand | DisconnectCommand;

export interface ConnectedReport {
  type: 'connected';
  connected: number;
  failed: number;
  firstError?: string;
  ms: number;
}

/** What one run (rate or saturation phase) totals to, per worker or summed over the pool. */
export interface RunTotals {
  sent: number;
  acked: number;
  /** Publishes whose PUBACK never came (or errored) before the phase ended plus a short drain. */
  unacked: number;
  errors: number;
  firstError?: string;
  /** Sample of publish→PUBACK times (ms). */
  ackMs: number[];
  ms: number;
}

export interface RunReport extends RunTotals {
  type: 'ran';
}

export interface DisconnectedReport {
  type: 'disconnected';
}

export type WorkerReport = ConnectedReport | RunReport | DisconnectedReport;
