import fp from 'fastify-plugin';
import client from 'prom-client';
import { type AckForwarder, AlertService } from '../alerts/service.ts';
import { AlertStore } from '../alerts/store.ts';

declare module 'fastify' {
  interface FastifyInstance {
    alerts: AlertService;
    /** Cluster mode: hands an acknowledgement to the leader (undefined on a sole node). */
    alertAckForwarder: AckForwarder | undefined;
  }
}

/** Redis channel carrying acknowledgements from any node to the leader. */
const ACK_CHANNEL = 'hub:cluster:alert-ack';

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
      new AlertStore(app.sharedDb),
      app.log.child({ module: 'alerts' }),
      {
        tickMs: config.alertsTickMs,
        correlationWindowMs: config.alertsCorrelationWindowS * 1000,
        enabled: config.alertsEnabled,
        // Without the delivery part any id is accepted (it may be configured later).
        // Cluster: a new leader starts from the tracker's view (relayed from every node); a sole node from
        // the registry, as before.
        liveOf: app.cluster ? (id) => app.liveness.get(id) : undefined,
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
    // In a cluster only the leader evaluates (one notification per real problem, not one per node); a new
    // leader continues from the alerts every node shares. A sole node leads from the start.
    const { leadership, sharedTables } = app;
    const log = app.log.child({ module: 'alerts' });
    if (leadership.isLeader) service.start();
    const offLead = leadership.onChange((leading) => {
      if (!leading) return service.stop();
      // Ids after every id the old leader handed out; then the engine from the shared rows.
      void (sharedTables?.renewIds() ?? Promise.resolve())
        .catch((err: unknown) => log.warn({ err }, 'no fresh id block; continuing with the current one'))
        .then(() => {
          if (leadership.isLeader) service.start();
        });
    });
    const offFollow = sharedTables?.onChange((changes) => service.followed(changes));
    let forward: AckForwarder | undefined;
    const node = app.cluster;
    if (node) {
      // An acknowledgement made on any node reaches the leader, which alone changes alerts.
      const onMessage = (channel: string, message: string) => {
        if (channel !== ACK_CHANNEL || !leadership.isLeader) return;
        try {
          const r = JSON.parse(message) as { alertId: string; by: string; note: string | null };
          service.acknowledge(r.alertId, r.by, r.note);
        } catch (err) {
          log.warn({ err }, 'forwarded acknowledgement refused');
        }
      };
      node.transport.subscriber.on('message', onMessage);
      await node.transport.subscriber.subscribe(ACK_CHANNEL);
      forward = async (r) => {
        await node.transport.commands.publish(ACK_CHANNEL, JSON.stringify(r));
      };
      app.addHook('preClose', async () => {
        node.transport.subscriber.off('message', onMessage);
      });
    }
    app.decorate('alerts', service);
    app.decorate('alertAckForwarder', forward);
    app.addHook('onClose', async () => {
      offLead();
      offFollow?.();
      service.stop();
    });
  },
  { name: 'alerts', dependencies: ['events', 'registry', 'shared-state', 'uptime', 'liveness'] },
);
