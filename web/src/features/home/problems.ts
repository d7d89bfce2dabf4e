import type { DeviceView, VillageHealth, VillageOutageView } from '@commune-hub/protocol';

export interface ProblemGroup {
  villageId: string;
  village: string;
  outage: VillageOutageView | null;
  devices: DeviceView[];
}

const isProblem = (d: DeviceView) => !d.disabled && (d.status === 'offline' || d.status === 'degraded');

/**
 * What is broken now, by village: villages with a likely power or network cut first (oldest cut
 * first), then the ones with the most devices down; inside a village, offline before degraded, the
 * longest down first. Pure, so it is tested against tables of cases.
 */
export function groupProblems(
  devices: readonly DeviceView[],
  health: readonly VillageHealth[] = [],
): ProblemGroup[] {
  const outages = new Map(health.map((h) => [h.villageId, h.outage]));
  const groups = new Map<string, ProblemGroup>();
  for (const d of devices) {
    if (!isProblem(d)) continue;
    let g = groups.get(d.villageId);
    if (!g) {
      g = {
        villageId: d.villageId,
        village: d.village,
        outage: outages.get(d.villageId) ?? null,
        devices: [],
      };
      groups.set(d.villageId, g);
    }
    g.devices.push(d);
  }
  for (const g of groups.values()) {
    g.devices.sort(
      (a, b) =>
        Number(b.status === 'offline') - Number(a.status === 'offline') ||
        Date.parse(a.since) - Date.parse(b.since) ||
        a.name.localeCompare(b.name, 'vi'),
    );
  }
  return [...groups.values()].sort(
    (a, b) =>
      Number(b.outage !== null) - Number(a.outage !== null) ||
      (a.outage && b.outage ? Date.parse(a.outage.since) - Date.parse(b.outage.since) : 0) ||
      b.devices.length - a.devices.length ||
      a.village.localeCompare(b.village, 'vi'),
  );
}
