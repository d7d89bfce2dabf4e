import type { DeviceDiff, DeviceView } from '@commune-hub/protocol';

/** A device that left this client's view (moved out of its filter): drop it from the list. */
export interface DeviceRemoval {
  id: string;
  removed: true;
}

/** What is queued for one device: the fields that changed, or its removal. */
export type PendingChange = DeviceDiff | DeviceRemoval;

export function isRemoval(change: PendingChange): change is DeviceRemoval {
  return (change as DeviceRemoval).removed === true;
}

/**
 * Folds diffs into a pending map keyed by device id, later fields winning. Keeps the queue bounded by
 * the number of devices however long frames are paused (background tab), and lets a frame apply each
 * device once. A removal replaces whatever was queued for the device; a diff after a removal starts over
 * (the device came back into view, with its whole view).
 */
export function coalesceInto(
  pending: Map<string, PendingChange>,
  changes: readonly DeviceDiff[],
  removed: readonly string[] = [],
): void {
  for (const change of changes) {
    const prev = pending.get(change.id);
    pending.set(change.id, prev && !isRemoval(prev) ? { ...prev, ...change } : change);
  }
  for (const id of removed) pending.set(id, { id, removed: true });
}

const REQUIRED_FIELDS = [
  'kind',
  'name',
  'village',
  'intervalS',
  'status',
  'reason',
  'since',
  'createdAt',
] as const;

/** A diff about a device the client has never seen can only be shown if it carries the whole view. */
export function isCompleteView(diff: DeviceDiff): diff is DeviceView {
  return REQUIRED_FIELDS.every((f) => diff[f] !== undefined);
}

export interface ApplyResult {
  devices: DeviceView[];
  /** Ids of diffs that named an unknown device without its full view: the caller should refetch. */
  unknown: string[];
}

/**
 * Applies coalesced diffs to the device list. Unchanged devices keep their object identity so memoized
 * rows do not re-render; changed devices get a new object. O(devices + changes).
 */
export function applyDiffs(
  devices: readonly DeviceView[],
  pending: ReadonlyMap<string, PendingChange>,
): ApplyResult {
  const unknown: string[] = [];
  if (pending.size === 0) return { devices: devices as DeviceView[], unknown };
  const seen = new Set<string>();
  const next: DeviceView[] = [];
  for (const device of devices) {
    const diff = pending.get(device.id);
    if (!diff) {
      next.push(device);
      continue;
    }
    seen.add(device.id);
    if (!isRemoval(diff)) next.push({ ...device, ...diff });
  }
  for (const [id, diff] of pending) {
    if (seen.has(id) || isRemoval(diff)) continue;
    if (isCompleteView(diff)) {
      next.push({
        ...diff,
        metrics: diff.metrics ?? {},
        faults: diff.faults ?? [],
        lastSeen: diff.lastSeen ?? null,
        lastSeq: diff.lastSeq ?? null,
      });
    } else unknown.push(id);
  }
  return { devices: next, unknown };
}
