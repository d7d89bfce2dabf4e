import type { StartedHub } from '@commune-hub/hub';
import type { Alert, HubClient } from '@commune-hub/protocol';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtDashboard, launchChromium, watchPage } from '../support/browser.ts';
import { hubClient, signIn, startTestHub } from '../support/hub.ts';
import { fireOfflineAlerts, KIOSK_OFFLINE_RULE } from '../support/offline-alerts.ts';

/**
 * Issue 14, roles and scope in the browser: a viewer and an operator of commune A, each signed in to the
 * real dashboard in Chromium. The viewer is offered no write control (no management link, no acknowledge
 * or mute button, no maintenance form, no rule or schedule editor, though it reads rules and schedules),
 * and a write sent with its own session cookie and CSRF token is 403 (404 for an id of commune B). The
 * operator acknowledges an alert and schedules maintenance from the pages but is offered no device
 * controls, and its attempt to add a device is 403. Neither ever receives or shows anything of commune B.
 */
const B_MARKERS = ['b-kiosk', 'Kiosk xã B', 'Thôn B1', 'Xã B'];
/** The maintenance windows asked for: around the test's (fake) now. */
const WEEK = { from: '2026-11-28T00:00:00Z', to: '2026-12-05T00:00:00Z' };
const VIEWER = { username: 'lan.a', password: 'viewer-password-a' };
const OPERATOR = { username: 'minh.a', password: 'operator-password-a' };

describe('viewer and operator of commune A in the dashboard (Chromium)', () => {
  let hub: StartedHub;
  let admin: HubClient;
  let browser: Browser;
  const t = Date.parse('2026-12-01T02:00:00Z');
  let now = t;
  /** The firing offline alert of each kiosk, by device id. */
  const alertOf: Record<string, Alert> = {};

  beforeAll(async () => {
    const webDir = builtDashboard('rules-read-only');
    hub = await startTestHub(
      { webDir, livenessSweepMs: 10, alertsTickMs: 20 },
      { clock: { now: () => now } },
    );
    admin = hubClient(hub);
    await admin.communeCreate({ body: { id: 'xa-a', name: 'Xã A', province: 'Thanh Hóa' } });
    await admin.communeCreate({ body: { id: 'xa-b', name: 'Xã B', province: 'Thanh Hóa' } });
    await admin.villageCreate({ body: { id: 'thon-a', name: 'Thôn A1', communeId: 'xa-a' } });
    await admin.villageCreate({ body: { id: 'thon-b', name: 'Thôn B1', communeId: 'xa-b' } });
    const kiosks = await Promise.all(
      [
        ['a-kiosk', 'Kiosk xã A', 'thon-a'],
        ['a-kiosk-2', 'Kiosk bưu điện xã A', 'thon-a'],
        ['b-kiosk', 'Kiosk xã B', 'thon-b'],
      ].map(([id, name, village]) =>
        admin.deviceCreate({
          body: { id: id!, kind: 'kiosk', name: name!, village: village!, intervalS: 30 },
        }),
      ),
    );
    await admin.userCreate({ body: { ...VIEWER, role: 'viewer', communeIds: ['xa-a'] } });
    await admin.userCreate({ body: { ...OPERATOR, role: 'operator', communeIds: ['xa-a'] } });
    await admin.alertRuleCreate({ body: KIOSK_OFFLINE_RULE });
    await admin.alertScheduleCreate({
      body: {
        id: 'gio-hanh-chinh',
        name: 'Giờ hành chính',
        hours: [{ days: [1, 2, 3, 4, 5], from: '07:30', to: '17:00' }],
      } as never,
    });
    // Every kiosk beats once and drops: one offline alert each, firing five minutes later.
    await fireOfflineAlerts(hub, admin, kiosks, t, (ms) => {
      now += ms;
    });
    for (const a of (await admin.alertList({ query: { state: 'firing', from: '0' } })).alerts) {
      alertOf[a.devices[0]!.id] = a;
    }
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  /**
   * A signed-in phone-sized context, and every byte the hub sent it (HTTP bodies and socket frames), to
   * check that nothing of commune B ever reached the browser.
   */
  async function session(user: { username: string; password: string }): Promise<{
    context: BrowserContext;
    page: Page;
    received: string[];
    problems: string[];
  }> {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
    await signIn(context, hub, user);
    const page = await context.newPage();
    const { problems } = await watchPage(page);
    const received: string[] = [];
    page.on('response', async (res) => {
      if (res.url().startsWith(hub.httpUrl)) received.push(await res.text().catch(() => ''));
    });
    page.on('websocket', (ws) => ws.on('framereceived', (f) => received.push(String(f.payload))));
    return { context, page, received, problems };
  }

  async function visit(page: Page, path: string, testId: string): Promise<void> {
    await page.goto(`${hub.httpUrl}${path}`);
    await page.getByTestId(testId).first().waitFor({ timeout: 30_000 });
    await page.waitForLoadState('networkidle');
  }

  /** A write sent by the page itself: its session cookie and its CSRF token, as the dashboard sends them. */
  async function pageWrite(page: Page, method: string, url: string, body: unknown) {
    return page.evaluate(
      async ({ method, url, body }) => {
        const me = (await (await fetch('/api/session/me')).json()) as { csrfToken: string | null };
        const res = await fetch(url, {
          method,
          headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken ?? '' },
          body: JSON.stringify(body),
        });
        const answer = (await res.json().catch(() => ({}))) as { code?: string };
        return { status: res.status, code: answer.code };
      },
      { method, url, body },
    );
  }

  /** Every page a signed-in user can open, each with what shows it has loaded. */
  const PAGES = [
    ['/', 'home-page'],
    ['/thiet-bi', 'devices-page'],
    ['/thiet-bi/a-kiosk', 'detail-panel'],
    ['/thon', 'villages-page'],
    ['/thon/thon-a', 'village-page'],
    ['/thoi-gian-hoat-dong', 'uptime-page'],
    ['/alerts', 'alerts-page'],
    ['/alerts?tab=rules', 'rules-read-only'],
    ['/alerts?tab=schedules', 'schedules-read-only'],
    ['/chi-tieu', 'criteria-page'],
    ['/quan-ly', 'manage-page'],
    ['/quan-ly?muc=bao-tri', 'manage-page'],
  ] as const;

  it('a viewer is offered no write control, reads rules and schedules, and its writes are refused', async () => {
    const { context, page, problems } = await session(VIEWER);
    try {
      await visit(page, '/alerts', `alert-${alertOf['a-kiosk']!.id}`);
      expect(await page.getByTestId('nav-manage').count()).toBe(0);
      expect(await page.getByTestId('viewer-notice').count()).toBe(1);
      expect(await page.locator('[data-testid^="ack-"], [data-testid^="mute-"]').count()).toBe(0);
      // Rules and schedules are readable (protocol: viewer), without any editor; channels are not offered.
      expect(await page.getByTestId('tab-channels').count()).toBe(0);
      await page.getByTestId('tab-rules').click();
      await page.getByTestId('rule-kiosk-offline').waitFor();
      expect(await page.getByTestId('rules-read-only').count()).toBe(1);
      expect(await page.getByTestId('rule-add').count()).toBe(0);
      expect(await page.getByTestId('rule-kiosk-offline').getByRole('button').count()).toBe(0);
      await page.getByTestId('tab-schedules').click();
      await page.getByTestId('schedule-gio-hanh-chinh').waitFor();
      expect(await page.getByTestId('schedule-add').count()).toBe(0);
      expect(await page.getByTestId('schedule-gio-hanh-chinh').getByRole('button').count()).toBe(0);

      // The management page, opened by its address: read-only, no form, no device button, no import.
      await visit(page, '/quan-ly', 'manage-device');
      expect(await page.getByTestId('viewer-notice').count()).toBe(1);
      expect(await page.getByTestId('device-form').count()).toBe(0);
      expect(await page.getByTestId('manage-device').getByRole('button').count()).toBe(0);
      expect(await page.getByTestId('manage-tab-nhap-csv').count()).toBe(0);
      await page.getByTestId('manage-tab-bao-tri').click();
      await page.getByRole('heading', { name: 'Lịch bảo trì' }).waitFor();
      expect(await page.getByTestId('maintenance-form').count()).toBe(0);

      // Writes with the viewer's own cookie and CSRF token: 403, and 404 for an id outside its communes.
      const ack = await pageWrite(page, 'POST', `/api/alerts/${alertOf['a-kiosk']!.id}/ack`, { by: 'Lan' });
      expect(ack).toEqual({ status: 403, code: 'HUB_ERR_FORBIDDEN' });
      const ackB = await pageWrite(page, 'POST', `/api/alerts/${alertOf['b-kiosk']!.id}/ack`, { by: 'Lan' });
      // A viewer may acknowledge nothing: an id of commune B answers exactly like one that does not exist.
      const ackNone = await pageWrite(page, 'POST', '/api/alerts/no-such-alert/ack', { by: 'Lan' });
      expect(ackB).toEqual(ackNone);
      const maintenance = await pageWrite(page, 'POST', '/api/maintenance', {
        deviceIds: ['a-kiosk'],
        from: '2026-12-02T01:00:00Z',
        to: '2026-12-02T03:00:00Z',
      });
      expect(maintenance).toEqual({ status: 403, code: 'HUB_ERR_FORBIDDEN' });
      const device = await pageWrite(page, 'POST', '/api/devices', {
        id: 'a-new',
        kind: 'wifi',
        name: 'Wifi mới',
        village: 'thon-a',
      });
      expect(device).toEqual({ status: 403, code: 'HUB_ERR_FORBIDDEN' });
      expect((await admin.alertGet({ params: { id: alertOf['a-kiosk']!.id } })).state).toBe('firing');
      expect(await admin.maintenanceList({ query: WEEK })).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('an operator acknowledges an alert and schedules maintenance from the pages, but cannot add a device', async () => {
    const { context, page, problems } = await session(OPERATOR);
    try {
      const target = alertOf['a-kiosk-2']!;
      await visit(page, '/alerts', `ack-${target.id}`);
      await page.getByTestId(`ack-${target.id}`).click();
      await page.getByTestId('ack-by').fill('Minh');
      await page.getByTestId('ack-note').fill('đã cử người đi kiểm tra');
      await page.getByTestId('ack-submit').click();
      await expect
        .poll(async () => (await admin.alertGet({ params: { id: target.id } })).state)
        .toBe('acknowledged');
      // Rules are read-only to an operator too.
      await page.getByTestId('tab-rules').click();
      await page.getByTestId('rules-read-only').waitFor();
      expect(await page.getByTestId('rule-add').count()).toBe(0);

      // Management: the link is there, devices read-only, no import; maintenance is the operator's.
      await visit(page, '/quan-ly', 'manage-device');
      expect(await page.getByTestId('nav-manage').count()).toBe(1);
      expect(await page.getByTestId('admin-access-missing').count()).toBe(1);
      expect(await page.getByTestId('device-form').count()).toBe(0);
      expect(await page.getByTestId('manage-device').getByRole('button').count()).toBe(0);
      expect(await page.getByTestId('manage-tab-nhap-csv').count()).toBe(0);
      await page.getByTestId('manage-tab-bao-tri').click();
      const form = page.getByTestId('maintenance-form');
      await form.waitFor();
      // The device choices are commune A's only.
      const options = await form.locator('select[name="deviceId"] option').allTextContents();
      expect(options.join('\n')).toContain('Kiosk xã A');
      expect(options.join('\n')).not.toContain('Kiosk xã B');
      await form.locator('select[name="deviceId"]').selectOption('a-kiosk-2');
      await form.locator('input[name="from"]').fill('2026-12-02T08:00');
      await form.locator('input[name="to"]').fill('2026-12-02T10:00');
      await form.locator('input[name="note"]').fill('Thay nguồn');
      await form.getByRole('button', { name: 'Lên lịch bảo trì' }).click();
      await page.getByTestId('maintenance-saved').waitFor();
      const windows = await admin.maintenanceList({ query: WEEK });
      expect(windows.map((w) => [w.deviceId, Date.parse(w.from), Date.parse(w.to)])).toEqual([
        ['a-kiosk-2', Date.parse('2026-12-02T01:00:00Z'), Date.parse('2026-12-02T03:00:00Z')],
      ]);

      // Adding a device is admin work: the hub refuses the operator's own session.
      const device = await pageWrite(page, 'POST', '/api/devices', {
        id: 'a-new',
        kind: 'wifi',
        name: 'Wifi mới',
        village: 'thon-a',
      });
      expect(device).toEqual({ status: 403, code: 'HUB_ERR_FORBIDDEN' });
      const mine = await admin.deviceList();
      expect(mine.map((d) => d.id)).not.toContain('a-new');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it.each([
    ['viewer', VIEWER],
    ['operator', OPERATOR],
  ])('a %s of commune A never receives or shows anything of commune B, on any page', async (_role, user) => {
    const { context, page, received, problems } = await session(user);
    try {
      for (const [path, testId] of PAGES) {
        await visit(page, path, testId);
        const shown = (await page.locator('body').textContent()) ?? '';
        for (const marker of B_MARKERS) expect(shown, `${path} shows ${marker}`).not.toContain(marker);
      }
      // B's device by its address: the page says it is not there, and shows nothing of it.
      await page.goto(`${hub.httpUrl}/thiet-bi/b-kiosk`);
      await page.waitForLoadState('networkidle');
      expect((await page.locator('body').textContent()) ?? '').not.toContain('Kiosk xã B');
      const everything = received.join('\n');
      expect(everything).toContain('Kiosk xã A');
      for (const marker of B_MARKERS) expect(everything).not.toContain(marker);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
