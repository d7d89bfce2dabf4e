import { execFileSync, execSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEVICE_KINDS, type DeviceDiff, type DeviceView } from '@commune-hub/protocol';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../hub/src/logger.ts';
import { Realtime } from '../../hub/src/realtime/realtime.ts';
import { groupDevices } from '../../web/src/features/devices/grouping.ts';
import { makeDevice } from '../../web/src/test-fixtures.ts';

// The dashboard with 10,000 devices. Provisioning that many through the REST API would spend minutes
// hashing secrets, so the hub's own realtime module (real socket.io, real coalescing) runs here on a
// plain HTTP server that also serves the built dashboard and the device list. Timings are printed,
// never asserted: the machine is shared.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const webDir = path.join(root, 'web/dist');
const DEVICES = 10_000;
const VILLAGES = 40;

function makeFleet(): DeviceView[] {
  const at = new Date().toISOString();
  return Array.from({ length: DEVICES }, (_, i) =>
    makeDevice(`dev-${String(i).padStart(5, '0')}`, {
      kind: DEVICE_KINDS[i % DEVICE_KINDS.length]!,
      name: `Thiết bị số ${i}`,
      village: `Thôn ${(i % VILLAGES) + 1}`,
      villageId: `thon-${(i % VILLAGES) + 1}`,
      since: at,
      lastSeen: at,
      metrics: { signal: -60 },
      createdAt: at,
    }),
  );
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

describe('dashboard with 10,000 devices', () => {
  let server: http.Server;
  let realtime: Realtime;
  let browser: Browser;
  let page: Page;
  let url: string;
  const fleet = makeFleet();

  beforeAll(async () => {
    if (!fs.existsSync(path.join(webDir, 'index.html'))) {
      execFileSync('npx', ['vite', 'build', 'web', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    }
    server = http.createServer((req, res) => {
      const pathname = new URL(req.url ?? '/', 'http://x').pathname;
      if (pathname === '/api/devices') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(fleet));
        return;
      }
      const file = path.join(webDir, pathname === '/' ? 'index.html' : path.normalize(pathname));
      if (!file.startsWith(webDir) || !fs.existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      fs.createReadStream(file).pipe(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const byId = new Map(fleet.map((d) => [d.id, d]));
    realtime = new Realtime(
      server,
      () => fleet,
      (id) => byId.get(id),
      createLogger('warn'),
    );
    realtime.start();

    browser = await chromium.launch({
      executablePath: execSync('which chromium').toString().trim(),
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });

  afterAll(async () => {
    await browser?.close();
    await realtime?.stop();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('renders only the visible rows and applies bursts of diffs in frame-sized batches', async () => {
    const t0 = Date.now();
    await page.goto(url);
    await page.waitForSelector(
      `[data-testid="kind-card-all"][data-total="${DEVICES}"][data-working="${DEVICES}"]`,
    );
    await page.waitForSelector('[data-testid="connection"][data-state="live"]');
    const loadMs = Date.now() - t0;
    const domRows = await page.locator('.device-row').count();
    expect(domRows).toBeGreaterThan(5);
    expect(domRows).toBeLessThan(100);

    // Count frames and main-thread long tasks while diffs pour in.
    await page.evaluate(() => {
      const w = window as unknown as { stats: { frames: number; longTasks: number; longMs: number } };
      w.stats = { frames: 0, longTasks: 0, longMs: 0 };
      const tick = () => {
        w.stats.frames++;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          w.stats.longTasks++;
          w.stats.longMs += e.duration;
        }
      }).observe({ type: 'longtask', buffered: false });
    });

    // 20 bursts of 2,000 changes: every device flips offline then back at least once; the cameras
    // end offline, everything else online.
    const t1 = Date.now();
    const bursts = 20;
    for (let b = 0; b < bursts; b++) {
      for (let k = 0; k < 2_000; k++) {
        const device = fleet[(b * 2_000 + k) % DEVICES]!;
        const offline = b < bursts / 2 || device.kind === 'camera';
        const diff: DeviceDiff = {
          id: device.id,
          status: offline ? 'offline' : 'online',
          reason: offline ? 'timeout' : 'heartbeat',
          lastSeq: b + 2,
        };
        realtime.push(diff);
      }
      realtime.flush();
      await new Promise((r) => setTimeout(r, 20));
    }
    const cameras = fleet.filter((d) => d.kind === 'camera').length;
    await page.waitForSelector(`[data-testid="kind-card-camera"][data-working="0"][data-total="${cameras}"]`);
    await page.waitForSelector(`[data-testid="kind-card-all"][data-working="${DEVICES - cameras}"]`);
    const applyMs = Date.now() - t1;
    const stats = await page.evaluate(() => (window as unknown as { stats: object }).stats);

    // Scrolling to the end shows the last village: the virtualizer's total size is right.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const rows = groupDevices(fleet);
    const last = rows[rows.length - 1]!;
    expect(last.type).toBe('device');
    if (last.type === 'device') await page.waitForSelector(`[data-testid="device-${last.device.id}"]`);
    expect(await page.locator('.device-row').count()).toBeLessThan(100);

    console.log(
      `dashboard scale: ${DEVICES} devices, first paint with all counts ${loadMs} ms, DOM rows ${domRows}; ` +
        `${bursts}×2000 diffs applied in ${applyMs} ms; ${JSON.stringify(stats)}`,
    );
  });
});
