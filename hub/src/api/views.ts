import type { DeviceDiff, DeviceView, HeartbeatRecord, Transition } from '@commune-hub/protocol';
import type { LiveDevice } from '../liveness/tracker.ts';
import type { Places } from '../registry/places.ts';
import type { DeviceRecord } from '../registry/registry.ts';
import type { HeartbeatRow, TransitionRow } from '../store/types.ts';

const iso = (ms: number) => new Date(ms).toISOString();

export function toDeviceView(record: DeviceRecord, live: LiveDevice | undefined, places: Places): DeviceView {
  const state = live ?? record.live;
  const site = record.siteId ? places.site(record.siteId) : undefined;
  return {
    id: record.id,
    kind: record.kind,
    name: record.name,
    village: record.village,
    villageId: record.villageId,
    communeId: places.village(record.villageId)?.communeId ?? null,
    site: site ? { id: site.id, name: site.name, locationType: site.locationType } : null,
    parent: record.parentId,
    tags: record.tags,
    disabled: record.disabled,
    intervalS: record.intervalS,
    status: state.status,
    reason: state.reason,
    since: iso(state.since),
    lastSeen: state.lastTs === null ? null : iso(state.lastTs),
    lastSeq: state.lastSeq,
    metrics: state.metrics,
    faults: state.faults,
    createdAt: iso(record.createdAt),
  };
}

/** The part of a device view an administrator changes (name, place, tags, interval, disabled): what realtime pushes on edits. */
export function toIdentityDiff(record: DeviceRecord, places: Places): DeviceDiff {
  const { id, name, village, villageId, communeId, site, parent, tags, disabled, intervalS } = toDeviceView(
    record,
    undefined,
    places,
  );
  return { id, name, village, villageId, communeId, site, parent, tags, disabled, intervalS };
}

/** The part of a device view that liveness changes: what realtime pushes. */
export function toLiveDiff(live: LiveDevice): DeviceDiff {
  return {
    id: live.id,
    status: live.status,
    reason: live.reason,
    since: iso(live.since),
    lastSeen: live.lastTs === null ? null : iso(live.lastTs),
    lastSeq: live.lastSeq,
    metrics: live.metrics,
    faults: live.faults,
  };
}

export function toHeartbeatRecord(row: HeartbeatRow): HeartbeatRecord {
  return {
    deviceId: row.deviceId,
    ts: iso(row.ts),
    receivedAt: iso(row.receivedAt),
    seq: row.seq,
    up: row.up,
    st: row.st,
    m: row.m,
    faults: row.faults,
    late: row.late,
  };
}

export function toTransition(row: TransitionRow): Transition {
  return { deviceId: row.deviceId, at: iso(row.at), from: row.from, to: row.to, reason: row.reason };
}
