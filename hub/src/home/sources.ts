import type { Alert, FeedItem } from '@commune-hub/protocol';
import type { Registry } from '../registry/registry.ts';
import type { TimeSeriesStore } from '../store/types.ts';
import type { MaintenanceStore } from '../uptime/maintenance.ts';
import type { FeedRange, FeedSource } from './feed.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** Status changes of every device, from the time-series store (what the device panels read too). */
export function transitionSource(store: TimeSeriesStore, registry: Registry): FeedSource {
  return async (range, limit) => {
    await store.flush();
    const rows = await store.recentTransitions(range, limit);
    return rows.map((t): FeedItem => {
      const record = registry.get(t.deviceId);
      return {
        kind: 'transition',
        at: iso(t.at),
        deviceId: t.deviceId,
        deviceName: record?.name ?? t.deviceId,
        deviceKind: record?.kind ?? t.kind,
        villageId: record?.villageId ?? '',
        village: record?.village ?? t.village,
        from: t.from,
        to: t.to,
        reason: t.reason,
      };
    });
  };
}

/** Alerts that fired or resolved in the range (a pending alert that never fired is not news). */
export function alertSource(list: (range: FeedRange, limit: number) => Alert[]): FeedSource {
  return (range, limit) => {
    const items: FeedItem[] = [];
    for (const a of list(range, limit)) {
      const base = {
        kind: 'alert' as const,
        alertId: a.id,
        title: a.title,
        severity: a.severity,
        cause: a.cause,
        villageId: a.villageId,
        village: a.village,
      };
      if (a.firedAt) items.push({ ...base, at: a.firedAt, event: 'fired' });
      if (a.resolvedAt && a.firedAt) items.push({ ...base, at: a.resolvedAt, event: 'resolved' });
    }
    return items;
  };
}

/** Maintenance windows that began in the range. */
export function maintenanceSource(maintenance: MaintenanceStore, registry: Registry): FeedSource {
  return (range) =>
    maintenance
      .list(range.from, range.to)
      .filter((w) => w.start >= range.from)
      .map(
        (w): FeedItem => ({
          kind: 'maintenance',
          at: iso(w.start),
          windowId: w.id,
          deviceId: w.deviceId,
          deviceName: registry.get(w.deviceId)?.name ?? w.deviceId,
          from: iso(w.start),
          to: iso(w.end),
          note: w.note,
        }),
      );
}
