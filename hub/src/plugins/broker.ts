import fp from 'fastify-plugin';
import { MqttBroker } from '../broker/broker.ts';
import { Ingest } from '../ingest/ingest.ts';

const DAY_MS = 86_400_000;

/** The MQTT side: aedes with the hub's policy, feeding ingest. Stops before anything it writes to. */
export const brokerPlugin = fp(
  async (app) => {
    const { config, clock, registry, liveness, store, metrics, uptime } = app;
    const logger = app.log.child({ module: 'broker' });
    const ingest = new Ingest(
      clock,
      (id) => registry.get(id),
      liveness,
      store,
      uptime,
      metrics,
      logger,
      {
        maxClockAheadMs: config.maxClockAheadS * 1000,
        maxAgeMs: config.maxHeartbeatAgeDays * DAY_MS,
      },
      app.events,
    );
    const broker = new MqttBroker(
      {
        host: config.mqttHost,
        port: config.mqttPort,
        ratePerS: config.mqttRatePerS,
        rateBurst: config.mqttRateBurst,
      },
      { clock, registry, liveness, ingest, metrics, logger },
    );
    await broker.start();
    metrics.sources.mqttClients = () => broker.connectedClients;
    app.decorate('broker', broker);
    app.addHook('preClose', async () => broker.stop());
  },
  { name: 'broker', dependencies: ['registry', 'store', 'uptime', 'liveness'] },
);
