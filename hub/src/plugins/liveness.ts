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
    );
    tracker.start(registry.list());
    // Liveness learns of devices and connections from the bus; nobody calls it to say so.
    const unsubscribe = [
      events.on('device.created', ({ device }) => tracker.add(device)),
      events.on('device.updated', ({ device, before }) => {
        if (device.intervalS !== before.intervalS) tracker.setInterval(device.id, device.intervalS);
      }),
      events.on('device.disabled', ({ device }) => tracker.disable(device.id)),
      events.on('connection.closed', ({ deviceId, graceful }) => tracker.disconnect(deviceId, graceful)),
      events.on('maintenance.changed', ({ deviceIds }) => tracker.maintenanceChanged(deviceIds)),
    ];
    // Liveness owns the live-state columns of registry.db; the registry's copy follows what was saved.
    const liveStates = new LiveStateRepository(registry.database);
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
