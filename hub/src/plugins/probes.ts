import fp from 'fastify-plugin';
import client from 'prom-client';
import { parseProbeKey } from '../probes/crypto.ts';
import { ProbeTargetRepository } from '../probes/repository.ts';
import { ProbeService } from '../probes/service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Probe targets of gateway children; delivers each gateway its config on its retained `cmd` topic. */
    probes: ProbeService;
  }
}

/** Gateway probes: targets stored beside the registry, credentials sealed, configs pushed over MQTT. */
export const probesPlugin = fp(
  async (app) => {
    const { metrics, registry, devices, events, clock, broker, config } = app;
    const rejected = new client.Counter({
      name: 'hub_probe_config_rejected_total',
      help: 'Probe targets refused, by the field at fault',
      labelNames: ['field'] as const,
      registers: [metrics.registry],
    });
    const published = new client.Counter({
      name: 'hub_probe_config_published_total',
      help: 'Probe configurations published to gateways (retained, on their cmd topic)',
      registers: [metrics.registry],
    });
    const service = new ProbeService({
      repository: new ProbeTargetRepository(app.sharedDb),
      devices,
      listDevices: () => registry.list(),
      events,
      clock,
      logger: app.log.child({ module: 'probes' }),
      key: parseProbeKey(config.probeKey),
      publish: (topic, payload) => broker.publishRetained(topic, payload),
      rejected,
      published,
      isLeader: () => app.leadership.isLeader,
    });
    await service.start();
    const log = app.log.child({ module: 'probes' });
    const offs = [
      app.leadership.onChange((leading) => {
        if (leading)
          service.publishAll().catch((err: unknown) => log.error({ err }, 'could not publish probe configs'));
      }),
      app.sharedTables?.onChange((changes) => {
        const ids = changes.get('probe_targets');
        if (ids) service.followed([...ids].map(String));
      }),
    ];
    app.decorate('probes', service);
    app.addHook('preClose', async () => {
      for (const off of offs) off?.();
      service.stop();
    });
  },
  { name: 'probes', dependencies: ['events', 'registry', 'shared-state', 'devices', 'broker'] },
);
