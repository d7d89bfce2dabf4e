import { performance } from 'node:perf_hooks';
import type { Probe, ProbeResult } from './types.ts';

/**
 * Reachability of the public-service portal from this machine: an HTTP HEAD with a timeout. Any HTTP
 * answer (even 403/405) proves the network path works, so only no answer is `portal_unreachable`.
 */
export class PortalProbe implements Probe {
  readonly name = 'portal';
  private readonly url: string;
  private readonly timeoutMs: number;

  constructor(url: string, timeoutMs: number) {
    this.url = url;
    this.timeoutMs = timeoutMs;
  }

  async collect(): Promise<ProbeResult> {
    const started = performance.now();
    try {
      const res = await fetch(this.url, {
        method: 'HEAD',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      await res.body?.cancel();
      return {
        metrics: {
          portalOk: true,
          portalMs: Math.round(performance.now() - started),
          portalStatus: res.status,
        },
        faults: [],
      };
    } catch {
      return { metrics: { portalOk: false }, faults: ['portal_unreachable'] };
    }
  }
}
