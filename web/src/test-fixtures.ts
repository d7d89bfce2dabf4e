import type { DeviceKind, DeviceStatus, DeviceView } from '@commune-hub/protocol';

/** A device view with sensible defaults, for unit tests of the pure list logic. */
export function makeDevice(
  id: string,
  over: Partial<DeviceView> & { kind?: DeviceKind; status?: DeviceStatus } = {},
): DeviceView {
  return {
    id,
    kind: 'loudspeaker',
    name: `Device ${id}`,
    village: 'Thôn Đông',
    villageId: 'thon-dong',
    communeId: null,
    site: null,
    parent: null,
    tags: [],
    disabled: false,
    intervalS: 30,
    status: 'online',
    reason: 'heartbeat',
    since: '2025-11-23T00:00:00.000Z',
    lastSeen: '2025-11-23T00:00:00.000Z',
    lastSeq: 1,
    metrics: {},
    faults: [],
    createdAt: '2025-11-01T00:00:00.000Z',
    ...over,
  };
}
