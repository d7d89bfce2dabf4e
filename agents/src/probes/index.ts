import type { DeviceKind } from '@commune-hub/protocol';
import type { Clock } from '../clock.ts';
import { PortalProbe } from './portal.ts';
import { ProcessProbe } from './processes.ts';
import { SystemProbe } from './system.ts';
import type { Probe } from './types.ts';

export { PortalProbe } from './portal.ts';
export { ProcessProbe } from './processes.ts';
export { DISK_FULL_PCT, SystemProbe, systemFaults } from './system.ts';
export type { Probe, ProbeResult } from './types.ts';

/** Kinds that are general-purpose computers at the one-stop shop, where app and portal checks make sense. */
const DESKTOP_KINDS: ReadonlySet<DeviceKind> = new Set(['pc', 'kiosk']);

export interface ProbeOptions {
  kind: DeviceKind;
  expectProcesses: readonly string[];
  portalUrl?: string;
  portalTimeoutMs: number;
  clock: Clock;
}

/** The probes an agent of this kind runs. Every kind reports the system it runs on. */
export function probesForKind(options: ProbeOptions): Probe[] {
  const probes: Probe[] = [new SystemProbe(options.clock)];
  if (DESKTOP_KINDS.has(options.kind)) {
    if (options.expectProcesses.length > 0) probes.push(new ProcessProbe(options.expectProcesses));
    if (options.portalUrl) probes.push(new PortalProbe(options.portalUrl, options.portalTimeoutMs));
  }
  return probes;
}
