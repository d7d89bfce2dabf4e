import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';

const REQUEST = 'hub:cluster-metrics:request';
const RESPONSE = 'hub:cluster-metrics:response';

/** A node started by HUB_WORKERS (./workers.ts): its /metrics must speak for every worker on the port. */
export function isHubWorker(): boolean {
  return cluster.isWorker && process.env.HUB_WORKER_INDEX !== undefined;
}

/**
 * HUB_WORKERS: the workers share the HTTP port, so a scrape of /metrics lands on any one of them. Each
 * worker lends its registry to prom-client's cluster aggregation (AggregatorRegistry), and the worker
 * that got the scrape asks the primary for the sum over all workers (counters and most gauges summed;
 * `hub_devices`, which every node counts whole, takes the max — see ../metrics.ts).
 */
export function lendWorkerMetrics(registry: Registry): void {
  AggregatorRegistry.setRegistries([registry]);
  new AggregatorRegistry(); // installs the worker's side of prom-client's IPC
}

let nextId = 0;

export function clusterMetricsText(timeoutMs = 5000): Promise<string> {
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      process.off('message', onMessage);
      reject(new Error('the primary did not answer with the workers’ metrics'));
    }, timeoutMs);
    const onMessage = (message: { type?: string; id?: number; text?: string; error?: string }) => {
      if (message?.type !== RESPONSE || message.id !== id) return;
      clearTimeout(timer);
      process.off('message', onMessage);
      if (message.error !== undefined) reject(new Error(message.error));
      else resolve(message.text ?? '');
    };
    process.on('message', onMessage);
    process.send?.({ type: REQUEST, id });
  });
}

/** The primary's side: answers a worker's request with prom-client's aggregation over all workers. */
export function serveClusterMetrics(): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: { type?: string; id?: number }) => {
    if (message?.type !== REQUEST) return;
    aggregator.clusterMetrics().then(
      (text) => worker.send({ type: RESPONSE, id: message.id, text }),
      (err: Error) => worker.send({ type: RESPONSE, id: message.id, error: err.message }),
    );
  });
}
