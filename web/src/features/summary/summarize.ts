import {
  DEVICE_KINDS,
  DEVICE_STATUSES,
  type DeviceKind,
  type DeviceStatus,
  type DeviceView,
} from '@commune-hub/protocol';

/** Order in which statuses are shown: good news first, then what needs attention. */
export const STATUS_DISPLAY_ORDER: readonly DeviceStatus[] = [
  'online',
  'degraded',
  'offline',
  'unknown',
  'maintenance',
];

export type StatusCounts = Record<DeviceStatus, number>;

export interface KindCount {
  kind: DeviceKind;
  total: number;
  /** Devices online (degraded ones are not working: they report a problem). */
  working: number;
  byStatus: StatusCounts;
}

export function emptyStatusCounts(): StatusCounts {
  return Object.fromEntries(DEVICE_STATUSES.map((s) => [s, 0])) as StatusCounts;
}

/** A device "works" when it is online: a degraded one is heard but reports a problem, so it is not counted as working. */
export function isWorking(status: DeviceStatus): boolean {
  return status === 'online';
}

export function countStatuses(devices: readonly DeviceView[]): StatusCounts {
  const counts = emptyStatusCounts();
  for (const d of devices) counts[d.status]++;
  return counts;
}

/** Counts per kind, in the protocol's kind order, only for kinds that have at least one device. */
export function summarizeByKind(devices: readonly DeviceView[]): KindCount[] {
  const byKind = new Map<DeviceKind, KindCount>();
  for (const d of devices) {
    let entry = byKind.get(d.kind);
    if (!entry) {
      entry = { kind: d.kind, total: 0, working: 0, byStatus: emptyStatusCounts() };
      byKind.set(d.kind, entry);
    }
    entry.total++;
    entry.byStatus[d.status]++;
    if (isWorking(d.status)) entry.working++;
  }
  return DEVICE_KINDS.flatMap((k) => byKind.get(k) ?? []);
}
