import { execFileSync, execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHub } from '@commune-hub/hub';
import {
  type DeviceCreate,
  type DeviceCredentials,
  type DeviceKind,
  type DeviceView,
  deviceTopic,
  type Heartbeat,
  STATUS_OFFLINE,
  STATUS_ONLINE,
} from '@commune-hub/protocol';
import mqtt, { type MqttClient } from 'mqtt';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authHeaders, signIn, withFirstAdmin } from '../support/hub.ts';
import { waitFor } from '../support/wait.ts';

// The real thing end to end: built dashboard served by a real hub, real MQTT clients, real Chromium.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const webDir = path.join(root, 'web/dist');
const ADMIN_TOKEN = 'dashboard-e2e-admin-token';
const WEIRD_NAME = 'Loa "thôn" <b>1</b>, Đông';

/** 20 devices over three villages and five kinds; one has a name full of markup and quotes. */
function fleetPlan(): DeviceCreate[] {
  const plan: [DeviceKind, string, string][] = [
    ['loudspeaker', 'loa-dong-1', 'Thôn Đông'],
    ['loudspeaker', 'loa-dong-2', 'Thôn Đông'],
    ['loudspeaker', 'loa-tay-1', 'Thôn Tây'],
    ['loudspeaker', 'loa-tay-2', 'Thôn Tây'],
    ['loudspeaker', 'loa-nam-1', 'Thôn Nam'],
    ['loudspeaker', 'loa-nam-2', 'Thôn Nam'],
    ['loudspeaker', 'loa-nam-3', 'Thôn Nam'],
    ['loudspeaker', 'loa-weird', 'Thôn Đông'],
    ['wifi', 'wifi-dong-1', 'Thôn Đông'],
    ['wifi', 'wifi-dong-2', 'Thôn Đông'],
    ['wifi', 'wifi-tay-1', 'Thôn Tây'],
    ['wifi', 'wifi-nam-1', 'Thôn Nam'],
    ['wifi', 'wifi-nam-2', 'Thôn Nam'],
    ['camera', 'cam-dong-1', 'Thôn Đông'],
    ['camera', 'cam-tay-1', 'Thôn Tây'],
    ['camera', 'cam-tay-2', 'Thôn Tây'],
    ['camera', 'cam-nam-1', 'Thôn Nam'],
    ['pc', 'pc-ubnd-1', 'Thôn Đông'],
    ['pc', 'pc-ubnd-2', 'Thôn Đông'],
    ['kiosk', 'kiosk-1', 'Thôn Đông'],
  ];
  return plan.map(([kind, id, village]) => ({
    id,
    kind,
    village,
    name: id === 'loa-weird' ? WEIRD_NAME : `${id.toUpperCase()} – ${village}`,
    // Long interval: nothing may time out while the test runs, only the killed client goes offline.
    intervalS: 600,
  }));
}

function ensureDashboardBuilt(): void {
  if (fs.existsSync(path.join(webDir, 'index.html'))) return;
  execFileSync('npx', ['vite', 'build', 'web', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}

/** A hub serving the built dashboard, with the 20-device fleet connected, online and beating. */
interface Fleet {
  hub: Awaited<ReturnType<typeof startHub>>;
  dataDir: string;
  clients: Map<string, MqttClient>;
  restart(): Promise<void>;
  close(): Promise<void>;
}

async function startFleet(): Promise<Fleet> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-e2e-'));
  const config = {
    dataDir,
    httpPort: 0,
    mqttPort: 0,
    adminToken: ADMIN_TOKEN,
    logLevel: 'warn',
    webDir,
  } as const;
  const fleet: Fleet = {
    hub: await withFirstAdmin(await startHub(config)),
    dataDir,
    clients: new Map(),
    async restart() {
      const port = fleet.hub.httpPort;
      await fleet.hub.close();
      fleet.hub = await withFirstAdmin(await startHub({ ...config, httpPort: port }));
    },
    async close() {
      for (const client of fleet.clients.values()) await client.endAsync(true).catch(() => {});
      await fleet.hub.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  const hub = fleet.hub;
  for (const device of fleetPlan()) {
    const res = await fetch(`${hub.httpUrl}/api/devices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify(device),
    });
    expect(res.status).toBe(201);
    const { secret } = (await res.json()) as DeviceCredentials;
    const client = await mqtt.connectAsync(hub.mqttUrl, {
      clientId: device.id,
      username: device.id,
      password: secret,
      reconnectPeriod: 0,
      will: {
        topic: deviceTopic(device.id, 'status'),
        payload: Buffer.from(STATUS_OFFLINE),
        qos: 1,
        retain: true,
      },
    });
    fleet.clients.set(device.id, client);
    await client.publishAsync(deviceTopic(device.id, 'status'), STATUS_ONLINE, { qos: 1, retain: true });
    const hb: Heartbeat = {
      v: 1,
      ts: Date.now(),
      seq: 1,
      up: 120,
      st: 'ok',
      m: { signal: -61, volume: 7 },
    };
    await client.publishAsync(deviceTopic(device.id, 'hb'), JSON.stringify(hb), { qos: 1 });
  }
  await waitFor(async () => {
    const list = (await (
      await fetch(`${hub.httpUrl}/api/devices`, { headers: authHeaders(hub) })
    ).json()) as DeviceView[];
    return list.length === 20 && list.every((d) => d.status === 'online');
  }, 'all devices online over REST');
  return fleet;
}

/*
 * Every test gets its own browser context (no shared page, storage or language choice), and a test
 * that changes the hub's state (a dropped device, a restart) gets its own hub and fleet: any test
 * can run alone or in any order.
 */
describe('dashboard in a real browser', () => {
  let browser: Browser;
  let shared: Fleet;
  let context: BrowserContext;

  beforeAll(async () => {
    ensureDashboardBuilt();
    browser = await chromium.launch({
      executablePath: execSync('which chromium').toString().trim(),
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    shared = await startFleet();
  });

  afterAll(async () => {
    await browser?.close();
    await shared?.close();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  });

  afterEach(async () => {
    await context?.close();
  });

  async function openDashboard(fleet: Fleet): Promise<Page> {
    await signIn(context, fleet.hub);
    const page = await context.newPage();
    // The device list (the home page is "Hôm nay" since the router).
    await page.goto(`${fleet.hub.httpUrl}/thiet-bi`);
    await page.waitForSelector('[data-testid="connection"][data-state="live"]');
    return page;
  }

  it('shows Vietnamese labels in UTF-8, without mojibake', async () => {
    const page = await openDashboard(shared);
    expect(await page.evaluate(() => document.characterSet)).toBe('UTF-8');
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');
    expect(await page.locator('h1').textContent()).toBe('Giám sát hạ tầng số xã');
    await page.waitForSelector('[data-testid="kind-card-all"][data-total="20"]');
    const text = (await page.locator('#root').textContent()) ?? '';
    for (const label of [
      'Cụm loa',
      'Điểm phát wifi',
      'Camera an ninh',
      'Máy tính CBCC',
      'Máy tra cứu (kiosk)',
      'Hoạt động',
    ]) {
      expect(text).toContain(label);
    }
    // Typical UTF-8-read-as-Latin-1 debris, and the replacement character.
    expect(text).not.toMatch(/Ã|Â|á»|\uFFFD/);
  });

  it('shows every device online with the right count per kind', async () => {
    const page = await openDashboard(shared);
    const expected: Record<string, number> = { loudspeaker: 8, wifi: 5, camera: 4, pc: 2, kiosk: 1, all: 20 };
    for (const [kind, n] of Object.entries(expected)) {
      await page.waitForSelector(`[data-testid="kind-card-${kind}"][data-working="${n}"][data-total="${n}"]`);
    }
    expect(await page.locator('[data-testid^="kind-card-"]').count()).toBe(6);
    const rows = page.locator('.device-row');
    expect(await rows.count()).toBeGreaterThan(5);
    expect(await page.locator('.device-row[data-status]:not([data-status="online"])').count()).toBe(0);
  });

  it('renders a name with quotes and markup as plain text', async () => {
    const page = await openDashboard(shared);
    await page.fill('[data-testid="search"]', 'loa-weird');
    const name = page.locator('[data-testid="device-loa-weird"] [data-testid="device-name"]');
    await name.waitFor();
    expect(await name.textContent()).toBe(WEIRD_NAME);
    expect(await page.locator('[data-testid="device-loa-weird"] b').count()).toBe(0);
  });

  it('turns a device offline live when its connection drops (last will), without reload', async () => {
    const own = await startFleet();
    try {
      const page = await openDashboard(own);
      await page.evaluate(() => {
        (window as unknown as { e2eMarker: number }).e2eMarker = 42;
      });
      // Typed without accents on purpose: the search folds Vietnamese diacritics.
      await page.fill('[data-testid="search"]', 'wifi thon tay');
      await page.waitForSelector('[data-testid="device-wifi-tay-1"][data-status="online"]');

      // End the socket without DISCONNECT so the broker fires the last will.
      own.clients.get('wifi-tay-1')!.stream.destroy();

      await page.waitForSelector('[data-testid="device-wifi-tay-1"][data-status="offline"]', {
        timeout: 15_000,
      });
      await page.waitForSelector('[data-testid="kind-card-wifi"][data-working="4"][data-total="5"]');
      await page.waitForSelector('[data-testid="kind-card-all"][data-working="19"][data-total="20"]');
      expect(await page.evaluate(() => (window as unknown as { e2eMarker?: number }).e2eMarker)).toBe(42);

      // The detail panel tells why, in Vietnamese.
      await page.click('[data-testid="device-wifi-tay-1"]');
      const transitions = page.locator('[data-testid="transitions"]');
      await transitions.waitFor();
      await waitFor(
        async () => ((await transitions.textContent()) ?? '').includes('Kết nối bị ngắt đột ngột'),
        'the disconnect transition',
      );
      expect(await page.locator('[data-testid="detail-name"]').textContent()).toBe('WIFI-TAY-1 – Thôn Tây');
      // Uptime as measured by the hub: up for the seconds it beat, down since the disconnect.
      const uptime = page.locator('[data-testid="uptime"]');
      await waitFor(
        // vi-VN: a decimal comma and a space before the percent sign ("99,50 %").
        async () => /24 giờ qua\s*\d+,\d\d\s%/.test((await uptime.textContent()) ?? ''),
        'uptime figures',
      );
      await page.screenshot({ path: '/tmp/dashboard-detail.png' });
      await page.keyboard.press('Escape');
      await page.fill('[data-testid="search"]', '');
      await page.waitForSelector('[data-testid="detail-panel"]', { state: 'detached' });
      await page.screenshot({ path: '/tmp/dashboard.png' });
    } finally {
      await own.close();
    }
  }, 180_000);

  it('shows the lost connection and recovers by itself when the hub restarts', async () => {
    const own = await startFleet();
    try {
      const page = await openDashboard(own);
      await page.evaluate(() => {
        (window as unknown as { e2eMarker: number }).e2eMarker = 42;
      });
      await own.hub.close();
      await page.waitForSelector('[data-testid="connection"][data-state="reconnecting"]');
      expect(await page.locator('[data-testid="connection"]').textContent()).toContain('Đang kết nối lại');
      await own.restart();
      await page.waitForSelector('[data-testid="connection"][data-state="live"]', { timeout: 20_000 });
      await page.waitForSelector('[data-testid="kind-card-all"][data-total="20"]');
      // Recovered in the same page: no reload happened.
      expect(await page.evaluate(() => (window as unknown as { e2eMarker?: number }).e2eMarker)).toBe(42);
    } finally {
      await own.close();
    }
  });

  it('switches to English and back', async () => {
    const page = await openDashboard(shared);
    await page.waitForSelector('text=Cụm loa');
    await page.click('.lang-button');
    await page.waitForSelector('text=Loudspeaker cluster');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.click('.lang-button');
    await page.waitForSelector('text=Cụm loa');
  });
});
