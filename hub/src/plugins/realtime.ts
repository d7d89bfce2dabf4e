import fp from 'fastify-plugin';
import { toDeviceView, toLiveDiff } from '../api/views.ts';
import type { LiveDevice } from '../liveness/tracker.ts';
import { Realtime } from '../realtime/realtime.ts';

export const realtimePlugin = fp(
  async (app) => {
    const { registry, liveness, livenessEvents } = app;
    const realtime = new Realtime(
      app.server,
      () => registry.list().map((r) => toDeviceView(r, liveness.get(r.id), registry.places)),
      (id) => registry.get(id),
      app.log.child({ module: 'realtime' }),
    );
    realtime.start();
    const onChange = (device: LiveDevice) => realtime.push(toLiveDiff(device));
    livenessEvents.on('change', onChange);
    app.decorate('realtime', realtime);
    app.addHook('preClose', async () => {
      livenessEvents.off('change', onChange);
      await realtime.stop();
    });
  },
  { name: 'realtime', dependencies: ['registry', 'liveness'] },
);
