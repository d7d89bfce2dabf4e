import os from 'node:os';
import type { Metrics } from '@commune-hub/protocol';
import si from 'systeminformation';
import type { Clock } from '../clock.ts';
import type { Probe, ProbeResult } from './types.ts';

/** Root filesystem fuller than this is the `disk_full` fault. */
export const DISK_FULL_PCT = 95;

const round1 = (n: number): number => Math.round(n * 10) / 10;

/** Faults that follow from the system metrics alone. */
export function systemFaults(metrics: Metrics): string[] {
  const faults: string[] = [];
  if (typeof metrics.diskPct === 'number' && metrics.diskPct > DISK_FULL_PCT) faults.push('disk_full');
  return faults;
}

interface NetSample {
  at: number;
  rx: number;
  tx: number;
}

/**
 * CPU, memory, root disk, uptime, load, network rates and temperature of the machine the agent runs on.
 * Network rates are computed here from byte counters between two heartbeats (systeminformation's own
 * rate needs two calls close together), so the first heartbeat has no rxBps/txBps.
 */
export class SystemProbe implements Probe {
  readonly name = 'system';
  private readonly clock: Clock;
  private lastNet: NetSample | undefined;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  async collect(): Promise<ProbeResult> {
    const [load, mem, disks, iface, temp] = await Promise.all([
      si.currentLoad(),
      si.mem(),
      si.fsSize(),
      si.networkInterfaceDefault(),
      si.cpuTemperature(),
    ]);
    const metrics: Metrics = {
      cpuPct: round1(load.currentLoad),
      memPct: round1(((mem.total - mem.available) / mem.total) * 100),
      uptimeS: Math.round(os.uptime()),
      load1: Math.round(os.loadavg()[0]! * 100) / 100,
    };
    const root = disks.find((d) => d.mount === '/') ?? disks.find((d) => /^[A-Z]:\\?$/i.test(d.mount));
    if (root && Number.isFinite(root.use)) metrics.diskPct = round1(root.use);
    if (typeof temp.main === 'number' && temp.main > 0) metrics.tempC = round1(temp.main);
    Object.assign(metrics, await this.networkRates(iface));
    return { metrics, faults: systemFaults(metrics) };
  }

  private async networkRates(iface: string): Promise<Metrics> {
    const [stats] = await si.networkStats(iface);
    if (!stats) return {};
    const sample: NetSample = { at: this.clock.now(), rx: stats.rx_bytes, tx: stats.tx_bytes };
    const previous = this.lastNet;
    this.lastNet = sample;
    const dt = previous ? (sample.at - previous.at) / 1000 : 0;
    // Counters that went backwards (interface reset) or no elapsed time give no honest rate.
    if (!previous || dt <= 0 || sample.rx < previous.rx || sample.tx < previous.tx) return {};
    return {
      rxBps: Math.round((sample.rx - previous.rx) / dt),
      txBps: Math.round((sample.tx - previous.tx) / dt),
    };
  }
}
