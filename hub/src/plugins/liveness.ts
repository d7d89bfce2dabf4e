import { EventEmitter } from 'node:events';
import fp from 'fastify-plugin';
import { LivenessTracker } from '../liveness/tracker.ts';

/** Liveness of every device and batched persistence of its live state. */
export const livenessPlugin = fp(
  async (app) => {
    const { registry, store, metrics, clock, coverage, maintenance } = app;
    const events = new EventEmitter();
    events.setMaxListeners(0);
    const log = app.log.child({ module: 'liveness' });
    const tracker = new LivenessTracker(
      clock,
      (id) => registry.get(id),
      {
        onTransition: (row) => {
          store.writeTransitions([row]);
          metrics.transitions.inc({ to: row.to, reason: row.reason });
          log.info({ deviceId: row.deviceId, from: row.from, to: row.to, reason: row.reason }, 'transition');
          events.emit('transition', row);
        },
        onChange: (device) => events.emit('change', device),
        onDisconnect: (deviceId, at) => coverage.addCut(deviceId, at),
      },
      app.config.livenessSweepMs,
      (deviceId, at) => maintenance.activeAt(deviceId, at),
    );
    tracker.start(registry.list());
    const persist = () => registry.saveLiveStates(tracker.takeDirty());
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
    app.decorate('livenessEvents', events);
    app.addHook('onClose', async () => {
      clearInterval(persistTimer);
      tracker.stop();
      registry.saveLiveStates(tracker.takeDirty());
    });
  },
  { name: 'liveness', dependencies: ['registry', 'store', 'uptime'] },
);
