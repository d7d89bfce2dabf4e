import { execFileSync, execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StartedHub } from '@commune-hub/hub';
import type { HubClient } from '@commune-hub/protocol';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubClient, signIn, startTestHub } from '../support/hub.ts';

/**
 * The probe form of the device panel in real Chromium against a real hub serving the built dashboard:
 * an official sets a camera's RTSP target with its password on a phone, and the password never comes back
 * (not in any HTTP response or socket frame the page receives, not in the page); a bad port is refused in
 * Vietnamese naming the field, and what was stored stays.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const webDir = path.join(root, 'web/dist');
const PASSWORD = 'Cam#Pass-7319-xyz';
const WAIT = { timeout: 15_000, interval: 20 };

describe('probe form in the device panel (Chromium)', () => {
  let hub: StartedHub;
  let api: HubClient;
  let browser: Browser;
  let page: Page;
  /** Everything the page received from the hub: HTTP bodies and socket.io frames. */
  const received: string[] = [];

  beforeAll(async () => {
    if (!fs.existsSync(path.join(webDir, 'index.html'))) {
      execFileSync('npx', ['vite', 'build', 'web', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    }
    hub = await startTestHub({ webDir, probeKey: 'b'.repeat(64) });
    api = hubClient(hub);
    await api.deviceCreate({
      body: { id: 'gw-ubnd', kind: 'gateway', name: 'Gateway UBND', village: 'Thôn 1' },
    });
    await api.deviceCreate({
      body: {
        id: 'cam-cong',
        kind: 'camera',
        name: 'Camera cổng UBND',
        village: 'Thôn 1',
        parent: 'gw-ubnd',
      },
    });
    browser = await chromium.launch({
      executablePath: execSync('which chromium').toString().trim(),
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
    await signIn(page.context(), hub);
    page.on('response', async (res) => {
      if (!res.url().startsWith(hub.httpUrl)) return;
      received.push(await res.text().catch(() => ''));
    });
    page.on('websocket', (ws) => ws.on('framereceived', (f) => received.push(String(f.payload))));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  const section = () => page.locator('[data-testid="probe-section"]');
  const field = (name: string) => section().locator(`[name="${name}"]`);

  it('sets an RTSP target with a password that never comes back; a bad port is refused in Vietnamese naming the field', async () => {
    await page.goto(`${hub.httpUrl}/?device=cam-cong`);
    // Signed in as admin: the form opens without any token to type.
    await section().waitFor();

    await field('type').selectOption('rtsp');
    await field('address').fill('192.168.1.64');
    await field('port').fill('554');
    await field('path').fill('/Streaming/Channels/101');
    await field('intervalS').fill('60');
    await field('username').fill('viewer');
    await field('password').fill(PASSWORD);
    await section().getByRole('button', { name: 'Lưu' }).click();
    await page.locator('[data-testid="probe-saved"]').waitFor(WAIT);

    const stored = await api.deviceProbeGet({ params: { id: 'cam-cong' } });
    expect(stored.target).toMatchObject({
      type: 'rtsp',
      address: '192.168.1.64',
      port: 554,
      username: 'viewer',
    });
    expect(stored.secretsSet).toEqual(['password']);

    // Reloaded, the form shows the stored target, says a password is stored, and holds none.
    await page.reload();
    await section().waitFor();
    await expect.poll(() => field('address').inputValue(), WAIT).toBe('192.168.1.64');
    expect(await field('password').inputValue()).toBe('');
    await expect.poll(() => section().textContent(), WAIT).toContain('đã lưu; để trống để giữ nguyên');

    // A port out of range: refused by the hub, said in Vietnamese with the field's name on the form.
    await field('port').fill('70000');
    await section().getByRole('button', { name: 'Lưu' }).click();
    const error = page.locator('[data-testid="probe-error"]');
    await error.waitFor(WAIT);
    expect(await error.textContent()).toBe('Cổng: phải là số nguyên từ 1 đến 65.535.');
    // Nothing accepted is lost: the stored target and its password stay.
    const after = await api.deviceProbeGet({ params: { id: 'cam-cong' } });
    expect(after.target.port).toBe(554);
    expect(after.secretsSet).toEqual(['password']);

    // Never back to the browser: not in any response or frame it received, not in the page.
    expect(received.length).toBeGreaterThan(0);
    expect(received.some((body) => body.includes('192.168.1.64'))).toBe(true); // the probe GET was seen
    expect(received.filter((body) => body.includes(PASSWORD))).toEqual([]);
    expect(await page.content()).not.toContain(PASSWORD);
    // Nor in any read API.
    const reads = [
      await api.deviceProbeGet({ params: { id: 'cam-cong' } }),
      await api.deviceGet({ params: { id: 'cam-cong' } }),
      await api.deviceList({}),
    ];
    expect(JSON.stringify(reads)).not.toContain(PASSWORD);
  }, 120_000);
});
