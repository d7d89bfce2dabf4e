import { execFileSync, execSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEVICE_KINDS, type DeviceView } from '@commune-hub/protocol';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLASSIFY_OPTIONS } from '../../hub/src/correlation/index.ts';
import { villageHealth } from '../../hub/src/home/village-health.ts';
import { createLogger } from '../../hub/src/logger.ts';
import { Realtime } from '../../hub/src/realtime/realtime.ts';
import { groupDevices } from '../../web/src/features/devices/index.ts';
import { makeDevice } from '../../web/src/test-fixtures.ts';
import { waitFor } from '../support/wait.ts';

// The dashboard with 10,000 devices. Provisioning that many through the REST API would spend minutes
// hashing secrets, so the hub's own realtime module (real socket.io, real coalescing) runs here on a
// plain HTTP server that also serves the built dashboard and the device list. The page runs on
// Playwright's fake clock, so the test decides when an animation frame happens: what is asserted is
// which diffs each frame applies, never how long anything took (timings are only printed).
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
      // The dashboard opens only for a signed-in user (web/src/features/auth): this stand-in hub says who.
      if (pathname === '/api/session/me') {
        const user = { id: 'u1', username: 'admin', displayName: 'admin', role: 'admin', province: true };
        const me = { user: { ...user, communeIds: [], disabled: false, createdAt: '', lastLoginAt: null } };
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ ...me, via: 'session', csrfToken: 'x', expiresAt: null }));
        return;
      }
      if (pathname === '/api/devices') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(fleet));
        return;
      }
      // What the home page reads besides the list, answered as the hub would for this fleet.
      const home: Record<string, () => unknown> = {
        '/api/villages/health': () => villageHealth(fleet, DEFAULT_CLASSIFY_OPTIONS),
        '/api/feed': () => ({ since: new Date().toISOString(), items: [], truncated: false }),
        '/api/communes': () => [
          { id: 'hoang-kim', name: 'Xã Hoàng Kim', province: 'Thanh Hóa', mergedInto: null },
        ],
      };
      const answer = home[pathname];
      if (answer) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer()));
        return;
      }
      // Pages of the dashboard (no file extension) get its index.html, as the hub serves them.
      const isPage = !/\.\w+$/.test(pathname);
      const file = path.join(webDir, isPage ? 'index.html' : path.normalize(pathname));
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

  it('first load of the home page ("Hôm nay") shows every kind\'s line with the right counts', async () => {
    // Measured exactly as the device list was before the router (the figure in BENCHMARKS.md): the first
    // navigation of the page opened in beforeAll, on Playwright's clock.
    const home = page;
    await home.clock.install();
    const t0 = Date.now();
    await home.goto(url);
    // Every kind's line says all of its devices work, and the socket is live.
    await home.waitForSelector(`[data-testid="kind-line-${DEVICE_KINDS.at(-1)}"]`);
    await home.waitForSelector('[data-testid="connection"][data-state="live"]');
    const loadMs = Date.now() - t0;
    for (const kind of DEVICE_KINDS) {
      const n = fleet.filter((d) => d.kind === kind).length.toLocaleString('vi-VN');
      expect(await home.getByTestId(`kind-line-${kind}`).textContent()).toContain(`${n}/${n}`);
    }
    expect(await home.getByTestId('problems').textContent()).toContain(
      'Mọi thiết bị đang hoạt động bình thường',
    );
    console.log(
      `dashboard scale: ${DEVICES} devices, home first load with every kind line and live ${loadMs} ms`,
    );
    await home.close();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });

  it('renders only the visible rows and applies bursts of diffs in frame-sized batches', async () => {
    // Counts, in the page, the diff messages the socket has delivered to the app.
    await page.addInitScript(() => {
      const w = window as unknown as { diffMessages: number };
      w.diffMessages = 0;
      const Native = window.WebSocket;
      window.WebSocket = class extends Native {
        constructor(...args: ConstructorParameters<typeof WebSocket>) {
          super(...args);
          // Registered before socket.io's own handler, so counted messages are handed over right after.
          this.addEventListener('message', (e) => {
            if (typeof e.data === 'string' && e.data.includes('"devices:diff"')) w.diffMessages++;
          });
        }
      };
    });
    await page.clock.install();
    const t0 = Date.now();
    await page.goto(`${url}/thiet-bi`);
    await page.waitForSelector(
      `[data-testid="kind-card-all"][data-total="${DEVICES}"][data-working="${DEVICES}"]`,
    );
    await page.waitForSelector('[data-testid="connection"][data-state="live"]');
    const loadMs = Date.now() - t0;
    const domRows = await page.locator('.device-row').count();
    expect(domRows).toBeGreaterThan(5);
    expect(domRows).toBeLessThan(100);

    // Every value the "all devices" card shows from now on, in order.
    await page.evaluate(() => {
      const w = window as unknown as { shown: string[] };
      w.shown = [];
      const read = () =>
        document.querySelector('[data-testid="kind-card-all"]')?.getAttribute('data-working');
      let last = read();
      new MutationObserver(() => {
        const now = read();
        if (now != null && now !== last) w.shown.push(now);
        last = now;
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    const diffMessages = () =>
      page.evaluate(() => (window as unknown as { diffMessages: number }).diffMessages);
    const shown = () => page.evaluate(() => (window as unknown as { shown: string[] }).shown);
    const working = () => page.locator('[data-testid="kind-card-all"]').getAttribute('data-working');

    // No frame runs from here unless the test advances the page's clock.
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1000);
    // One animation frame. The fake clock's frames fall on multiples of 16 ms of its ticks (which the
    // page's performance.now shows): run exactly to the next one, so every round takes the same path
    // wherever the clock was paused. A frame's changes then reach the card through TanStack Query,
    // which notifies its observers with setTimeout(0), and a timer set while the fake clock runs a
    // frame is due one tick later: run that tick too. (The old flake: runFor(16) ended on the frame's
    // tick, and the card waited for a tick that never came.)
    const runOneFrame = async () => {
      const sinceFrame = await page.evaluate(() => performance.now() % 16);
      await page.clock.runFor(16 - sinceFrame);
      await page.clock.runFor(1);
    };

    // Each round: 4 socket messages of 500 changes arrive between two frames. The next frame must apply
    // all 2,000 at once (one step of the card), and nothing may be applied before it.
    const ROUNDS = 5;
    const MESSAGES = 4;
    const PER_MESSAGE = 500;
    const steps: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const before = await diffMessages();
      for (let m = 0; m < MESSAGES; m++) {
        for (let k = 0; k < PER_MESSAGE; k++) {
          const device = fleet[(round * MESSAGES + m) * PER_MESSAGE + k]!;
          realtime.push({ id: device.id, status: 'offline', reason: 'timeout', lastSeq: round + 2 });
        }
        realtime.flush(); // one socket message
      }
      await waitFor(
        async () => (await diffMessages()) === before + MESSAGES,
        `round ${round}: messages delivered`,
      );
      const shownBefore = String(DEVICES - round * MESSAGES * PER_MESSAGE);
      expect(await working(), 'nothing is applied between frames').toBe(shownBefore);

      await runOneFrame();
      const expected = String(DEVICES - (round + 1) * MESSAGES * PER_MESSAGE);
      await page.waitForSelector(`[data-testid="kind-card-all"][data-working="${expected}"]`);
      steps.push(expected);
      expect(await shown(), 'one step per frame, with every change of the round').toEqual(steps);
    }
    expect(steps.at(-1)).toBe(String(DEVICES - ROUNDS * MESSAGES * PER_MESSAGE));

    // Scrolling to the end shows the last village: the virtualizer's total size is right.
    await page.clock.resume();
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const rows = groupDevices(fleet);
    const last = rows[rows.length - 1]!;
    expect(last.type).toBe('device');
    if (last.type === 'device') await page.waitForSelector(`[data-testid="device-${last.device.id}"]`);
    expect(await page.locator('.device-row').count()).toBeLessThan(100);

    console.log(
      `dashboard scale: ${DEVICES} devices, first paint with all counts ${loadMs} ms, DOM rows ${domRows}`,
    );
  });
});
