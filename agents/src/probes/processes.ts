import type { Metrics } from '@commune-hub/protocol';
import si from 'systeminformation';
import { metricKey, type Probe, type ProbeResult } from './types.ts';

/**
 * Checks that named processes run (the one-stop-shop application, the antivirus...). Each name becomes a
 * boolean metric `proc_<name>`; any missing one is the `app_not_running` fault.
 */
export class ProcessProbe implements Probe {
  readonly name = 'processes';
  private readonly names: readonly string[];

  constructor(names: readonly string[]) {
    this.names = names;
  }

  async collect(): Promise<ProbeResult> {
    const found = await si.processLoad(this.names.join(','));
    const metrics: Metrics = {};
    let missing = 0;
    for (const name of this.names) {
      const running = found.some((p) => p.proc === name && p.pids.length > 0);
      metrics[metricKey('proc_', name)] = running;
      if (!running) missing += 1;
    }
    return { metrics, faults: missing > 0 ? ['app_not_running'] : [] };
  }
}
