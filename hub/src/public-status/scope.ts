import type { PublicGroup, PublicGroupInput, PublicReport } from '@commune-hub/protocol';
import type { Scope } from '../auth/scope.ts';
import { HubError } from '../errors.ts';
import type { DeviceRecord } from '../registry/registry.ts';

type GetDevice = (id: string) => DeviceRecord | undefined;

/**
 * Commune scope for the public-status admin routes (issue 14 on issue 12's module). A commune admin sees
 * and edits a group only when every device it holds is in their communes; a group across every village
 * (a selector without a village) is a province admin's. Out of scope answers 404 like a missing group.
 */
export function groupVisible(scope: Scope, group: PublicGroup, getDevice: GetDevice): boolean {
  if (scope.isAll) return true;
  return group.members.length > 0 && group.members.every((m) => scope.allowsDevice(getDevice(m.deviceId)));
}

/** Refuses a group definition reaching outside the caller's communes (before anything is saved). */
export function checkGroupInput(scope: Scope, input: PublicGroupInput, getDevice: GetDevice): void {
  if (scope.isAll) return;
  const outside = (input.deviceIds ?? []).filter((id) => !scope.allowsDevice(getDevice(id)));
  if (outside.length > 0) throw new HubError('HUB_ERR_DEVICE_NOT_FOUND', `no device ${outside.join(', ')}`);
  if (input.selector) {
    const villageId = input.selector.villageId;
    if (villageId === undefined) {
      throw new HubError('HUB_ERR_FORBIDDEN', 'a group of every village needs a province admin');
    }
    if (!scope.allowsVillage(villageId)) throw new HubError('HUB_ERR_NOT_FOUND', `no village ${villageId}`);
  }
}

/** A citizen's report: by its device, or (a report on the whole group) by its group. */
export function reportVisible(
  scope: Scope,
  report: Pick<PublicReport, 'deviceId' | 'groupSlug'>,
  getDevice: GetDevice,
  groupOf: (slug: string) => PublicGroup | undefined,
): boolean {
  if (scope.isAll) return true;
  if (report.deviceId !== null) return scope.allowsDevice(getDevice(report.deviceId));
  const group = groupOf(report.groupSlug);
  return group !== undefined && groupVisible(scope, group, getDevice);
}
