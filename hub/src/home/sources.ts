import type { Alert, FeedItem } from '@commune-hub/protocol';
import type { Registry } from '../registry/registry.ts';
import type { TimeSeriesStore, TransitionRow } from '../store/types.ts';
import type { MaintenanceStore } from '../uptime/maintenance.ts';
import type { FeedRange, FeedSource } from './feed.ts';

const iso = (ms: number) => new Date(ms).toISOString();
/** Upper bound of the alerts read for one feed page (a day's alerts of a whole province is far fewer). */
const ALERTS_READ = 10_000;

/** Status changes of every device, from the time-series store (what the device panels read too). */
export function transitionSource(store: TimeSeriesStore, registry: Registry): FeedSource {
  const toItem = (t: TransitionRow): FeedItem => {
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
  };
  return async (range, limit, visible) => {
    await store.flush();
    // The scope is applied inside the store's newest-first walk, so a scoped user gets a full page.
    const rows = await store.recentTransitions(range, limit, (t) => visible(toItem(t)));
    return rows.map(toItem);
  };
}

/** Alerts that fired or resolved in the range (a pending alert that never fired is not news). */
export function alertSource(list: (range: FeedRange, limit: number) => Alert[]): FeedSource {
  return (range, limit, visible) => {
    const items: FeedItem[] = [];
    // Alerts of a day are few: read them all, so another commune's alerts do not crowd out the caller's.
    for (const a of list(range, ALERTS_READ)) {
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
    return items
      .filter(visible)
      .sort((x, y) => (x.at < y.at ? 1 : x.at > y.at ? -1 : 0))
      .slice(0, limit);
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
