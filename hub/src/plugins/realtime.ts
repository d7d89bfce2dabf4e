import fp from 'fastify-plugin';
import { toDeviceView, toLiveDiff } from '../api/views.ts';
import { toCell } from '../criteria/service.ts';
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
    const unsubscribeCriteria = events.on('criteria.evaluated', ({ setId, evaluation, at }) =>
      realtime.broadcast('criteria:evaluated', {
        setId,
        period: evaluation.period,
        at: new Date(at).toISOString(),
        cells: evaluation.rows.filter((r) => r.measured !== null || r.override !== null).map(toCell),
      }),
    );
    app.decorate('realtime', realtime);
    app.addHook('preClose', async () => {
      unsubscribe();
      unsubscribeCriteria();
      await realtime.stop();
    });
  },
  { name: 'realtime', dependencies: ['events', 'registry', 'liveness'] },
);
