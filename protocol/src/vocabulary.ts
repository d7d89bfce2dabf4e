/**
 * Codes a device may put in its heartbeat that no schema enumerates (metric names and fault codes are
 * free-form in the wire format), listed here so the dashboard can be checked to label every one of them.
 * The suggested metrics per kind are the ones protocol/README.md documents; faults are the component
 * faults the agents and simulators report while a device stays up (`st: degraded`).
 */

/** Component faults reported in heartbeat `faults` (besides the probe faults, PROBE_FAULTS). */
export const DEVICE_FAULTS = [
  'amplifier_fault',
  'amp_overheat',
  'stream_lost',
  'disk_full',
  'printer_jam',
  'on_battery',
  'portal_unreachable',
] as const;
export type DeviceFault = (typeof DEVICE_FAULTS)[number];

/** Metric names protocol/README.md suggests, per kind (heartbeat `m`). */
export const SUGGESTED_METRICS = {
  loudspeaker: ['signal', 'amplifierOk', 'volume', 'playing', 'powerSource', 'battery', 'temperature'],
  wifi: ['clients', 'uplinkLatencyMs', 'uplinkLossPct', 'rxKbps', 'txKbps'],
  camera: ['streamOk', 'fps', 'bitrateKbps', 'recording', 'storageFreePct'],
  machine: ['cpuPct', 'memPct', 'diskPct', 'appRunning', 'printerOk', 'antivirusOk', 'portalLatencyMs'],
  conference: ['registered', 'inCall', 'callQuality'],
} as const;

/** Every suggested metric name, once. */
export const DEVICE_METRICS: readonly string[] = [...new Set(Object.values(SUGGESTED_METRICS).flat())];

/** String values a suggested metric takes (others are numbers or booleans). */
export const METRIC_STRING_VALUES = {
  powerSource: ['mains', 'battery', 'solar'],
} as const;
