import type { DeviceCreate } from '@commune-hub/protocol';
import { SimError } from './errors.ts';
import type { Logger } from './logger.ts';
import { type Credentials, provisionDevices, readCredentials } from './provision.ts';
import type { DevicePlan } from './timeline/generate.ts';

/** How a run gets its device passwords. */
export interface CredentialOptions {
  /** Hub base URL for provisioning (POST /api/devices). */
  hubUrl?: string;
  adminToken?: string;
  /** Known credentials (a map or a JSON file {id: secret}); skips provisioning. */
  credentials?: Credentials | string;
  provisionConcurrency?: number;
  onProvisionProgress?: (done: number, total: number) => void;
}

export interface ExtraDevice {
  id: string;
  kind: DeviceCreate['kind'];
  name: string;
  village: string;
  intervalS: number;
}

/**
 * Credentials for every device of the run: from the given map/file, else by provisioning through the hub,
 * else none (a plain broker without authentication, as in the simulator's own tests).
 */
export async function resolveCredentials(
  plans: readonly DevicePlan[],
  extra: readonly ExtraDevice[],
  opts: CredentialOptions,
  logger: Logger,
): Promise<Credentials | null> {
  const all: DeviceCreate[] = [
    ...plans.map((p) => ({
      id: p.device.id,
      kind: p.device.kind,
      name: p.device.name,
      village: p.device.village,
      intervalS: p.intervalMs / 1000,
    })),
    ...extra,
  ];
  if (opts.credentials) {
    const creds = typeof opts.credentials === 'string' ? readCredentials(opts.credentials) : opts.credentials;
    const missing = all.filter((d) => !creds.has(d.id)).map((d) => d.id);
    if (missing.length > 0)
      throw new SimError(
        'SIM_ERR_CREDENTIALS',
        `no credentials for ${missing.length} device(s): ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`,
      );
    return creds;
  }
  if (!opts.hubUrl) return null;
  if (!opts.adminToken)
    throw new SimError(
      'SIM_ERR_USAGE',
      'provisioning through the hub needs an admin token (--token or HUB_ADMIN_TOKEN)',
    );
  return provisionDevices({
    hubUrl: opts.hubUrl,
    adminToken: opts.adminToken,
    devices: all,
    ...(opts.provisionConcurrency !== undefined && { concurrency: opts.provisionConcurrency }),
    ...(opts.onProvisionProgress && { onProgress: opts.onProvisionProgress }),
    logger,
  });
}
