import fp from 'fastify-plugin';
import { MqttBroker } from '../broker/broker.ts';
import { Ingest } from '../ingest/ingest.ts';
import { GroupCommit } from '../store/group-commit.ts';
import { readSecureContext } from '../tls.ts';

const DAY_MS = 86_400_000;

/** The MQTT side: aedes with the hub's policy, feeding ingest. Stops before anything it writes to. */
export const brokerPlugin = fp(
  async (app) => {
    const { config, clock, registry, liveness, store, metrics, uptime, events } = app;
    const logger = app.log.child({ module: 'broker' });
    const coverage = app.coverage;
    // Coverage first, then the heartbeats: a PUBACK waits for both (see GroupCommit).
    const commits = new GroupCommit({
      intervalMs: config.commitIntervalMs,
      steps: [
        { name: 'coverage', commit: () => coverage.flush() },
        { name: 'store', commit: () => store.commit() },
      ],
      logger: app.log.child({ module: 'commit' }),
    });
    metrics.registry.registerMetric(commits.failures);
    metrics.registry.registerMetric(commits.batches);
    const ingest = new Ingest(clock, (id) => registry.get(id), liveness, store, uptime, metrics, logger, {
      maxClockAheadMs: config.maxClockAheadS * 1000,
      maxAgeMs: config.maxHeartbeatAgeDays * DAY_MS,
      onOffline: (deviceId, graceful) => broker.deviceOffline(deviceId, graceful),
      events,
    });
    const broker = new MqttBroker(
      {
        host: config.mqttHost,
        port: config.mqttPort,
        ratePerS: config.mqttRatePerS,
        rateBurst: config.mqttRateBurst,
        ...(app.tlsReloader && {
          tls: {
            port: config.mqttsPort,
            options: {
              ...readSecureContext(app.tlsReloader.files),
              // With a client CA, devices also prove themselves with a certificate (mutual TLS).
              ...(config.tlsCa && { requestCert: true, rejectUnauthorized: true }),
            },
            reloader: app.tlsReloader,
          },
          plainOff: config.mqttPort === 0,
        }),
        connectTimeoutMs: config.mqttConnectTimeoutMs,
        authLimits: {
          perId: config.mqttAuthFailuresPerId,
          perAddress: config.mqttAuthFailuresPerAddress,
          backoffMaxMs: config.mqttAuthBackoffMaxS * 1000,
        },
        hashLanes: {
          concurrency: config.mqttSuspectHashesRunning,
          queueMax: config.mqttSuspectHashesWaiting,
        },
        cluster: app.cluster?.transport.brokerParts(),
      },
      { clock, registry, ingest, metrics, logger, events, commits },
    );
    metrics.registry.registerMetric(broker.connectionErrors);
    metrics.registry.registerMetric(broker.secretChecks);
    await broker.start();
    metrics.sources.mqttClients = () => broker.connectedClients;
    app.decorate('broker', broker);
    app.addHook('preClose', async () => {
      await broker.stop();
      // The acknowledgements still parked are released after one last commit.
      await commits.stop();
    });
  },
  { name: 'broker', dependencies: ['events', 'registry', 'store', 'uptime', 'liveness'] },
);
