import client from 'prom-client';

/**
 * Prometheus metrics of one hub instance (own registry, so tests can run several hubs in a process).
 * Every rejected input has a labelled counter: nothing is dropped without a number going up.
 */
export interface MetricSources {
  deviceCounts: () => Record<string, number>;
  mqttClients: () => number;
}

export function createMetrics() {
  const registry = new client.Registry();
  /** Filled in by the plugins that own the numbers; read when /metrics is scraped. */
  const sources: MetricSources = { deviceCounts: () => ({}), mqttClients: () => 0 };
  client.collectDefaultMetrics({ register: registry, prefix: 'hub_process_' });
  return {
    registry,
    sources,
    ingestAccepted: new client.Counter({
      name: 'hub_ingest_accepted_total',
      help: 'Device messages accepted, by channel and use (live, history)',
      labelNames: ['channel', 'use'] as const,
      registers: [registry],
    }),
    ingestRejected: new client.Counter({
      name: 'hub_ingest_rejected_total',
      help: 'Device messages refused by ingest, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    mqttAuthFailures: new client.Counter({
      name: 'hub_mqtt_auth_failures_total',
      help: 'MQTT CONNECTs refused, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    mqttDenied: new client.Counter({
      name: 'hub_mqtt_denied_total',
      help: 'MQTT publishes and subscriptions refused by policy, by action and reason',
      labelNames: ['action', 'reason'] as const,
      registers: [registry],
    }),
    eventListenerFailures: new client.Counter({
      name: 'hub_event_listener_failures_total',
      help: 'Domain event listeners that threw (logged; the publisher carried on), by event',
      labelNames: ['event'] as const,
      registers: [registry],
    }),
    transitions: new client.Counter({
      name: 'hub_liveness_transitions_total',
      help: 'Liveness transitions, by new status and reason',
      labelNames: ['to', 'reason'] as const,
      registers: [registry],
    }),
    devices: new client.Gauge({
      name: 'hub_devices',
      help: 'Devices by live status',
      labelNames: ['status'] as const,
      // HUB_WORKERS: every worker counts every device; the sum over workers would count each N times.
      aggregator: 'max',
      registers: [registry],
      collect() {
        for (const [status, n] of Object.entries(sources.deviceCounts())) this.set({ status }, n);
      },
    }),
    mqttClients: new client.Gauge({
      name: 'hub_mqtt_clients',
      help: 'Connected MQTT clients',
      registers: [registry],
      collect() {
        this.set(sources.mqttClients());
      },
    }),
  };
}

export type HubMetrics = ReturnType<typeof createMetrics>;
