import type { StartedHub } from '@commune-hub/hub';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtDashboard, launchChromium, watchPage } from '../support/browser.ts';
import { connectDevice } from '../support/device.ts';
import { hubClient, signIn, startTestHub } from '../support/hub.ts';
import { fireOfflineAlerts, KIOSK_OFFLINE_RULE } from '../support/offline-alerts.ts';

/**
 * Issue 14, "a strict CSP that the dashboard passes": Chromium signed in as the province admin walks every
 * page of the dashboard (and every tab of the alerts and management pages, and the forms they open) on a
 * hub with data on each, and the test fails on any Content-Security-Policy violation or uncaught page
 * error. The public status page is visited signed out, as the public sees it.
 */
describe('the strict CSP holds on every page of the signed-in dashboard (Chromium)', () => {
  let hub: StartedHub;
  let browser: Browser;
  let t = Date.parse('2026-12-01T02:00:00Z');

  beforeAll(async () => {
    const webDir = builtDashboard('rules-read-only');
    hub = await startTestHub({ webDir, livenessSweepMs: 10, alertsTickMs: 20 }, { clock: { now: () => t } });
    const admin = hubClient(hub);
    await admin.communeCreate({ body: { id: 'xa-a', name: 'Xã A', province: 'Thanh Hóa' } });
    await admin.villageCreate({ body: { id: 'thon-a', name: 'Thôn A1', communeId: 'xa-a' } });
    const kiosk = await admin.deviceCreate({
      body: { id: 'a-kiosk', kind: 'kiosk', name: 'Kiosk xã A', village: 'thon-a', intervalS: 30 },
    });
    const wifi = await admin.deviceCreate({
      body: { id: 'a-wifi', kind: 'wifi', name: 'Wifi nhà văn hoá', village: 'thon-a', intervalS: 30 },
    });
    await admin.publicGroupCreate({
      body: { slug: 'wifi-xa-a', name: 'Wifi công cộng', selector: { kind: 'wifi' }, published: true },
    });
    await admin.alertRuleCreate({ body: KIOSK_OFFLINE_RULE });
    // The wifi stays online with metrics; the kiosk beats once and drops: an alert fires for it.
    const w = await connectDevice(hub.mqttUrl, wifi);
    await w.beat({ ts: t, m: { clients: 12, cpuPct: 20 } });
    await fireOfflineAlerts(hub, admin, [kiosk], t, (ms) => {
      t += ms;
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  /** A fresh context (signed in unless told otherwise) and page, watched for CSP violations. */
  async function openPage(
    signedIn = true,
  ): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    if (signedIn) await signIn(context, hub);
    const page = await context.newPage();
    const { problems } = await watchPage(page);
    return { context, page, problems };
  }

  /** Opens `path`, waits for `testId` and for the network to settle (the socket aside). */
  async function visit(page: Page, path: string, testId: string): Promise<void> {
    const res = await page.goto(`${hub.httpUrl}${path}`);
    expect(res?.status(), path).toBe(200);
    expect(res?.headers()['content-security-policy'], path).toContain("default-src 'self'");
    await page.getByTestId(testId).first().waitFor({ timeout: 30_000 });
    await page.waitForLoadState('networkidle');
  }

  it('home, devices, a device, villages, a village, uptime and criteria', async () => {
    const { context, page, problems } = await openPage();
    try {
      for (const [path, testId] of [
        ['/', 'home-page'],
        ['/thiet-bi', 'devices-page'],
        ['/thiet-bi/a-wifi', 'detail-panel'],
        ['/thiet-bi/a-kiosk?ky=7d', 'detail-panel'],
        ['/thon', 'villages-page'],
        ['/thon/thon-a', 'village-page'],
        ['/thoi-gian-hoat-dong', 'uptime-page'],
        ['/chi-tieu', 'criteria-page'],
      ] as const) {
        await visit(page, path, testId);
      }
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('alerts: history, rules, channels and schedules, with their forms open', async () => {
    const { context, page, problems } = await openPage();
    try {
      await visit(page, '/alerts', 'alerts-page');
      await page.locator('[data-testid^="ack-"]').first().click();
      await page.getByTestId('ack-by').waitFor();
      for (const [tab, add] of [
        ['rules', 'rule-add'],
        ['channels', null],
        ['schedules', 'schedule-add'],
      ] as const) {
        await visit(page, `/alerts?tab=${tab}`, `tab-${tab}`);
        if (add) await page.getByTestId(add).click();
        await page.waitForLoadState('networkidle');
      }
      await page.getByTestId('tab-history').click();
      await page.waitForLoadState('networkidle');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('management: every section', async () => {
    const { context, page, problems } = await openPage();
    try {
      await visit(page, '/quan-ly', 'admin-access');
      for (const section of ['thiet-bi', 'nhap-csv', 'bao-tri', 'cong-khai']) {
        await page.getByTestId(`manage-tab-${section}`).click();
        await page.waitForLoadState('networkidle');
      }
      await visit(page, '/quan-ly?muc=bao-tri', 'maintenance-form');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the public status page, signed out', async () => {
    const { context, page, problems } = await openPage(false);
    try {
      await visit(page, '/trang-thai/wifi-xa-a', 'public-summary');
      expect(await page.getByTestId('public-summary').textContent()).toBeTruthy();
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
