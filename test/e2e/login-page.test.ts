import { execFileSync, execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StartedHub } from '@commune-hub/hub';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubClient, startTestHub, TEST_ADMIN } from '../support/hub.ts';

/**
 * The dashboard behind its sign-in (Chromium, a phone, against a real hub serving the built dashboard):
 * nothing of the fleet before sign-in, a wrong password said in Vietnamese, then the live dashboard of
 * the user's own communes only, and signing out brings the form back.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const webDir = path.join(root, 'web/dist');

describe('sign-in page (Chromium)', () => {
  let hub: StartedHub;
  let browser: Browser;
  let page: Page;
  const received: string[] = [];

  beforeAll(async () => {
    const built =
      fs.existsSync(path.join(webDir, 'assets')) &&
      fs
        .readdirSync(path.join(webDir, 'assets'))
        .some(
          (f) =>
            f.endsWith('.js') &&
            fs.readFileSync(path.join(webDir, 'assets', f), 'utf8').includes('login-form'),
        );
    if (!built)
      execFileSync('npx', ['vite', 'build', 'web', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    hub = await startTestHub({ webDir });
    const admin = hubClient(hub);
    await admin.communeCreate({ body: { id: 'xa-a', name: 'Xã A' } });
    await admin.communeCreate({ body: { id: 'xa-b', name: 'Xã B' } });
    await admin.villageCreate({ body: { id: 'thon-a', name: 'Thôn A', communeId: 'xa-a' } });
    await admin.villageCreate({ body: { id: 'thon-b', name: 'Thôn B', communeId: 'xa-b' } });
    await admin.deviceCreate({
      body: { id: 'loa-a', kind: 'loudspeaker', name: 'Loa xã A', village: 'thon-a' },
    });
    await admin.deviceCreate({
      body: { id: 'loa-b', kind: 'loudspeaker', name: 'Loa xã B', village: 'thon-b' },
    });
    await admin.userCreate({
      body: { username: 'lan', password: 'mat-khau-cua-lan', role: 'viewer', communeIds: ['xa-a'] },
    });
    browser = await chromium.launch({
      executablePath: execSync('which chromium').toString().trim(),
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
    page.on('response', async (res) => {
      if (res.url().startsWith(hub.httpUrl)) received.push(await res.text().catch(() => ''));
    });
    page.on('websocket', (ws) => ws.on('framereceived', (f) => received.push(String(f.payload))));
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('shows the form, refuses a wrong password in Vietnamese, then opens only the user’s commune', async () => {
    // The device list (home is 'Hôm nay' since the router): a deep link survives the sign-in.
    await page.goto(`${hub.httpUrl}/thiet-bi`);
    await page.waitForSelector('[data-testid="login-form"]');
    expect(received.join('\n')).not.toContain('Loa xã');

    await page.fill('input[name="username"]', 'lan');
    await page.fill('input[name="password"]', 'sai-mat-khau-roi');
    await page.click('[data-testid="login-submit"]');
    await expect
      .poll(() => page.locator('[data-testid="login-error"]').textContent())
      .toBe('Sai tên đăng nhập hoặc mật khẩu.');

    await page.fill('input[name="password"]', 'mat-khau-cua-lan');
    await page.click('[data-testid="login-submit"]');
    await page.waitForSelector('[data-testid="connection"][data-state="live"]');
    await page.waitForSelector('[data-testid="device-loa-a"]');
    expect(await page.locator('[data-testid="auth-bar"]').textContent()).toContain('lan · Xem');
    expect(await page.locator('[data-testid="device-loa-b"]').count()).toBe(0);
    expect(received.join('\n')).not.toContain('Loa xã B');

    await page.click('[data-testid="sign-out"]');
    await page.waitForSelector('[data-testid="login-form"]');
  });

  it('the province admin signs in and sees both communes', async () => {
    // On its own: no session left from another test.
    await page.context().clearCookies();
    await page.goto(`${hub.httpUrl}/thiet-bi`);
    await page.waitForSelector('[data-testid="login-form"]');
    await page.fill('input[name="username"]', TEST_ADMIN.username);
    await page.fill('input[name="password"]', TEST_ADMIN.password);
    await page.click('[data-testid="login-submit"]');
    await page.waitForSelector('[data-testid="device-loa-b"]');
    await page.waitForSelector('[data-testid="device-loa-a"]');
  });
});
