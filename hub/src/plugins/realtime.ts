import fp from 'fastify-plugin';
import { toDeviceView, toIdentityDiff, toLiveDiff } from '../api/views.ts';
import { toCell } from '../criteria/service.ts';
import { Realtime } from '../realtime/realtime.ts';
import { socketAccess } from './realtime-access.ts';

/**
 * socket.io for the dashboards. Everything it pushes comes from the bus: liveness changes, and devices
 * created, edited, disabled or moved with their village, so every open dashboard follows without a reload;
 * `feed:changed` when the home feed got a report, an alert or maintenance.
 */
export const realtimePlugin = fp(
  async (app) => {
    const { registry, liveness, events, clock } = app;
    const viewOf = (id: string) => {
      const record = registry.get(id);
      return record && toDeviceView(record, liveness.get(id), registry.places);
    };
    const realtime = new Realtime(
      app.server,
      () => registry.list().map((r) => toDeviceView(r, liveness.get(r.id), registry.places)),
      (id) => registry.get(id),
      app.log.child({ module: 'realtime' }),
      undefined,
      clock,
      viewOf,
    );
    realtime.setLimits({
      eventBurst: app.config.socketEventBurst,
      eventsPerS: app.config.socketEventsPerS,
      snapshotBurst: app.config.socketSnapshotBurst,
      snapshotsPerS: app.config.socketSnapshotsPerMin / 60,
    });
    app.metrics.registry.registerMetric(realtime.limited);
    app.metrics.registry.registerMetric(realtime.reauthorized);
    realtime.setAccess(socketAccess(app));
    realtime.start();
    const unsubscribe = [
      events.on('liveness.changed', ({ device }) => realtime.push(toLiveDiff(device))),
      events.on('device.created', ({ device }) => {
        const view = viewOf(device.id);
        if (view) realtime.push(view);
      }),
      // A device that moved village (or kind) leaves the lists of clients that no longer see it and
      // enters the others': realtime knows what each scoped or filtered client holds.
      events.on('device.updated', ({ device }) => realtime.push(toIdentityDiff(device, registry.places))),
      events.on('device.disabled', ({ device }) => realtime.push({ id: device.id, disabled: true })),
      // A village moved to another commune: its devices leave the old commune's lists and enter the new one's.
      events.on('village.updated', ({ devices }) => {
        for (const device of devices) realtime.push(toIdentityDiff(device, registry.places));
      }),
      // A user's role, communes or sign-in changed: their open sockets are closed or re-scoped at once.
      events.on('user.changed', ({ userId }) => realtime.reauthorize(userId)),
      events.on('session.revoked', ({ userId }) => realtime.reauthorize(userId)),
      // Live indicators: every re-evaluation of the current period goes to every open criteria page.
      events.on('criteria.evaluated', ({ setId, evaluation, at }) =>
        realtime.broadcast('criteria:evaluated', {
          setId,
          period: evaluation.period,
          at: new Date(at).toISOString(),
          cells: evaluation.rows.filter((r) => r.measured !== null || r.override !== null).map(toCell),
        }),
      ),
      // A discarded pending alert never fired: clients drop it (it is deleted, not resolved).
      events.on('alert.changed', ({ alert, previous, at, discarded }) => {
        realtime.pushAlert({ at: new Date(at).toISOString(), alert, ...(discarded && { discarded: true }) });
        // The feed lists alerts that fired and resolved: a state change of a fired alert is news there.
        if (!discarded && alert.firedAt && previous !== alert.state) realtime.feedChanged('alert');
      }),
      // The home feed's other sources a dashboard cannot see in its device list.
      events.on('publicStatus.reported', () => realtime.feedChanged('report')),
      events.on('maintenance.changed', () => realtime.feedChanged('maintenance')),
    ];
    app.decorate('realtime', realtime);
    app.addHook('preClose', async () => {
      for (const off of unsubscribe) off();
      await realtime.stop();
    });
  },
  { name: 'realtime', dependencies: ['events', 'registry', 'liveness', 'auth'] },
);
