import { describe, expect, it } from 'vitest';
import { createLogger } from '../logger.ts';
import { EventBus, type EventName } from './bus.ts';

const at = Date.UTC(2026, 0, 1);

describe('EventBus', () => {
  it('delivers synchronously, in subscription order, with the typed payload', () => {
    const bus = new EventBus(createLogger('silent'));
    const seen: string[] = [];
    bus.on('connection.closed', (e) => seen.push(`a:${e.deviceId}:${e.graceful}`));
    bus.on('connection.closed', (e) => seen.push(`b:${e.deviceId}`));
    bus.emit('connection.closed', { deviceId: 'd1', at, graceful: false });
    expect(seen).toEqual(['a:d1:false', 'b:d1']);
  });

  it('a throwing listener is counted and logged once, never reaches the publisher, and the others still run', () => {
    const failures: EventName[] = [];
    const bus = new EventBus(createLogger('silent'), (event) => failures.push(event));
    const seen: string[] = [];
    bus.on('device.secretRotated', () => {
      throw new Error('broken alert rule');
    });
    bus.on('device.secretRotated', (e) => seen.push(e.deviceId));
    expect(() => bus.emit('device.secretRotated', { deviceId: 'd1', at })).not.toThrow();
    expect(seen).toEqual(['d1']);
    expect(failures).toEqual(['device.secretRotated']);
  });

  it('a listener may unsubscribe itself while the event is delivered; unsubscribed listeners hear nothing more', () => {
    const bus = new EventBus(createLogger('silent'));
    const seen: string[] = [];
    const off = bus.on('maintenance.changed', () => {
      seen.push('once');
      off();
    });
    bus.on('maintenance.changed', () => seen.push('always'));
    bus.emit('maintenance.changed', { deviceIds: ['a'], at });
    bus.emit('maintenance.changed', { deviceIds: ['a'], at });
    expect(seen).toEqual(['once', 'always', 'always']);
    expect(bus.listenerCount('maintenance.changed')).toBe(1);
    expect(bus.listenerCount('heartbeat.accepted')).toBe(0);
  });
});
