import { execFileSync, execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StartedHub } from '@commune-hub/hub';
import type { FeedPage, VillageHealth } from '@commune-hub/protocol';
import {
  createLogger,
  type LiveHandle,
  loadScenario,
  parseScenario,
  runLive,
  SCENARIOS_DIR,
} from '@commune-hub/simulators';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfillRecord, registerScenario, sparse } from '../support/criteria-world.ts';
import { authHeaders, signIn, startTestHub } from '../support/hub.ts';
import { waitFor } from '../support/wait.ts';

/**
 * Issue 12 acceptance (home, deep links, screenshots): the built dashboard served by a real hub, the
 * Hoàng Kim scenario live over MQTT (with the month so far backfilled into the uptime record, so the
 * uptime views have history), and real Chromium. The screenshots are artefacts for people to look at
 * (.test-results/screens/), described in the README.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const webDir = path.join(root, 'web/dist');
const SHOTS = path.join(root, '.test-results', 'screens');
const VIEWPORTS = [
  { name: '1366', width: 1366, height: 768 },
  { name: '390', width: 390, height: 844 },
] as const;
const DAY = 86_400_000;

const scenario = loadScenario('hoang-kim');
const sparseScenario = parseScenario(
  sparse(fs.readFileSync(path.join(SCENARIOS_DIR, 'hoang-kim.yaml'), 'utf8')),
  'hoang-kim.yaml',
);

/** The newest mtime under a directory (the dashboard's sources). */
function newest(dir: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

/** Builds the dashboard when its build is missing or older than its sources. */
function ensureDashboardBuilt(): void {
  const index = path.join(webDir, 'index.html');
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= newest(path.join(root, 'web/src'))) return;
  execFileSync('npx', ['vite', 'build', 'web', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}

describe('dashboard home, deep links and screenshots (real hub, Hoàng Kim live, real Chromium)', () => {
  let browser: Browser;
  let hub: StartedHub;
  let sim: LiveHandle;

  beforeAll(async () => {
    ensureDashboardBuilt();
    fs.mkdirSync(SHOTS, { recursive: true });
    hub = await startTestHub({ webDir });
    // Villages, sites and devices as an installer registers them; the month so far (at most 10 days,
    // to keep the backfill short) in the uptime record; then every device live over MQTT.
    await registerScenario(hub, sparseScenario);
    const now = Date.now();
    await backfillRecord(hub, sparseScenario, now - 10 * DAY, now - 60_000);
    sim = await runLive({
      scenario,
      hubUrl: hub.httpUrl,
      mqttUrl: hub.mqttUrl,
      adminToken: hub.adminToken,
      failures: false,
      logger: createLogger('silent'),
    });
    await sim.ready;
    browser = await chromium.launch({
      executablePath: execSync('which chromium').toString().trim(),
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await sim?.stop().catch(() => undefined);
    await hub?.close();
  });

  async function open(url: string, viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser.newContext({
      viewport,
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
    });
    await signIn(context, hub);
    const page = await context.newPage();
    await page.goto(`${hub.httpUrl}${url}`);
    return page;
  }

  const json = async <T>(p: string): Promise<T> =>
    (await (await fetch(`${hub.httpUrl}${p}`, { headers: authHeaders(hub) })).json()) as T;

  it('a village power cut: home lists the village first, labelled "nghi mất điện", within 2 s; the feed has it', async () => {
    const page = await open('/', VIEWPORTS[0]);
    await page.getByTestId('problems').waitFor();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="connection"]')?.getAttribute('data-state') === 'live',
    );
    expect(await page.getByTestId('commune-name').textContent()).toBe('Xã Hoàng Kim, Thanh Hóa');

    const cut = sim.powerCut('thon-2');
    expect(cut.length).toBeGreaterThanOrEqual(3);
    // The hub sees every device of Thôn 2 drop (their sockets die: last will) and classifies it ...
    await waitFor(async () => {
      const health = await json<VillageHealth[]>('/api/villages/health');
      return health.find((v) => v.villageId === 'thon-2')?.outage?.cause === 'power_cut';
    }, 'the hub classifying Thôn 2 as a power cut');
    // ... and from then the page has 2 s to say so, first of all villages.
    await page.waitForFunction(
      () => {
        const first = document.querySelector('[data-testid^="problem-village-"]');
        return (
          first?.getAttribute('data-testid') === 'problem-village-thon-2' &&
          first.querySelector('[data-testid="outage-label"]')?.textContent === 'nghi mất điện'
        );
      },
      undefined,
      { timeout: 2_000 },
    );
    const firstDevice = await page
      .locator('[data-testid="problem-village-thon-2"] [data-testid^="problem-"] .problem-since')
      .first()
      .textContent();
    expect(firstDevice).toMatch(/^mất kết nối từ \d\d:\d\d \(\d+ giây\)$/);

    // The feed lists the drops of Thôn 2 (status changes of its devices).
    const feed = await json<FeedPage>('/api/feed');
    expect(
      feed.items.some((i) => i.kind === 'transition' && i.villageId === 'thon-2' && i.to === 'offline'),
    ).toBe(true);
    await page
      .locator('[data-testid="feed"] .feed-transition', { hasText: 'Thôn 2' })
      .first()
      .waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="feed"]').textContent()).toContain('Mất kết nối');
    await page.screenshot({ path: path.join(SHOTS, 'home-power-cut-1366.png') });
    await page.context().close();
  }, 120_000);

  it('a deep link to a device panel with a period opens the same view in a new browser context', async () => {
    const device = scenario.devices.find((d) => d.kind === 'camera' && d.villageId === 'thon-5')!;
    // The list is virtualised: search for the device as an official would, then open it.
    const first = await open(`/thiet-bi?q=${encodeURIComponent(device.id)}`, VIEWPORTS[0]);
    await first.getByText(device.name, { exact: true }).first().click();
    await first.getByTestId('period-uptime').waitFor();
    // Pick the quarter, then the previous one, in the panel's picker: the URL follows.
    // Each click is waited for in the URL before the next: reading right after both clicks could
    // see the first one's quarter, or the new URL before React has rendered its label.
    const kyOf = (page: Page) => new URL(page.url()).searchParams.get('ky') ?? '';
    await first.getByTestId('period-kind-quarter').click();
    await waitFor(() => /^\d{4}-Q\d$/.test(kyOf(first)), 'the quarter in the URL');
    const current = kyOf(first);
    await first.getByRole('button', { name: /Kỳ trước/ }).click();
    await waitFor(
      () => /^\d{4}-Q\d$/.test(kyOf(first)) && kyOf(first) !== current,
      'the previous quarter in the URL',
    );
    const url = new URL(first.url());
    expect(url.pathname).toBe(`/thiet-bi/${device.id}`);
    const ky = url.searchParams.get('ky')!;
    const shownFigure = (page: Page) =>
      page.locator(`[data-testid="period-uptime-figure"][data-period="${ky}"]`);
    const shownLabel = (page: Page) =>
      page.locator(`[data-testid="period-uptime"][data-period="${ky}"] [data-testid="period-uptime-label"]`);
    await shownFigure(first).waitFor();
    const label = await shownLabel(first).textContent();
    const figure = await shownFigure(first).textContent();
    await first.context().close();

    const second = await open(`${url.pathname}${url.search}`, VIEWPORTS[0]);
    try {
      await shownFigure(second).waitFor();
    } catch (err) {
      await second.screenshot({ path: path.join(SHOTS, 'deep-link-failed.png') });
      throw err;
    }
    expect(await second.getByTestId('detail-name').textContent()).toBe(device.name);
    expect(await shownLabel(second).textContent()).toBe(label);
    expect(await shownFigure(second).textContent()).toBe(figure);
    // Back closes the panel and shows the list it was opened from.
    await second.getByRole('button', { name: /Đóng/ }).click();
    await waitFor(() => new URL(second.url()).pathname === '/thiet-bi', 'the panel closed');
    expect(new URL(second.url()).searchParams.get('ky')).toBeNull();
    await second.context().close();
  }, 120_000);

  it('when the socket is down the page says so in Vietnamese, greys the live numbers and gives their age', async () => {
    const page = await open('/', VIEWPORTS[1]);
    // The page's socket goes through this route: `cut` makes the hub unreachable for it (and for polling).
    let cut = false;
    const sockets: Array<{ close: () => Promise<void> }> = [];
    await page.routeWebSocket(/socket\.io/, (ws) => {
      if (cut) return void ws.close();
      ws.connectToServer();
      sockets.push(ws);
    });
    await page.route(/socket\.io\/.*transport=polling/, (route) => (cut ? route.abort() : route.continue()));
    await page.reload();
    await page.waitForSelector('[data-testid="connection"][data-state="live"]');
    expect(await page.getByTestId('stale-notice').count()).toBe(0);

    cut = true;
    for (const ws of sockets) await ws.close();
    const notice = page.getByTestId('stale-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(
      /^Mất kết nối tới máy chủSố liệu trên trang có thể đã cũ: cập nhật lần cuối (vừa xong|\d+ giây trước)\.$/,
    );
    expect(await page.locator('.app').getAttribute('data-stale')).toBe('true');
    const opacity = await page.getByTestId('kind-health').evaluate((el) => getComputedStyle(el).opacity);
    expect(Number(opacity)).toBeLessThan(1);
    await page.screenshot({ path: path.join(SHOTS, 'home-stale-390.png') });

    cut = false;
    await page.waitForSelector('[data-testid="connection"][data-state="live"]', { timeout: 30_000 });
    await notice.waitFor({ state: 'detached' });
    await page.context().close();
  }, 120_000);

  it('a skip link comes first, and the language button is named by its visible text', async () => {
    const page = await open('/', VIEWPORTS[0]);
    await page.getByTestId('problems').waitFor();
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => ({
      text: document.activeElement?.textContent,
      href: document.activeElement?.getAttribute('href'),
    }));
    expect(skip).toEqual({ text: 'Bỏ qua, đến nội dung chính', href: '#noi-dung' });
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('noi-dung');
    // Accessible name = visible text ("English" on a desktop, "EN" on a phone).
    await page.getByRole('button', { name: 'English', exact: true }).waitFor();
    await page.setViewportSize(VIEWPORTS[1]);
    await page.getByRole('button', { name: 'EN', exact: true }).waitFor();
    await page.context().close();
  }, 60_000);

  it('screenshots of home, village, device and uptime at 1366×768 and 390×844', async () => {
    const device = scenario.devices.find((d) => d.kind === 'camera' && d.villageId === 'thon-3')!;
    // The month (Vietnam time) of three days ago: one with days of backfilled history in it.
    const month = new Date(Date.now() + 7 * 3_600_000 - 3 * DAY).toISOString().slice(0, 7);
    const pages = [
      { name: 'home', url: '/', ready: 'problems' },
      { name: 'village', url: '/thon/thon-3', ready: 'village-page' },
      { name: 'villages', url: '/thon', ready: 'villages-page' },
      { name: 'device', url: `/thiet-bi/${device.id}?ky=${month}`, ready: 'period-uptime-figure' },
      { name: 'uptime', url: `/thoi-gian-hoat-dong?ky=${month}&loai=camera`, ready: 'uptime-page' },
    ];
    for (const vp of VIEWPORTS) {
      for (const p of pages) {
        const page = await open(p.url, vp);
        await page.locator(`[data-testid="${p.ready}"]`).first().waitFor({ timeout: 20_000 });
        await page.waitForLoadState('networkidle').catch(() => undefined);
        const file = path.join(SHOTS, `${p.name}-${vp.name}.png`);
        await page.screenshot({ path: file, fullPage: p.name !== 'device' });
        expect(fs.statSync(file).size).toBeGreaterThan(10_000);
        if (vp.name === '390') {
          // Phone: no horizontal page scroll, and no text under 14 px.
          const { overflow, smallest } = await page.evaluate(() => {
            let min = 99;
            for (const el of Array.from(document.querySelectorAll('body *'))) {
              const hasText = Array.from(el.childNodes).some(
                (n) => n.nodeType === 3 && (n.textContent ?? '').trim() !== '',
              );
              const box = (el as HTMLElement).getBoundingClientRect();
              if (!hasText || box.width === 0 || getComputedStyle(el).visibility === 'hidden') continue;
              min = Math.min(min, Number.parseFloat(getComputedStyle(el).fontSize));
            }
            return { overflow: document.documentElement.scrollWidth - window.innerWidth, smallest: min };
          });
          expect(overflow, `${p.name}: page wider than the phone`).toBeLessThanOrEqual(0);
          expect(smallest, `${p.name}: text smaller than 14 px`).toBeGreaterThanOrEqual(14);
        }
        if (p.name === 'home' && vp.name === '390') {
          // Search and the problems list are on the first screen of a phone.
          const search = await page.getByTestId('home-search').boundingBox();
          const problems = await page.getByTestId('problems').boundingBox();
          expect(search!.y + search!.height).toBeLessThanOrEqual(vp.height);
          expect(problems!.y).toBeLessThan(vp.height);
          expect(await page.getByTestId('commune-name').isVisible()).toBe(true);
          await page.screenshot({ path: path.join(SHOTS, 'home-390-first-screen.png') });
        }
        await page.context().close();
      }
    }
  }, 240_000);
});
