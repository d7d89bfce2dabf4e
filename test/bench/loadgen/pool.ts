/**
 * The bench's handle on the load generator: forks worker processes, shares the devices out among them and
 * runs phases on all of them at once, summing their reports.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { progress } from '../stats.ts';
import { cpuSeconds } from '../targets/process-info.ts';
import type {
  ConnectedReport,
  DeviceCredential,
  RunReport,
  RunTotals,
  WorkerCommand,
  WorkerReport,
} from './messages.ts';

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url));

/** Connections per worker stay well under the per-process fd limit (`ulimit -n`, 20,000 here). */
export const MAX_CONNECTIONS_PER_WORKER = 12_000;
/** Loopback source addresses: each gives its own ephemeral port range (28k ports with the default range). */
export const LOCAL_ADDRESSES = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6', '127.0.0.7'];

export interface PoolOptions {
  host: string;
  port: number;
  devices: DeviceCredential[];
  workers?: number;
  keepaliveS?: number;
  connectTimeoutMs?: number;
}

export type { RunTotals };

export class LoadPool {
  private readonly children: ChildProcess[] = [];
  private connected = 0;

  constructor(private readonly options: PoolOptions) {}

  /** CPU seconds all worker processes have used so far. */
  cpuSeconds(): number {
    return this.children.reduce((total, child) => {
      try {
        return total + cpuSeconds(child.pid!);
      } catch {
        return total;
      }
    }, 0);
  }

  get connectedDevices(): number {
    return this.connected;
  }

  async start(): Promise<ConnectedReport> {
    const { devices } = this.options;
    const count = Math.max(this.options.workers ?? 2, Math.ceil(devices.length / MAX_CONNECTIONS_PER_WORKER));
    const workers = Math.min(count, Math.max(1, devices.length));
    for (let w = 0; w < workers; w++) {
      this.children.push(
        fork(WORKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
      );
    }
    const t0 = Date.now();
    const reports = await this.all<ConnectedReport>((w) => ({
      type: 'connect',
      host: this.options.host,
      port: this.options.port,
      devices: devices.filter((_, i) => i % workers === w),
      localAddresses: LOCAL_ADDRESSES,
      keepaliveS: this.options.keepaliveS ?? 60,
      concurrency: 100,
      connectTimeoutMs: this.options.connectTimeoutMs ?? 300_000,
    }));
    const total: ConnectedReport = {
      type: 'connected',
      connected: sum(reports.map((r) => r.connected)),
      failed: sum(reports.map((r) => r.failed)),
      firstError: reports.find((r) => r.firstError)?.firstError,
      ms: Date.now() - t0,
    };
    this.connected = total.connected;
    progress(
      `  ${total.connected}/${devices.length} devices connected in ${total.ms} ms` +
        (total.failed ? ` (${total.failed} failed: ${total.firstError})` : ''),
    );
    return total;
  }

  /** Every device publishes once per `intervalMs` for `durationMs`. */
  rate(intervalMs: number, durationMs: number): Promise<RunTotals> {
    return this.run({ type: 'rate', intervalMs, durationMs });
  }

  /** Closed loop with `window` unacknowledged heartbeats in total, split over the workers. */
  saturate(window: number, durationMs: number): Promise<RunTotals> {
    const per = Math.max(1, Math.round(window / this.children.length));
    return this.run({ type: 'saturate', window: per, durationMs });
  }

  async stop(): Promise<void> {
    if (this.children.length === 0) return;
    await Promise.race([this.all(() => ({ type: 'disconnect' })), new Promise((r) => setTimeout(r, 30_000))]);
    for (const child of this.children) child.kill('SIGKILL');
    this.children.length = 0;
  }

  private async run(cmd: WorkerCommand): Promise<RunTotals> {
    const reports = await this.all<RunReport>(() => cmd);
    return {
      sent: sum(reports.map((r) => r.sent)),
      acked: sum(reports.map((r) => r.acked)),
      unacked: sum(reports.map((r) => r.unacked)),
      errors: sum(reports.map((r) => r.errors)),
      firstError: reports.find((r) => r.firstError)?.firstError,
      ackMs: reports.flatMap((r) => r.ackMs),
      ms: Math.max(...reports.map((r) => r.ms)),
    };
  }

  /** Sends one command to every worker and waits for each one's next report. */
  private all<T extends WorkerReport>(command: (worker: number) => WorkerCommand): Promise<T[]> {
    return Promise.all(
      this.children.map(
        (child, w) =>
          new Promise<T>((resolve, reject) => {
            const onExit = (code: number | null) => reject(new Error(`loadgen worker exited (${code})`));
            child.once('exit', onExit);
            child.once('message', (report: T) => {
              child.off('exit', onExit);
              resolve(report);
            });
            child.send(command(w));
          }),
      ),
    );
  }
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
