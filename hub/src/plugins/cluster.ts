import os from 'node:os';
import fp from 'fastify-plugin';
import { AccessRelay } from '../cluster/access-relay.ts';
import { NodeLeases } from '../cluster/leases.ts';
import { DeviceOwnership, SOLE_NODE } from '../cluster/ownership.ts';
import { EventRelay } from '../cluster/relay.ts';
import type { ClusterTransport } from '../cluster/transport.ts';
import { isHubWorker, lendWorkerMetrics } from '../cluster/worker-metrics.ts';
import { HubError } from '../errors.ts';

/** This node's part in a cluster (HUB_CLUSTER_REDIS_URL): its id, Redis, the leases, device ownership. */
export interface ClusterNode {
  nodeId: string;
  transport: ClusterTransport;
  leases: NodeLeases;
  ownership: DeviceOwnership;
  /** Called on every node when another one's lease expired (set by the relay plugin). */
  onNodeDead: (nodeId: string) => void;
}

/** Liveness changes are sent to the other nodes this often (coalesced per device). */
const RELAY_FLUSH_MS = 20;

/**
 * Cluster mode, first half (before liveness and the broker): Redis, this node's lease, and who acts for
 * which device. Without HUB_CLUSTER_REDIS_URL the hub is the sole node and acts for every device.
 */
export const clusterPlugin = fp(
  async (app) => {
    const { config, clock } = app;
    if (isHubWorker()) lendWorkerMetrics(app.metrics.registry);
    if (!config.clusterRedisUrl) {
      app.decorate('cluster', undefined);
      app.decorate('ownership', SOLE_NODE);
      return;
    }
    const log = app.log.child({ module: 'cluster' });
    const nodeId = config.clusterNodeId || `${os.hostname()}-${process.pid}`;
    let lastWarned = 0;
    // Loaded only in cluster mode: a single node does not hold the Redis clients in memory (issue 15).
    const { ClusterTransport } = await import('../cluster/transport.ts');
    const transport = new ClusterTransport(config.clusterRedisUrl, nodeId, (err, connection) => {
      // ioredis retries by itself; one line every 10 s is enough to say Redis is away.
      const now = clock.now();
      if (now - lastWarned < 10_000) return;
      lastWarned = now;
      log.error({ err: err.message, connection }, 'cluster Redis unreachable; retrying');
    });
    try {
      await transport.connect();
    } catch (err) {
      await transport.close();
      throw new HubError(
        'HUB_ERR_CLUSTER_UNREACHABLE',
        `Redis at ${config.clusterRedisUrl.replace(/\/\/[^@/]*@/, '//***@')} is unreachable: ${(err as Error).message}`,
      );
    }
    const node: ClusterNode = {
      nodeId,
      transport,
      leases: undefined as never,
      ownership: undefined as never,
      onNodeDead: () => {},
    };
    node.leases = new NodeLeases(transport.commands, nodeId, config.clusterLeaseMs, clock, log, (id) =>
      node.onNodeDead(id),
    );
    node.ownership = new DeviceOwnership(
      nodeId,
      (id) => node.leases.isAlive(id),
      () => node.leases.leader(),
    );
    // Other nodes are known from the start; this node's own lease starts once it is ready (listening):
    // a boot that stalls the event loop for seconds must not look like a node that died.
    await node.leases.refresh();
    app.addHook('onReady', async () => {
      await node.leases.start();
      log.info({ nodeId, leader: node.leases.leader() }, 'cluster node started');
    });
    app.decorate('cluster', node);
    app.decorate('ownership', node.ownership);
    const off = app.events.on('connection.opened', ({ deviceId }) => node.ownership.claim(deviceId));
    app.addHook('onClose', async () => {
      off();
      await node.leases.stop();
      await transport.close();
    });
  },
  { name: 'cluster', dependencies: ['events'] },
);

/**
 * Cluster mode, second half (after every listener of the bus): liveness changes and changes of users'
 * access to and from the other nodes, and what happens when one dies — the leader gives its devices a fresh grace.
 */
export const clusterRelayPlugin = fp(
  async (app) => {
    const node = app.cluster;
    if (!node) return;
    const log = app.log.child({ module: 'cluster' });
    const { liveness: tracker, events } = app;
    const relay = new EventRelay({
      redis: node.transport.commands,
      subscriber: node.transport.subscriber,
      nodeId: node.nodeId,
      events,
      tracker,
      ownership: node.ownership,
      logger: log,
      flushMs: RELAY_FLUSH_MS,
    });
    await relay.start();
    // A user disabled, re-scoped or signed out on one node: open sockets on every node follow at once.
    const access = new AccessRelay({
      redis: node.transport.commands,
      subscriber: node.transport.subscriber,
      nodeId: node.nodeId,
      events,
      logger: log,
    });
    await access.start();
    node.onNodeDead = (deadId) => {
      const released = node.ownership.release(deadId);
      if (node.leases.leader() !== node.nodeId) return;
      // Devices no living node holds: the dead node's, and any the dead leader was acting for.
      const orphans = [...tracker.ids()].filter((id) => {
        const owner = node.ownership.ownerOf(id);
        return owner === undefined || !node.leases.isAlive(owner);
      });
      tracker.freshGrace(orphans);
      log.warn(
        { deadNode: deadId, released: released.length, adopted: orphans.length },
        'took over a dead node',
      );
    };
    app.decorate('relay', relay);
    app.addHook('preClose', async () => {
      await relay.stop();
      await access.stop();
    });
  },
  { name: 'cluster-relay', dependencies: ['cluster', 'liveness'] },
);
