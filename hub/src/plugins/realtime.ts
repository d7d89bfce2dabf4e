import fp from 'fastify-plugin';
import { toDeviceView, toLiveDiff } from '../api/views.ts';
import { Realtime } from '../realtime/realtime.ts';

export const realtimePlugin = fp(
  async (app) => {
    const { registry, liveness, events } = app;
    const realtime = new Realtime(
      app.server,
      () => registry.list().map((r) => toDeviceView(r, liveness.get(r.id), registry.places)),
      (id) => registry.get(id),
      app.log.child({ module: 'realtime' }),
    );
    realtime.start();
    const unsubscribe = events.on('liveness.changed', ({ device }) => realtime.push(toLiveDiff(device)));
    const unsubscribeAlerts = events.on('alert.changed', ({ alert, at }) =>
      realtime.pushAlert({ at: new Date(at).toISOString(), alert }),
    );
    app.decorate('realtime', realtime);
    app.addHook('preClose', async () => {
      unsubscribe();
      unsubscribeAlerts();
      await realtime.stop();
    });
  },
  { name: 'realtime', dependencies: ['events', 'registry', 'liveness'] },
);
