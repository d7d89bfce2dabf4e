import type { Alert } from '@commune-hub/protocol';
import type { Registry } from '../registry/registry.ts';
import type { Scope } from './scope.ts';

/**
 * Whether a caller with `scope` sees an alert: its village is theirs, or one of its devices is. An alert
 * about the hub as a whole (a criterion at risk: no village, no device) is seen by everyone.
 */
export function alertVisible(
  scope: Scope,
  alert: Pick<Alert, 'villageId' | 'devices'>,
  registry: Pick<Registry, 'get'>,
): boolean {
  if (scope.isAll) return true;
  if (alert.villageId === null && alert.devices.length === 0) return true;
  if (alert.villageId !== null && scope.allowsVillage(alert.villageId)) return true;
  return alert.devices.some((d) => scope.allowsDevice(registry.get(d.id)));
}
