/**
 * Hub nodes of a cluster for the e2e tests: each node its own process (test/support/hub-child.ts) on the
 * same Redis, PostgreSQL database and InfluxDB database, as `HUB_CLUSTER_REDIS_URL` + `HUB_DB=postgres`
 * deployments run them. The environment comes from `clusterEnv`; a node is stopped cleanly by `stopNode`.
 */
import { type ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_TOKEN } from './hub.ts';
import { createDatabase } from './postgres.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface ClusterNode {
  name: string;
  child: ChildProcess;
  httpUrl: string;
  mqttUrl: string;
}

/** One cluster's settings: a fresh PostgreSQL database and InfluxDB database, the given Redis. */
export async function clusterEnv(redisUrl: string, prefix: string): Promise<Record<string, string>> {
  return {
    HUB_ADMIN_TOKEN: TEST_TOKEN,
    HUB_CLUSTER_REDIS_URL: redisUrl,
    HUB_CLUSTER_LEASE_MS: '3000',
    HUB_DB: 'postgres',
    HUB_DATABASE_URL: await createDatabase(prefix),
    HUB_STORE: 'influx',
    HUB_INFLUX_URL: process.env.HUB_TEST_INFLUX_URL!,
    HUB_INFLUX_USERNAME: process.env.HUB_TEST_INFLUX_USERNAME!,
    HUB_INFLUX_PASSWORD: process.env.HUB_TEST_INFLUX_PASSWORD!,
    HUB_INFLUX_DATABASE: `${prefix}_${process.pid}_${Date.now()}`,
    HUB_LIVENESS_SWEEP_MS: '100',
    HUB_WEB_DIR: '',
    HUB_ALERTS_ENABLED: 'false',
  };
}

export async function startNode(name: string, env: Record<string, string>): Promise<ClusterNode> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `hub-cluster-${name}-`));
  const child = fork(path.join(here, 'hub-child.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env, HUB_DATA_DIR: dataDir, HUB_CLUSTER_NODE_ID: name },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ httpUrl: string; mqttUrl: string }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`node ${name} exited with ${code}`)));
    child.once('message', (m) => resolve(m as { httpUrl: string; mqttUrl: string }));
  });
  return { name, child, ...ready };
}

/** A clean stop (the node leaves the cluster); SIGKILL only if a broken close would hold the run. */
export async function stopNode(node: ClusterNode | undefined): Promise<void> {
  if (!node || node.child.exitCode !== null || node.child.signalCode !== null) return;
  const exited = new Promise((r) => node.child.once('exit', r));
  node.child.disconnect();
  const timer = setTimeout(() => node.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}
