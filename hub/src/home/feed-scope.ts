import type { Alert, FeedItem, PublicGroup } from '@commune-hub/protocol';
import type { Scope } from '../auth/scope.ts';
import { alertVisible } from '../auth/visibility.ts';
import { reportVisible } from '../public-status/scope.ts';
import type { DeviceRecord } from '../registry/registry.ts';

export interface FeedLookups {
  getDevice: (id: string) => DeviceRecord | undefined;
  alertOf: (id: string) => Pick<Alert, 'villageId' | 'devices'> | undefined;
  groupOf: (slug: string) => PublicGroup | undefined;
}

/**
 * Which feed items a caller sees: the same rules as the lists they come from (devices by their village,
 * alerts as GET /api/alerts, citizens' reports by their device or group). Each source applies it before
 * its own cut (./feed.ts), so a scoped user gets a full page on a busy hub.
 */
export function feedVisibility(scope: Scope, lookups: FeedLookups): (item: FeedItem) => boolean {
  if (scope.isAll) return () => true;
  return (item) => {
    switch (item.kind) {
      case 'transition':
        return scope.allowsVillage(item.villageId);
      case 'maintenance':
        return scope.allowsDevice(lookups.getDevice(item.deviceId));
      case 'alert': {
        const alert = lookups.alertOf(item.alertId);
        if (alert) return alertVisible(scope, alert, { get: lookups.getDevice });
        return item.villageId !== null && scope.allowsVillage(item.villageId);
      }
      case 'report':
        return reportVisible(scope, item, lookups.getDevice, lookups.groupOf);
    }
  };
}
