import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  createHubClient,
  type DeviceCreate,
  type DeviceUpdate,
  HubApiError,
  type HubClient,
} from '@commune-hub/protocol';
import { SimError } from './errors.ts';
import type { Logger } from './logger.ts';

/** Device id → MQTT password. */
export type Credentials = Map<string, string>;

export interface ProvisionOptions {
  hubUrl: string;
  adminToken: string;
  devices: readonly DeviceCreate[];
  /** Requests in flight at once (default 8). */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
  logger?: Logger;
}

/** What the hub answered, for a message that says which step of which device failed. */
function failure(what: string, id: string, err: unknown): SimError {
  if (!(err instanceof HubApiError))
    return new SimError('SIM_ERR_PROVISION', `${what} "${id}" failed: ${String(err)}`, { cause: err });
  if (err.status === 0) return new SimError('SIM_ERR_PROVISION', err.message, { cause: err });
  const hint = err.status === 401 || err.status === 403 ? ' (check --token)' : '';
  return new SimError(
    'SIM_ERR_PROVISION',
    `${what} "${id}" failed: HTTP ${err.status}${hint} ${err.code}: ${err.message}`,
    { cause: err },
  );
}

/**
 * Brings an existing device's record in line with the run: its interval above all (a rerun at another
 * --speed must give the hub the grace the devices now beat at), and its name and village. Only the
 * fields that differ are sent; the kind cannot change without re-provisioning, so a different kind is
 * an error.
 */
async function reconcile(api: HubClient, d: DeviceCreate, logger?: Logger): Promise<void> {
  const view = await api.deviceGet({ params: { id: d.id } }).catch((err: unknown) => {
    throw failure('reading', d.id, err);
  });
  if (view.kind !== d.kind)
    throw new SimError(
      'SIM_ERR_PROVISION',
      `"${d.id}" exists on the hub as a ${view.kind}, the scenario has a ${d.kind}: remove or rename one of them`,
    );
  const patch: DeviceUpdate = {
    ...(d.intervalS !== undefined && d.intervalS !== view.intervalS && { intervalS: d.intervalS }),
    ...(d.name !== view.name && { name: d.name }),
    ...(d.village !== view.village && { village: d.village }),
  };
  if (Object.keys(patch).length === 0) return;
  await api.deviceUpdate({ params: { id: d.id }, body: patch }).catch((err: unknown) => {
    throw failure('updating', d.id, err);
  });
  logger?.info({ deviceId: d.id, patch }, 'existing device updated');
}

/**
 * Registers every device with the hub and returns its credentials. Idempotent: a device that already
 * exists (409 HUB_ERR_DEVICE_EXISTS) gets its interval, name and village updated where they differ and
 * its secret rotated, since the old one is never shown again.
 */
export async function provisionDevices(opts: ProvisionOptions): Promise<Credentials> {
  // Connection errors and 5xx are retried a few times: the hub may still be starting.
  const api = createHubClient({ baseUrl: opts.hubUrl, token: opts.adminToken, retries: 3 });
  const creds: Credentials = new Map();
  const queue = [...opts.devices];
  let done = 0;
  const worker = async () => {
    for (let d = queue.shift(); d; d = queue.shift()) {
      try {
        creds.set(d.id, (await api.deviceCreate({ body: d })).secret);
      } catch (err) {
        if (!(err instanceof HubApiError && err.status === 409)) throw failure('registering', d.id, err);
        await reconcile(api, d, opts.logger);
        const rotated = await api.deviceRotateSecret({ params: { id: d.id } }).catch((e: unknown) => {
          throw failure('rotating the secret of', d.id, e);
        });
        creds.set(d.id, rotated.secret);
      }
      done++;
      opts.onProgress?.(done, opts.devices.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 8) }, worker));
  opts.logger?.info({ devices: done }, 'devices provisioned');
  return creds;
}

/** Credentials file: a JSON object {deviceId: secret}. */
export function readCredentials(file: string): Credentials {
  if (!existsSync(file)) throw new SimError('SIM_ERR_CREDENTIALS', `credentials file ${file} does not exist`);
  try {
    const obj = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const creds: Credentials = new Map();
    for (const [id, secret] of Object.entries(obj)) {
      if (typeof secret !== 'string') throw new Error(`secret of "${id}" is not a string`);
      creds.set(id, secret);
    }
    return creds;
  } catch (err) {
    throw new SimError('SIM_ERR_CREDENTIALS', `cannot read credentials ${file}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

export function writeCredentials(file: string, creds: Credentials): void {
  writeFileSync(file, JSON.stringify(Object.fromEntries(creds), null, 2) + '\n', { mode: 0o600 });
}
