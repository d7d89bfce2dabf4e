import type { DeviceDiff, DeviceView } from '@commune-hub/protocol';

/**
 * Folds diffs into a pending map keyed by device id, later fields winning. Keeps the queue bounded by
 * the number of devices however long frames are paused (background tab), and lets a frame apply each
 * device once.
 */
export function coalesceInto(pending: Map<string, DeviceDiff>, changes: readonly DeviceDiff[]): void {
  for (const change of changes) {
    const prev = pending.get(change.id);
    pending.set(change.id, prev ? { ...prev, ...change } : change);
  }
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
  pending: ReadonlyMap<string, DeviceDiff>,
): ApplyResult {
  const unknown: string[] = [];
  if (pending.size === 0) return { devices: devices as DeviceView[], unknown };
  const seen = new Set<string>();
  const next = devices.map((device) => {
    const diff = pending.get(device.id);
    if (!diff) return device;
    seen.add(device.id);
    return { ...device, ...diff };
  });
  for (const [id, diff] of pending) {
    if (seen.has(id)) continue;
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
