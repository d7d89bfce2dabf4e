import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { DeviceCreate, DeviceUpdate, DeviceView } from '@commune-hub/protocol';
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

async function call(
  url: string,
  token: string,
  body?: unknown,
  method: 'GET' | 'POST' | 'PATCH' = 'POST',
): Promise<{ status: number; json: unknown }> {
  // Retry connection errors and 5xx a few times: the hub may still be starting.
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      if (res.status >= 500 && attempt < 3) throw new Error(`HTTP ${res.status}: ${text.slice(0, 200)}`);
      let json: unknown = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = text;
      }
      return { status: res.status, json };
    } catch (err) {
      if (attempt >= 3) throw err;
      await new Promise((r) => setTimeout(r, 250 * 2 ** attempt));
    }
  }
}

function secretOf(json: unknown, id: string, what: string): string {
  const secret = (json as { secret?: unknown } | null)?.secret;
  if (typeof secret !== 'string')
    throw new SimError(
      'SIM_ERR_PROVISION',
      `${what} for "${id}" answered without a secret: ${JSON.stringify(json)}`,
    );
  return secret;
}

/**
 * Brings an existing device's record in line with the run: its interval above all (a rerun at another
 * --speed must give the hub the grace the devices now beat at), and its name and village. Only the
 * fields that differ are sent; the kind cannot change without re-provisioning, so a different kind is
 * an error.
 */
async function reconcile(base: string, token: string, d: DeviceCreate, logger?: Logger): Promise<void> {
  const url = `${base}/api/devices/${encodeURIComponent(d.id)}`;
  const current = await call(url, token, undefined, 'GET');
  if (current.status !== 200)
    throw new SimError(
      'SIM_ERR_PROVISION',
      `reading "${d.id}" failed: HTTP ${current.status} ${JSON.stringify(current.json)}`,
    );
  const view = current.json as Pick<DeviceView, 'kind' | 'name' | 'village' | 'intervalS'>;
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
  const patched = await call(url, token, patch, 'PATCH');
  if (patched.status !== 200)
    throw new SimError(
      'SIM_ERR_PROVISION',
      `updating "${d.id}" failed: HTTP ${patched.status} ${JSON.stringify(patched.json)}`,
    );
  logger?.info({ deviceId: d.id, patch }, 'existing device updated');
}

/**
 * Registers every device with the hub and returns its credentials. Idempotent: a device that already
 * exists (409 HUB_ERR_DEVICE_EXISTS) gets its interval, name and village updated where they differ and
 * its secret rotated, since the old one is never shown again.
 */
export async function provisionDevices(opts: ProvisionOptions): Promise<Credentials> {
  const base = opts.hubUrl.replace(/\/$/, '');
  const creds: Credentials = new Map();
  const queue = [...opts.devices];
  let done = 0;
  const worker = async () => {
    for (let d = queue.shift(); d; d = queue.shift()) {
      const created = await call(`${base}/api/devices`, opts.adminToken, d).catch((err: Error) => {
        throw new SimError('SIM_ERR_PROVISION', `cannot reach the hub at ${base}: ${err.message}`, {
          cause: err,
        });
      });
      if (created.status === 201 || created.status === 200) {
        creds.set(d.id, secretOf(created.json, d.id, 'POST /api/devices'));
      } else if (created.status === 409) {
        await reconcile(base, opts.adminToken, d, opts.logger);
        const rotated = await call(`${base}/api/devices/${encodeURIComponent(d.id)}/secret`, opts.adminToken);
        if (rotated.status !== 200)
          throw new SimError(
            'SIM_ERR_PROVISION',
            `rotating the secret of "${d.id}" failed: HTTP ${rotated.status} ${JSON.stringify(rotated.json)}`,
          );
        creds.set(d.id, secretOf(rotated.json, d.id, 'POST /api/devices/:id/secret'));
      } else {
        const hint = created.status === 401 || created.status === 403 ? ' (check --token)' : '';
        throw new SimError(
          'SIM_ERR_PROVISION',
          `registering "${d.id}" failed: HTTP ${created.status}${hint} ${JSON.stringify(created.json)}`,
        );
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
