import type { DeviceStatus, HealthState, TransitionReason } from '@commune-hub/protocol';

/** Everything that can change a device's liveness. */
export type LivenessEvent =
  /** A heartbeat that vouches for "now" (not a late one from a buffer). */
  | { type: 'heartbeat'; health: HealthState }
  /** Silence longer than the device's grace. */
  | { type: 'timeout' }
  /** The connection dropped without DISCONNECT, or the last will fired. */
  | { type: 'disconnect' }
  /** The device said goodbye: DISCONNECT or an explicit `offline` status. */
  | { type: 'shutdown' }
  | { type: 'maintenance-start' }
  /** An administrator disabled the device: it may not connect, nothing it said before vouches for now. */
  | { type: 'disabled' }
  /** `alive` says whether a heartbeat still vouches for now, i.e. where the device stands after the window. */
  | { type: 'maintenance-end'; alive: boolean; health: HealthState };

export interface TransitionResult {
  to: DeviceStatus;
  reason: TransitionReason;
}

const LIVE: ReadonlySet<DeviceStatus> = new Set(['online', 'degraded']);

function fromHealth(health: HealthState): DeviceStatus {
  return health === 'ok' ? 'online' : 'degraded';
}

/**
 * The liveness state machine as a pure function: given the current status and an event, the new
 * status and why, or null when nothing changes. Tested against a table of every (state, event) pair.
 */
export function nextStatus(current: DeviceStatus, event: LivenessEvent): TransitionResult | null {
  // Disabling wins over everything, maintenance included: the device is out of service until enabled.
  if (event.type === 'disabled') return current === 'offline' ? null : { to: 'offline', reason: 'disabled' };
  if (current === 'maintenance') {
    if (event.type !== 'maintenance-end') return null;
    if (!event.alive) return { to: 'offline', reason: 'maintenance' };
    return { to: fromHealth(event.health), reason: 'maintenance' };
  }
  switch (event.type) {
    case 'heartbeat': {
      const to = fromHealth(event.health);
      if (to === current) return null;
      if (to === 'degraded') return { to, reason: 'fault' };
      return { to, reason: current === 'degraded' ? 'recovered' : 'heartbeat' };
    }
    case 'timeout':
      return LIVE.has(current) ? { to: 'offline', reason: 'timeout' } : null;
    case 'disconnect':
      return LIVE.has(current) ? { to: 'offline', reason: 'disconnect' } : null;
    case 'shutdown':
      return LIVE.has(current) ? { to: 'offline', reason: 'shutdown' } : null;
    case 'maintenance-start':
      return { to: 'maintenance', reason: 'maintenance' };
    case 'maintenance-end':
      return null;
  }
}
