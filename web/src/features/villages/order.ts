import type { Commune, VillageHealth } from '@commune-hub/protocol';

const byName = new Intl.Collator('vi', { numeric: true }).compare;

/** Problems first: a village-wide outage, then the most devices offline, then degraded; then by name. */
export function orderVillages(rows: readonly VillageHealth[]): VillageHealth[] {
  return [...rows].sort(
    (a, b) =>
      Number(b.outage !== null) - Number(a.outage !== null) ||
      b.offline - a.offline ||
      b.degraded - a.degraded ||
      byName(a.village, b.village),
  );
}

export interface CommuneOfVillage {
  /** The commune the village is recorded under. */
  commune: Commune;
  /** The current commune when that one was merged away in 2025 (the village's "former commune"). */
  mergedInto: Commune | null;
}

/** The commune a village belongs to, and what it became after the 2025 merger. */
export function communeOf(communes: readonly Commune[], communeId: string | null): CommuneOfVillage | null {
  const commune = communes.find((c) => c.id === communeId);
  if (!commune) return null;
  const mergedInto = commune.mergedInto ? (communes.find((c) => c.id === commune.mergedInto) ?? null) : null;
  return { commune, mergedInto };
}

/** Villages grouped by the commune they were recorded under (former communes apart), in order. */
export function groupByCommune(
  rows: readonly VillageHealth[],
): Array<{ communeId: string | null; villages: VillageHealth[] }> {
  const groups = new Map<string | null, VillageHealth[]>();
  for (const row of orderVillages(rows)) {
    const list = groups.get(row.communeId) ?? [];
    list.push(row);
    groups.set(row.communeId, list);
  }
  // The group with a problem on top comes first (orderVillages put it first in its list).
  return [...groups.entries()].map(([communeId, villages]) => ({ communeId, villages }));
}
