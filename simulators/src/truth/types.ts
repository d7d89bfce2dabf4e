import type { DeviceKind } from '@commune-hub/protocol';
import type { FaultSpan, Segment } from '../timeline/generate.ts';

/**
 * The ground-truth file of a run: what really happened to every device, and which time the heartbeats
 * it really sent vouch for under the hub's uptime model. All times are epoch milliseconds.
 *
 * Uptime model (the hub's, DESIGN.md "Liveness"): a heartbeat with device timestamp t vouches for
 * [t, t + graceFactor × intervalS), cut short by an explicit offline (last will, dropped connection,
 * retained `offline`). `coverage` is the union of those spans: what the hub should count as up.
 */
export interface TruthDevice {
  id: string;
  kind: DeviceKind;
  villageId: string;
  village: string;
  siteId?: string;
  /** Interval the device was provisioned with (seconds, already divided by speed). */
  intervalS: number;
  clockOffsetMs: number;
  clockPpm: number;
  /** Gap-free list over [from, to): up (incl. degraded), down (with cause), maintenance. */
  segments: Segment[];
  /** Component faults and time on battery (the device was up but degraded). */
  faults: FaultSpan[];
  /** Disjoint, sorted [from, to) spans, in the device's clock, that sent heartbeats vouch for. */
  coverage: [number, number][];
  heartbeats: number;
}

export interface Truth {
  version: 1;
  scenario: string;
  commune: string;
  seed: number | string;
  mode: 'live' | 'backfill' | 'plan';
  from: number;
  to: number;
  speed: number;
  graceFactor: number;
  powerCuts: { villageId: string; from: number; to: number }[];
  devices: TruthDevice[];
}
