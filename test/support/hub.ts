import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type HubConfig, type HubDeps, type StartedHub, startHub } from '@commune-hub/hub';
import {
  createHubClient,
  type DeviceCreate,
  type DeviceCredentials,
  type DeviceView,
  type HubClient,
} from '@commune-hub/protocol';

export const TEST_TOKEN = 'test-admin-token-0123456789';

/** A hub on ephemeral ports with its own temp data dir, removed on close. */
export async function startTestHub(
  overrides: Partial<HubConfig> = {},
  deps: HubDeps = {},
): Promise<StartedHub> {
  const dataDir = overrides.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'commune-hub-test-'));
  const hub = await startHub(
    {
      dataDir,
      httpHost: '127.0.0.1',
      mqttHost: '127.0.0.1',
      httpPort: 0,
      mqttPort: 0,
      adminToken: TEST_TOKEN,
      logLevel: 'silent',
      ...overrides,
    },
    deps,
  );
  const close = hub.close;
  hub.close = async () => {
    await close();
    if (!overrides.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return hub;
}

/** protocol's typed REST client for this hub, with its admin token. */
export function hubClient(hub: StartedHub): HubClient {
  return createHubClient({ baseUrl: hub.httpUrl, token: hub.adminToken });
}

export async function provision(
  hub: StartedHub,
  device: { id: string; kind: string; name: string; village: string; intervalS?: number },
): Promise<DeviceCredentials> {
  // `kind` is loose here so tests can also provision kinds the hub must refuse (HubApiError, HUB_ERR_VALIDATION).
  return hubClient(hub).deviceCreate({ body: device as DeviceCreate });
}

export async function getJson<T>(hub: StartedHub, urlPath: string): Promise<T> {
  const res = await fetch(`${hub.httpUrl}${urlPath}`);
  if (!res.ok) throw new Error(`GET ${urlPath}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export const getDevice = (hub: StartedHub, id: string): Promise<DeviceView> =>
  hubClient(hub).deviceGet({ params: { id } });

export { waitFor } from './wait.ts';

/**
 * Sum of the Prometheus samples whose labels include `labels`, e.g.
 * metric('hub_ingest_accepted_total', { channel: 'hb' }) adds up every `use`.
 */
export async function metric(
  hub: StartedHub,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const text = await (await fetch(`${hub.httpUrl}/metrics`)).text();
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (want.every((w) => line.includes(w))) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}
