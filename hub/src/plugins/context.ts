import type { MqttBroker } from '../broker/broker.ts';
import type { Clock } from '../clock.ts';
import type { Ownership } from '../cluster/ownership.ts';
import type { EventRelay } from '../cluster/relay.ts';
import type { HubConfig } from '../config.ts';
import type { CriteriaService } from '../criteria/service.ts';
import type { DeviceService } from '../devices/service.ts';
import type { EventBus } from '../events/bus.ts';
import type { LivenessTracker } from '../liveness/tracker.ts';
import type { HubMetrics } from '../metrics.ts';
import type { Realtime } from '../realtime/realtime.ts';
import type { Registry } from '../registry/registry.ts';
import type { TimeSeriesStore } from '../store/types.ts';
import type { CoverageStore } from '../uptime/coverage.ts';
import type { MaintenanceStore } from '../uptime/maintenance.ts';
import type { UptimeService } from '../uptime/service.ts';
import type { ClusterNode } from './cluster.ts';

/** What the plugins decorate the fastify instance with, one concern each. */
declare module 'fastify' {
  interface FastifyInstance {
    config: HubConfig;
    clock: Clock;
    metrics: HubMetrics;
    /** The typed domain event bus: see hub/src/events/events.ts for every event. */
    events: EventBus;
    registry: Registry;
    /** Creates, imports, edits, disables devices and rotates secrets; publishes device.* events. */
    devices: DeviceService;
    store: TimeSeriesStore;
    liveness: LivenessTracker;
    realtime: Realtime;
    broker: MqttBroker;
    coverage: CoverageStore;
    maintenance: MaintenanceStore;
    uptime: UptimeService;
    /** Criteria sets, evaluation, manual entries and frozen reports (hub/src/criteria). */
    criteria: CriteriaService;
    /** Cluster mode (HUB_CLUSTER_REDIS_URL): this node's id, Redis, leases; undefined for a sole node. */
    cluster: ClusterNode | undefined;
    /** Which node acts for each device's liveness (the sole node acts for all). */
    ownership: Ownership;
    /** Cluster mode: domain events to and from the other nodes. */
    relay: EventRelay;
  }
}
