import type { HealthState, Metrics, ProbeTarget } from '@commune-hub/protocol';

/** What one probe of one child saw. `health` becomes the child's heartbeat `st`. */
export interface ChildProbeResult {
  metrics: Metrics;
  /** Fault codes (protocol's PROBE_FAULTS), the first one being the main reason. */
  faults: string[];
  health: HealthState;
  /** The device's own uptime when the probe can read it (SNMP sysUpTime), in seconds. */
  upS?: number;
}

export interface ProbeContext {
  /** Hard limit for this probe; the probe must settle (and clean up its socket) by then. */
  timeoutMs: number;
  /** Epoch ms now, from the gateway's injected clock (for rates and certificate expiry). */
  now: () => number;
  /** State the probe keeps for this child between cycles (SNMP counters for rates). */
  memory: Map<string, unknown>;
}

export type ProbeFn = (target: ProbeTarget, ctx: ProbeContext) => Promise<ChildProbeResult>;

export function ok(metrics: Metrics, upS?: number): ChildProbeResult {
  return { metrics, faults: [], health: 'ok', ...(upS !== undefined && { upS }) };
}

export function fault(code: string, metrics: Metrics = {}): ChildProbeResult {
  return { metrics: { reachable: false, ...metrics }, faults: [code], health: 'fault' };
}

/** Maps a socket error to the child's fault code: the target's problem, never the gateway's. */
export function faultOfError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'reset';
    case 'ETIMEDOUT':
    case 'PROBE_TIMEOUT':
      return 'timeout';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'unreachable';
    case 'BAD_RESPONSE':
      return 'bad_response';
    default:
      return 'probe_error';
  }
}

export class ProbeTimeout extends Error {
  readonly code = 'PROBE_TIMEOUT';
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
  }
}
