import { type Static, Type } from '@sinclair/typebox';
import { DeviceDiff, DeviceView } from './device.ts';

/** socket.io, default namespace. On connect the server sends `devices:snapshot`, then `devices:diff` batches (≤ 4/s). */
export const DevicesSnapshot = Type.Object({ at: Type.String(), devices: Type.Array(DeviceView) });
export type DevicesSnapshot = Static<typeof DevicesSnapshot>;

export const DevicesDiff = Type.Object({ at: Type.String(), changes: Type.Array(DeviceDiff) });
export type DevicesDiff = Static<typeof DevicesDiff>;

export interface ServerToClientEvents {
  'devices:snapshot': (payload: DevicesSnapshot) => void;
  'devices:diff': (payload: DevicesDiff) => void;
}

export type ClientToServerEvents = Record<string, never>;

/** Largest rate at which the hub emits diffs to one client. */
export const REALTIME_FLUSH_MS = 250;
