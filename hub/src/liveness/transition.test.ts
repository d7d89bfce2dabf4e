import type { DeviceStatus } from '@commune-hub/protocol';
import { describe, expect, it } from 'vitest';
import { type LivenessEvent, nextStatus } from './transition.ts';

const hb = (health: 'ok' | 'degraded' | 'fault' = 'ok'): LivenessEvent => ({ type: 'heartbeat', health });

// [from, event, expected to, expected reason] — null means "no transition".
const cases: Array<[DeviceStatus, LivenessEvent, DeviceStatus | null, string | null]> = [
  ['unknown', hb(), 'online', 'heartbeat'],
  ['unknown', hb('degraded'), 'degraded', 'fault'],
  ['unknown', hb('fault'), 'degraded', 'fault'],
  ['unknown', { type: 'timeout' }, null, null],
  ['unknown', { type: 'disconnect' }, null, null],
  ['unknown', { type: 'shutdown' }, null, null],
  ['online', hb(), null, null],
  ['online', hb('degraded'), 'degraded', 'fault'],
  ['online', { type: 'timeout' }, 'offline', 'timeout'],
  ['online', { type: 'disconnect' }, 'offline', 'disconnect'],
  ['online', { type: 'shutdown' }, 'offline', 'shutdown'],
  ['online', { type: 'maintenance-start' }, 'maintenance', 'maintenance'],
  ['degraded', hb(), 'online', 'recovered'],
  ['degraded', hb('fault'), null, null],
  ['degraded', { type: 'timeout' }, 'offline', 'timeout'],
  ['degraded', { type: 'disconnect' }, 'offline', 'disconnect'],
  ['offline', hb(), 'online', 'heartbeat'],
  ['offline', hb('fault'), 'degraded', 'fault'],
  ['offline', { type: 'timeout' }, null, null],
  ['offline', { type: 'disconnect' }, null, null],
  ['offline', { type: 'maintenance-start' }, 'maintenance', 'maintenance'],
  ['maintenance', hb(), null, null],
  ['maintenance', { type: 'timeout' }, null, null],
  ['maintenance', { type: 'disconnect' }, null, null],
  ['maintenance', { type: 'maintenance-start' }, null, null],
  ['maintenance', { type: 'maintenance-end', alive: true, health: 'ok' }, 'online', 'maintenance'],
  ['maintenance', { type: 'maintenance-end', alive: true, health: 'fault' }, 'degraded', 'maintenance'],
  ['maintenance', { type: 'maintenance-end', alive: false, health: 'ok' }, 'offline', 'maintenance'],
  ['online', { type: 'maintenance-end', alive: true, health: 'ok' }, null, null],
  ['unknown', { type: 'disabled' }, 'offline', 'disabled'],
  ['online', { type: 'disabled' }, 'offline', 'disabled'],
  ['degraded', { type: 'disabled' }, 'offline', 'disabled'],
  ['maintenance', { type: 'disabled' }, 'offline', 'disabled'],
  ['offline', { type: 'disabled' }, null, null],
];

describe('nextStatus (liveness state machine)', () => {
  it.each(cases)('%s + %j → %s (%s)', (from, event, to, reason) => {
    const result = nextStatus(from, event);
    if (to === null) expect(result).toBeNull();
    else expect(result).toEqual({ to, reason });
  });
});
