import type { Metrics } from '@commune-hub/protocol';

/** What one probe saw: metrics to merge into the heartbeat, and fault codes that make it `degraded`. */
export interface ProbeResult {
  metrics: Metrics;
  faults: string[];
}

export interface Probe {
  /** Short name, used in logs, in `meta.capabilities` and in the fault a failing probe reports. */
  readonly name: string;
  collect(): Promise<ProbeResult>;
}

/** Metric keys must match the protocol's `^[a-zA-Z][a-zA-Z0-9_]{0,63}$`: process names often do not. */
export function metricKey(prefix: string, name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_]/g, '_');
  return `${prefix}${cleaned}`.slice(0, 64);
}
