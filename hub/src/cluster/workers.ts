import cluster, { type Worker } from 'node:cluster';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { serveClusterMetrics } from './worker-metrics.ts';

/** A worker that dies is started again after this long (its devices reconnect to the others meanwhile). */
const RESTART_DELAY_MS = 1000;

/**
 * HUB_WORKERS=N: this process becomes the primary of N hub nodes on this machine (node:cluster), which
 * share the MQTT and HTTP listening sockets (the primary accepts and hands connections round-robin) and
 * are one cluster over HUB_CLUSTER_REDIS_URL and HUB_DB=postgres (loadConfig refuses anything else with
 * HUB_ERR_CONFIG, SQLite included: a SQLite registry belongs to one process). The primary runs no hub: it
 * starts the workers, restarts one that dies, and stops them on SIGINT/SIGTERM.
 *
 * Each worker is a whole node: its own data dir `<HUB_DATA_DIR>/worker-<i>` (the node-local files:
 * alerts, criteria, probes, the InfluxDB spool), its own node id and lease. Returns false when this
 * process should run a hub itself (a worker, or HUB_WORKERS=1).
 */
export async function runWorkersIfAsked(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (!cluster.isPrimary) return false;
  const { config, generatedToken } = loadConfig(env);
  if (config.workers <= 1) return false;
  const log = createLogger(config.logLevel).child({ module: 'workers' });
  if (generatedToken) {
    console.log(`\nAdmin token (generated; set HUB_ADMIN_TOKEN to keep one): ${config.adminToken}\n`);
  }
  let stopping = false;
  const workers = new Map<number, Worker>();
  const fork = (index: number) => {
    const worker = cluster.fork({
      HUB_WORKERS: '1',
      HUB_WORKER_INDEX: String(index),
      // One token for every worker: a generated one must not differ from node to node.
      HUB_ADMIN_TOKEN: config.adminToken,
      HUB_DATA_DIR: `${config.dataDir}/worker-${index}`,
      ...(config.clusterNodeId && { HUB_CLUSTER_NODE_ID: `${config.clusterNodeId}-w${index}` }),
    });
    workers.set(index, worker);
    worker.on('exit', (code, signal) => {
      workers.delete(index);
      if (stopping) return;
      log.error({ worker: index, pid: worker.process.pid, code, signal }, 'hub worker died; restarting it');
      setTimeout(() => {
        if (!stopping) fork(index);
      }, RESTART_DELAY_MS).unref();
    });
  };
  serveClusterMetrics();
  for (let i = 0; i < config.workers; i++) fork(i);
  log.info({ workers: config.workers, http: config.httpPort, mqtt: config.mqttPort }, 'hub workers started');
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping hub workers');
    const exits = [...workers.values()].map(
      (w) => new Promise<void>((resolve) => (w.isDead() ? resolve() : w.once('exit', () => resolve()))),
    );
    for (const w of workers.values()) w.process.kill('SIGTERM');
    void Promise.all(exits).then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  return true;
}
