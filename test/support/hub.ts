import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureFirstAdmin, type HubConfig, type HubDeps, type StartedHub, startHub } from '@commune-hub/hub';
import {
  createHubClient,
  type DeviceCreate,
  type DeviceCredentials,
  type DeviceView,
  type HubClient,
} from '@commune-hub/protocol';
import type { BrowserContext } from 'playwright-core';

export const TEST_TOKEN = 'test-admin-token-0123456789';
/** The test hubs' first admin (province-wide): sign in with these in a browser test (`signIn`). */
export const TEST_ADMIN = { username: 'admin', password: 'test-admin-password' } as const;

/**
 * A hub on ephemeral ports with its own temp data dir, removed on close. It has a first admin
 * (TEST_ADMIN) whose personal API token is the hub's `adminToken` (TEST_TOKEN unless overridden), so
 * `hubClient(hub)` and `authHeaders(hub)` act as a province-wide admin. `firstAdmin: false`: a bare hub
 * with no user at all (tests of the first-admin path).
 */
export async function startTestHub(
  overrides: Partial<HubConfig> = {},
  deps: HubDeps = {},
  options: { firstAdmin?: boolean } = {},
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
  if (options.firstAdmin !== false) {
    await ensureFirstAdmin(hub.app, { ...TEST_ADMIN, token: hub.adminToken });
  }
  const close = hub.close;
  hub.close = async () => {
    await close();
    if (!overrides.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  };
  return hub;
}

/** A hub started some other way (own config, restarts) gets the same first admin and token as startTestHub's. */
export async function withFirstAdmin(hub: StartedHub): Promise<StartedHub> {
  await ensureFirstAdmin(hub.app, { ...TEST_ADMIN, token: hub.adminToken });
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

/** `Authorization: Bearer` with the test hub's admin API token: for raw `fetch` calls. */
export const authHeaders = (hub: Pick<StartedHub, 'adminToken'>): Record<string, string> => ({
  authorization: `Bearer ${hub.adminToken}`,
});

/** Signs in as TEST_ADMIN and puts the session cookie in a Chromium context, as the login page would. */
export async function signIn(
  context: Pick<BrowserContext, 'addCookies'>,
  hub: Pick<StartedHub, 'httpUrl'>,
  user: { username: string; password: string } = TEST_ADMIN,
): Promise<void> {
  const res = await fetch(`${hub.httpUrl}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(user),
  });
  if (!res.ok) throw new Error(`sign-in as ${user.username}: ${res.status} ${await res.text()}`);
  const value = /hub_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  if (!value) throw new Error('sign-in answered no session cookie');
  await context.addCookies([
    { name: 'hub_session', value, url: hub.httpUrl, httpOnly: true, sameSite: 'Strict' },
  ]);
}

export async function getJson<T>(hub: StartedHub, urlPath: string): Promise<T> {
  const res = await fetch(`${hub.httpUrl}${urlPath}`, { headers: authHeaders(hub) });
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
  const text = await (await fetch(`${hub.httpUrl}/metrics`, { headers: authHeaders(hub) })).text();
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (want.every((w) => line.includes(w))) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}
