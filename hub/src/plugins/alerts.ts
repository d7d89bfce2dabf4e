import fp from 'fastify-plugin';
import client from 'prom-client';
import { AlertService } from '../alerts/service.ts';
import { AlertStore } from '../alerts/store.ts';

declare module 'fastify' {
  interface FastifyInstance {
    alerts: AlertService;
  }
}

/**
 * Alerting: rules, the engine and its tick, alert history, schedules, mutes. Listens on the bus after
 * liveness exists; the delivery part (alert-delivery) hears its `alert.notify` events.
 */
export const alertsPlugin = fp(
  async (app) => {
    const { config, clock, registry, maintenance, events, metrics, uptime } = app;
    const rejected = new client.Counter({
      name: 'hub_alert_input_rejected_total',
      help: 'Alert rules, schedules, mutes and recurring windows refused, by what',
      labelNames: ['what'] as const,
      registers: [metrics.registry],
    });
    const delivery = app.hasDecorator('alertDelivery') ? app.alertDelivery : undefined;
    const criteria = app.hasDecorator('criteria') ? app.criteria : undefined;
    const service = new AlertService(
      clock,
      registry,
      maintenance,
      events,
      new AlertStore(registry.database),
      app.log.child({ module: 'alerts' }),
      {
        tickMs: config.alertsTickMs,
        correlationWindowMs: config.alertsCorrelationWindowS * 1000,
        enabled: config.alertsEnabled,
        // Without the delivery part any id is accepted (it may be configured later).
        channelExists: (id) => (delivery ? delivery.store.getChannel(id) != null : true),
        uptimeRatio: (id, from, to) => {
          const record = registry.get(id);
          return record ? uptime.device(record, { start: from, end: to }).ratio : null;
        },
        criteriaSets: criteria
          ? () =>
              criteria.sets.list().map(({ set }) => ({
                id: set.id,
                criteria: set.criteria.map((c) => ({
                  code: c.code,
                  measured: c.rule != null && c.manual == null,
                })),
              }))
          : undefined,
      },
      (what) => rejected.inc({ what }),
    );
    service.start();
    app.decorate('alerts', service);
    app.addHook('onClose', async () => service.stop());
  },
  { name: 'alerts', dependencies: ['events', 'registry', 'uptime', 'liveness'] },
);
