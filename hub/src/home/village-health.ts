import type { DeviceView, VillageHealth } from '@commune-hub/protocol';
import { type ClassifyOptions, classifyVillage, type VillageDeviceState } from '../correlation/index.ts';

/** What the classifier needs of a device, taken from its dashboard view. */
type HealthInput = Pick<
  DeviceView,
  | 'id'
  | 'kind'
  | 'parent'
  | 'status'
  | 'since'
  | 'metrics'
  | 'village'
  | 'villageId'
  | 'communeId'
  | 'disabled'
>;

function toState(d: HealthInput): VillageDeviceState {
  const down = d.status === 'offline';
  return {
    id: d.id,
    kind: d.kind,
    parentId: d.parent,
    down,
    downAt: down ? Date.parse(d.since) : null,
    onBattery: !down && d.metrics.powerSource === 'battery',
  };
}

/**
 * Each village's health now: counts by status and the outage classifier's verdict, the same rule and
 * window the alert engine applies (hub/src/correlation). `activeSince` gives the start of an outage
 * alert already open for the village, so the verdict stays the same as the alert's while the cut lasts.
 * Disabled devices are left out: they are not expected to report.
 */
export function villageHealth(
  devices: readonly HealthInput[],
  options: ClassifyOptions,
  activeSince: (villageId: string) => number | null = () => null,
): VillageHealth[] {
  const byVillage = new Map<string, HealthInput[]>();
  for (const d of devices) {
    if (d.disabled) continue;
    const list = byVillage.get(d.villageId);
    if (list) list.push(d);
    else byVillage.set(d.villageId, [d]);
  }
  const rows: VillageHealth[] = [];
  for (const [villageId, members] of byVillage) {
    const count = (s: DeviceView['status']) => members.filter((d) => d.status === s).length;
    const lastChange = members.reduce<string | null>(
      (a, d) => (a === null || d.since > a ? d.since : a),
      null,
    );
    const { outage } = classifyVillage(members.map(toState), {
      ...options,
      activeSince: activeSince(villageId),
    });
    rows.push({
      villageId,
      village: members[0]!.village,
      communeId: members[0]!.communeId,
      total: members.length,
      working: count('online'),
      offline: count('offline'),
      degraded: count('degraded'),
      maintenance: count('maintenance'),
      lastChange,
      outage: outage
        ? {
            cause: outage.cause,
            since: new Date(outage.since).toISOString(),
            deviceIds: outage.deviceIds,
            evidence: outage.evidence,
            gatewayId: outage.gatewayId ?? null,
          }
        : null,
    });
  }
  // Problems first: an outage, then the most devices down; then by name, Vietnamese collation.
  return rows.sort(
    (a, b) =>
      Number(b.outage !== null) - Number(a.outage !== null) ||
      b.offline + b.degraded - (a.offline + a.degraded) ||
      a.village.localeCompare(b.village, 'vi'),
  );
}
