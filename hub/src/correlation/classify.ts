import type { DeviceKind } from '@commune-hub/protocol';

/**
 * Village outage classifier: from the devices of one village, which went down together and which are on
 * battery, tell a power cut from a network cut from lone device failures. Pure (no clock, no I/O): the
 * alert engine and the dashboard both call it with the state they hold.
 *
 * Why these rules: a power cut takes every mains device of a village down within a short window, while
 * loudspeaker clusters with a battery keep reporting `powerSource: battery` first (so battery is the
 * strongest evidence). A gateway/uplink failure silences only the devices behind it, and the gateway
 * itself is among them. One device going down alone is that device's problem.
 */

export interface VillageDeviceState {
  id: string;
  kind: DeviceKind;
  /** The registered parent (gateway) this device publishes through, if any. */
  parentId: string | null;
  /** Offline now (not maintenance: a device in maintenance is neither down nor evidence). */
  down: boolean;
  /** When it went offline (hub time), null when up. */
  downAt: number | null;
  /** Its newest heartbeat said `powerSource: battery` (and it is still up). */
  onBattery: boolean;
}

export interface ClassifyOptions {
  /** Devices that dropped within this many ms of each other dropped "together". */
  windowMs: number;
  /** A mass drop needs at least this many devices ... */
  minDevices: number;
  /** ... and at least this share of the village's devices (0..1). */
  minFraction: number;
  /**
   * The start of an outage already raised for this village: devices that dropped after it (loudspeakers
   * whose battery ran out) belong to it, so the classification stays stable while the cut lasts.
   */
  activeSince?: number | null;
}

export const DEFAULT_CLASSIFY_OPTIONS: ClassifyOptions = {
  windowMs: 120_000,
  minDevices: 3,
  minFraction: 0.6,
};

export type OutageCause = 'power_cut' | 'network_cut';

export interface VillageOutage {
  cause: OutageCause;
  /** Devices the outage covers: the ones down and (power cut) the ones on battery. Sorted. */
  deviceIds: string[];
  /** Earliest drop (or the active outage's start). */
  since: number;
  /** Why: `battery` (loudspeakers on battery), `mass_drop` (most of the village at once), `gateway` (uplink with its children). */
  evidence: 'battery' | 'mass_drop' | 'gateway';
  /** The gateway for a network cut. */
  gatewayId?: string;
}

export interface VillageClassification {
  outage: VillageOutage | null;
  /** Down devices the outage does not explain: each is its own problem (or its parent's). */
  lone: string[];
}

/** The largest set of drops lying within `windowMs` of each other (the latest such set on a tie). */
function largestCluster(down: VillageDeviceState[], windowMs: number): VillageDeviceState[] {
  const sorted = [...down].sort((a, b) => (a.downAt ?? 0) - (b.downAt ?? 0));
  const at = (i: number) => sorted[i]?.downAt ?? 0;
  let best: VillageDeviceState[] = [];
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (at(end) - at(start) > windowMs) start++;
    if (end - start + 1 >= best.length) best = sorted.slice(start, end + 1);
  }
  return best;
}

function ids(devices: VillageDeviceState[]): string[] {
  return devices.map((d) => d.id).sort();
}

export function classifyVillage(
  devices: readonly VillageDeviceState[],
  options: ClassifyOptions = DEFAULT_CLASSIFY_OPTIONS,
): VillageClassification {
  const down = devices.filter((d) => d.down && d.downAt != null);
  const battery = devices.filter((d) => !d.down && d.onBattery);
  const allDown = ids(down);
  if (down.length === 0 && battery.length === 0) return { outage: null, lone: [] };

  // An outage already raised keeps everything that dropped since it began (minus the window, for the
  // devices that went first), as long as it is still evidenced.
  let cluster: VillageDeviceState[];
  if (options.activeSince != null) {
    const from = options.activeSince - options.windowMs;
    cluster = down.filter((d) => (d.downAt ?? 0) >= from);
  } else {
    cluster = largestCluster(down, options.windowMs);
  }
  const clusterIds = new Set(cluster.map((d) => d.id));
  const since = Math.min(
    ...cluster.map((d) => d.downAt ?? Number.POSITIVE_INFINITY),
    options.activeSince ?? Infinity,
  );
  const lonesOutside = (covered: Set<string>) => allDown.filter((id) => !covered.has(id));

  // 1. Battery evidence with at least one device dropped: the mains went away.
  if (battery.length > 0 && cluster.length > 0) {
    const covered = new Set([...clusterIds, ...battery.map((d) => d.id)]);
    return {
      outage: { cause: 'power_cut', deviceIds: [...covered].sort(), since, evidence: 'battery' },
      lone: lonesOutside(covered),
    };
  }

  // 2. A down gateway whose children are all down with it, and nothing else of the village dropped
  //    with them: the uplink, not the power.
  const byId = new Map(devices.map((d) => [d.id, d]));
  for (const gw of cluster) {
    const children = devices.filter((d) => d.parentId === gw.id);
    if (children.length === 0 || !children.every((c) => c.down)) continue;
    const behind = new Set([gw.id, ...children.map((c) => c.id)]);
    if (cluster.some((d) => !behind.has(d.id))) continue;
    const gatewaySince = Math.min(
      ...[...behind].map((id) => byId.get(id)?.downAt ?? Number.POSITIVE_INFINITY),
    );
    return {
      outage: {
        cause: 'network_cut',
        deviceIds: [...behind].sort(),
        since: gatewaySince,
        evidence: 'gateway',
        gatewayId: gw.id,
      },
      lone: lonesOutside(behind),
    };
  }

  // 3. Most of the village dropped together, no gateway explains it: a power cut.
  if (cluster.length >= options.minDevices && cluster.length >= options.minFraction * devices.length) {
    return {
      outage: { cause: 'power_cut', deviceIds: ids(cluster), since, evidence: 'mass_drop' },
      lone: lonesOutside(clusterIds),
    };
  }

  return { outage: null, lone: allDown };
}
