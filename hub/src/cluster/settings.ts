import { Type } from '@sinclair/typebox';
import { HubError } from '../errors.ts';

/**
 * Settings of cluster mode, spread into the hub's config schema (../config.ts) so they are validated
 * once at boot with the others and listed in the README settings table.
 */
export const clusterSettings = {
  /** Redis every node of the cluster shares (MQTT pub/sub and sessions, domain events, node leases). Empty: one node. */
  clusterRedisUrl: Type.String({ default: '', pattern: '^(rediss?://\\S+)?$', env: 'HUB_CLUSTER_REDIS_URL' }),
  /** This node's name in the cluster (leases, /healthz). Empty: `<hostname>-<pid>`. */
  clusterNodeId: Type.String({ default: '', pattern: '^[A-Za-z0-9._-]{0,64}$', env: 'HUB_CLUSTER_NODE_ID' }),
  /** A node whose lease was not renewed for this long is dead; its devices get a fresh grace elsewhere. */
  clusterLeaseMs: Type.Integer({ minimum: 500, maximum: 60000, default: 3000, env: 'HUB_CLUSTER_LEASE_MS' }),
  /** Nodes (processes) on this machine sharing the MQTT and HTTP ports (node:cluster). 1: one process. */
  workers: Type.Integer({ minimum: 1, maximum: 64, default: 1, env: 'HUB_WORKERS' }),
};

/** What cluster mode needs of the rest of the config; each problem one line naming the setting. */
export function clusterProblems(config: {
  clusterRedisUrl: string;
  workers: number;
  db: string;
  store: string;
}): string[] {
  const problems: string[] = [];
  const clustered = config.clusterRedisUrl !== '' || config.workers > 1;
  if (config.workers > 1 && config.clusterRedisUrl === '') {
    problems.push(
      'HUB_CLUSTER_REDIS_URL: required when HUB_WORKERS > 1 (the nodes share MQTT sessions and events through Redis)',
    );
  }
  if (clustered && config.db !== 'postgres') {
    problems.push(
      'HUB_DB: must be postgres in cluster mode (HUB_CLUSTER_REDIS_URL or HUB_WORKERS > 1): a SQLite registry belongs to one process',
    );
  }
  if (clustered && config.store !== 'influx') {
    problems.push(
      'HUB_STORE: must be influx in cluster mode: every node writes and reads the same time series',
    );
  }
  return problems;
}

export function assertClusterConfig(config: Parameters<typeof clusterProblems>[0]): void {
  const problems = clusterProblems(config);
  if (problems.length > 0) {
    throw new HubError('HUB_ERR_CONFIG', `invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}
