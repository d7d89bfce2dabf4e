import fs from 'node:fs';
import path from 'node:path';
import type { StartedHub } from '@commune-hub/hub';
import type { HubClient } from '@commune-hub/protocol';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtDashboard, launchChromium, WEB_DIR, watchPage } from '../support/browser.ts';
import { hubClient, signIn, startTestHub, TEST_ADMIN } from '../support/hub.ts';

/**
 * Issue 14, the dashboard gaps the last closing note left (session 5, "Noticed and left alone"), in real
 * Chromium on the built dashboard and a real hub with two communes:
 * - the management page's current section is set apart (aria-current, filled) and kept in the URL;
 * - at 390 px the header's title is one line at full width, not a narrow column beside the user box;
 * - a commune's admin gets no edit or delete control on hub-wide rules and schedules (the hub's `editable`);
 * - when the hub ends the session (user disabled, session expired) the page goes to the sign-in form and
 *   says why, instead of showing "offline".
 * Screenshots for people to look at: .test-results/screens/gaps-*.png.
 */
const SHOTS = path.join(path.dirname(WEB_DIR), '..', '.test-results', 'screens');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 768 };
const ADMIN_A = { username: 'thu.a', password: 'admin-password-a' };
const hours = [{ days: [1, 2, 3, 4, 5], from: '07:30', to: '17:00' }];
const rule = (name: string, scope: Record<string, string[]>) => ({
  name,
  scope,
  condition: { kind: 'offline_for' as const, forMin: 5 },
  notify: { channelIds: [] },
});

describe('dashboard gaps of roles and layout (Chromium, two communes)', () => {
  let hub: StartedHub;
  let admin: HubClient;
  let browser: Browser;
  let now = Date.parse('2026-12-01T02:00:00Z');
  let adminAId = '';
  let ruleAId = '';

  beforeAll(async () => {
    const webDir = builtDashboard('session-ended');
    fs.mkdirSync(SHOTS, { recursive: true });
    hub = await startTestHub({ webDir }, { clock: { now: () => now } });
    admin = hubClient(hub);
    await admin.communeCreate({ body: { id: 'xa-a', name: 'Xã Hoàng Kim', province: 'Hà Tĩnh' } });
    await admin.communeCreate({ body: { id: 'xa-b', name: 'Xã B', province: 'Hà Tĩnh' } });
    await admin.villageCreate({ body: { id: 'thon-a', name: 'Thôn A1', communeId: 'xa-a' } });
    await admin.villageCreate({ body: { id: 'thon-b', name: 'Thôn B1', communeId: 'xa-b' } });
    await admin.deviceCreate({ body: { id: 'a-kiosk', kind: 'kiosk', name: 'Kiosk A', village: 'thon-a' } });
    adminAId = (
      await admin.userCreate({
        body: { ...ADMIN_A, displayName: 'Nguyễn Thị Thu', role: 'admin', communeIds: ['xa-a'] },
      })
    ).user.id;
    await admin.alertRuleCreate({
      body: { id: 'kiosk-toan-tinh', ...rule('Kiosk toàn tỉnh', { kinds: ['kiosk'] }) },
    });
    ruleAId = (await admin.alertRuleCreate({ body: rule('Kiosk thôn A1', { villageIds: ['thon-a'] }) })).id;
    await admin.alertScheduleCreate({ body: { id: 'gio-hanh-chinh', name: 'Giờ hành chính', hours } });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  async function open(
    url: string,
    viewport: { width: number; height: number },
    user: { username: string; password: string } = TEST_ADMIN,
  ): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
    await signIn(context, hub, user);
    const page = await context.newPage();
    const { problems } = await watchPage(page);
    await page.goto(`${hub.httpUrl}${url}`);
    return { page, problems };
  }

  it('the management page marks its current section like the main menu, and keeps it in the URL', async () => {
    for (const vp of [PHONE, DESKTOP]) {
      const { page, problems } = await open('/quan-ly?muc=bao-tri', vp);
      const tab = (id: string) => page.getByTestId(`manage-tab-${id}`);
      await tab('bao-tri').waitFor();
      const look = (id: string) =>
        tab(id).evaluate((el) => ({
          current: el.getAttribute('aria-current'),
          background: getComputedStyle(el).backgroundColor,
          color: getComputedStyle(el).color,
        }));
      const current = await look('bao-tri');
      const other = await look('thiet-bi');
      expect(current.current).toBe('page');
      expect(other.current).toBeNull();
      expect(current.background).not.toBe(other.background);
      expect(current.color).not.toBe(other.color);
      // Drawn as the main menu draws its current page.
      const menu = await page
        .locator('.main-nav a[aria-current="page"]')
        .evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(current.background).toBe(menu);
      await page.screenshot({ path: path.join(SHOTS, `gaps-manage-tabs-${vp.width}.png`) });

      await tab('thiet-bi').click();
      await expect.poll(() => new URL(page.url()).searchParams.get('muc')).toBe('thiet-bi');
      await expect.poll(() => tab('thiet-bi').getAttribute('aria-current')).toBe('page');
      expect(await tab('bao-tri').getAttribute('aria-current')).toBeNull();
      // Back returns to the section before: the section is in the history like any page.
      await page.goBack();
      await expect.poll(() => tab('bao-tri').getAttribute('aria-current')).toBe('page');
      expect(problems).toEqual([]);
      await page.context().close();
    }
  }, 120_000);

  it('the header: at 390 px the title is one line at full width and the user box is compact; 1366 px stays one row', async () => {
    for (const user of [TEST_ADMIN, ADMIN_A]) {
      for (const vp of [PHONE, DESKTOP]) {
        const { page } = await open('/', vp, user);
        await page.getByTestId('auth-bar').waitFor();
        await page.getByTestId('commune-name').filter({ hasText: 'Xã Hoàng Kim' }).waitFor();
        const m = await page.evaluate(() => {
          const box = (sel: string) => document.querySelector(sel)!.getBoundingClientRect();
          const h1 = document.querySelector('.brand h1')!;
          const range = (el: Element) => {
            const r = document.createRange();
            r.selectNodeContents(el);
            return r;
          };
          let smallest = 99;
          for (const el of Array.from(document.querySelectorAll('.topbar *'))) {
            const hasText = Array.from(el.childNodes).some(
              (n) => n.nodeType === 3 && (n.textContent ?? '').trim() !== '',
            );
            if (hasText && (el as HTMLElement).getBoundingClientRect().width > 0)
              smallest = Math.min(smallest, Number.parseFloat(getComputedStyle(el).fontSize));
          }
          return {
            title: box('.brand h1'),
            // The rows the title's text takes (each line box has its own top).
            titleLines: new Set(Array.from(range(h1).getClientRects()).map((r) => Math.round(r.top))).size,
            bar: box('[data-testid="auth-bar"]'),
            connection: box('[data-testid="connection"]'),
            header: box('.topbar'),
            smallest,
            overflow: document.documentElement.scrollWidth - window.innerWidth,
          };
        });
        const name = `${user.username}-${vp.width}`;
        await page.locator('.topbar').screenshot({ path: path.join(SHOTS, `gaps-header-${name}.png`) });
        expect(m.titleLines, name).toBe(1);
        expect(m.overflow, name).toBeLessThanOrEqual(0);
        expect(m.smallest, name).toBeGreaterThanOrEqual(14);
        // The title and the user box never share a row squeezed side by side.
        const overlapX = m.title.right > m.bar.left && m.bar.right > m.title.left;
        const overlapY = m.title.bottom > m.bar.top && m.bar.bottom > m.title.top;
        expect(overlapX && overlapY, name).toBe(false);
        if (vp === PHONE) {
          expect(m.title.width, name).toBeGreaterThan(200);
          expect(m.bar.top, name).toBeGreaterThanOrEqual(m.title.bottom);
          // The connection badge keeps its words on one line (it was two beside the user box).
          expect(m.connection.height, name).toBeLessThanOrEqual(44);
          // Two rows, not the five-line column it was (about 200 px).
          expect(m.header.height, name).toBeLessThan(130);
        } else {
          expect(m.header.height, name).toBeLessThan(90);
        }
        await page.context().close();
      }
    }
  }, 120_000);

  it("a commune's admin is offered no edit or delete on hub-wide rules and schedules; the province admin is", async () => {
    const { page, problems } = await open('/alerts?tab=rules', PHONE, ADMIN_A);
    const own = page.getByTestId(`rule-${ruleAId}`);
    const hubWide = page.getByTestId('rule-kiosk-toan-tinh');
    await own.waitFor();
    await hubWide.waitFor();
    expect(await own.getByRole('button', { name: 'Sửa' }).count()).toBe(1);
    expect(await own.getByRole('button', { name: 'Xoá' }).count()).toBe(1);
    expect(await hubWide.getByRole('button').count()).toBe(0);
    expect(await page.getByTestId('rule-kiosk-toan-tinh-read-only').textContent()).toBe(
      'Áp dụng cho mọi xã: chỉ cán bộ cấp tỉnh được sửa hoặc xoá.',
    );
    // A commune's admin still adds rules for its own villages.
    expect(await page.getByTestId('rule-add').count()).toBe(1);
    await page.screenshot({ path: path.join(SHOTS, 'gaps-rules-commune-admin-390.png'), fullPage: true });

    await page.getByTestId('tab-schedules').click();
    const schedule = page.getByTestId('schedule-gio-hanh-chinh');
    await schedule.waitFor();
    expect(await schedule.getByRole('button').count()).toBe(0);
    expect(await page.getByTestId('schedule-add').count()).toBe(0);
    expect(await page.getByTestId('schedules-province-only').isVisible()).toBe(true);
    // English mode: the new words are translated.
    await page.getByTestId('lang-button').click();
    await page.getByTestId('tab-rules').click();
    await expect
      .poll(() => page.getByTestId('rule-kiosk-toan-tinh-read-only').textContent())
      .toBe('Applies to every commune: only a province-wide user can change or delete it.');
    expect(problems).toEqual([]);
    await page.context().close();

    const province = await open('/alerts?tab=rules', PHONE);
    await province.page.getByTestId('rule-kiosk-toan-tinh').waitFor();
    expect(await province.page.getByTestId('rule-kiosk-toan-tinh').getByRole('button').count()).toBe(2);
    expect(await province.page.getByTestId('rule-kiosk-toan-tinh-read-only').count()).toBe(0);
    await province.page.getByTestId('tab-schedules').click();
    await province.page.getByTestId('schedule-gio-hanh-chinh').waitFor();
    expect(await province.page.getByTestId('schedule-gio-hanh-chinh').getByRole('button').count()).toBe(2);
    expect(await province.page.getByTestId('schedule-add').count()).toBe(1);
    await province.page.context().close();
  }, 120_000);

  it('when the hub ends the session (user disabled, session expired) the page goes to sign-in and says why', async () => {
    const live = (page: Page) => page.waitForSelector('[data-testid="connection"][data-state="live"]');
    const ended = 'Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại.';

    // Disabled by the province admin: the hub closes the socket at once.
    const first = await open('/thiet-bi?loai=kiosk', PHONE, ADMIN_A);
    await live(first.page);
    await admin.userUpdate({ params: { id: adminAId }, body: { disabled: true } });
    await first.page.getByTestId('login-form').waitFor({ timeout: 30_000 });
    expect(await first.page.getByTestId('session-ended').textContent()).toBe(ended);
    // Signing in again (once re-enabled) opens the same view: the address was kept.
    await admin.userUpdate({ params: { id: adminAId }, body: { disabled: false } });
    await first.page.locator('input[name="username"]').fill(ADMIN_A.username);
    await first.page.locator('input[name="password"]').fill(ADMIN_A.password);
    await first.page.getByTestId('login-submit').click();
    await live(first.page);
    expect(new URL(first.page.url()).pathname + new URL(first.page.url()).search).toBe(
      '/thiet-bi?loai=kiosk',
    );
    // Signed in again: the notice is gone with the form.
    expect(await first.page.getByTestId('session-ended').count()).toBe(0);
    expect(first.problems).toEqual([]);
    await first.page.context().close();

    // Expired: the hub's own clock passes the session's end; its check closes the socket.
    const second = await open('/', PHONE, ADMIN_A);
    await live(second.page);
    now += 13 * 3_600_000; // HUB_SESSION_TTL_H defaults to 12
    await second.page.getByTestId('login-form').waitFor({ timeout: 30_000 });
    expect(await second.page.getByTestId('session-ended').textContent()).toBe(ended);
    await second.page.screenshot({ path: path.join(SHOTS, 'gaps-session-ended-390.png') });
    await second.page.context().close();
  }, 120_000);
});
