import fp from 'fastify-plugin';
import { LiveStateRepository } from '../liveness/live-state-repository.ts';
import { LivenessTracker } from '../liveness/tracker.ts';
import type { TransitionRow } from '../store/types.ts';

/** Liveness of every device and batched persistence of its live state. */
export const livenessPlugin = fp(
  async (app) => {
    const { registry, store, metrics, clock, coverage, maintenance, events } = app;
    // The tracker reports a transition just before the change it causes: they go out as one event.
    let pendingTransition: TransitionRow | undefined;
    const log = app.log.child({ module: 'liveness' });
    const tracker = new LivenessTracker(
      clock,
      (id) => registry.get(id),
      {
        onTransition: (row) => {
          store.writeTransitions([row]);
          metrics.transitions.inc({ to: row.to, reason: row.reason });
          log.info({ deviceId: row.deviceId, from: row.from, to: row.to, reason: row.reason }, 'transition');
          pendingTransition = row;
        },
        onChange: (device) => {
          const transition = pendingTransition?.deviceId === device.id ? pendingTransition : undefined;
          pendingTransition = undefined;
          events.emit('liveness.changed', { device, transition });
        },
        onDisconnect: (deviceId, at) => coverage.addCut(deviceId, at),
      },
      app.config.livenessSweepMs,
      (deviceId, at) => maintenance.activeAt(deviceId, at),
      app.ownership,
    );
    tracker.start(registry.list());
    // Devices with a connection of their own: a child that has one does not depend on its gateway's.
    const connected = new Set<string>();
    const childrenHeardOnlyThrough = (gatewayId: string) =>
      registry
        .list()
        .filter((d) => d.parentId === gatewayId && !connected.has(d.id))
        .map((d) => d.id);
    // Liveness learns of devices and connections from the bus; nobody calls it to say so.
    const unsubscribe = [
      events.on('device.created', ({ device }) => tracker.add(device)),
      events.on('device.updated', ({ device, before }) => {
        if (device.intervalS !== before.intervalS) tracker.setInterval(device.id, device.intervalS);
      }),
      events.on('device.disabled', ({ device }) => tracker.disable(device.id)),
      events.on('connection.opened', ({ deviceId }) => connected.add(deviceId)),
      events.on('connection.closed', ({ deviceId, graceful }) => {
        connected.delete(deviceId);
        tracker.disconnect(deviceId, graceful);
        tracker.parentDown(childrenHeardOnlyThrough(deviceId));
      }),
      events.on('maintenance.changed', ({ deviceIds }) => tracker.maintenanceChanged(deviceIds)),
    ];
    // Liveness owns the live-state columns of `devices` (HUB_DB); the registry's copy follows what was saved.
    const liveStates = new LiveStateRepository(registry.storage);
    const persist = () => {
      const states = tracker.takeDirty();
      liveStates.save(states);
      registry.rememberLiveStates(states);
    };
    const persistTimer = setInterval(() => {
      try {
        persist();
      } catch (err) {
        log.error({ err }, 'persisting live state failed');
      }
    }, 1000);
    persistTimer.unref();
    metrics.sources.deviceCounts = () => tracker.counts();
    app.decorate('liveness', tracker);
    app.addHook('onClose', async () => {
      for (const off of unsubscribe) off();
      clearInterval(persistTimer);
      tracker.stop();
      persist();
    });
  },
  { name: 'liveness', dependencies: ['events', 'registry', 'store', 'uptime'] },
);
