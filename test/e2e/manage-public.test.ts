/**
 * Device management and the public status page in real Chromium against a real hub with the Hoàng Kim
 * scenario. An official adds a device on /quan-ly; the command shown with its secret, run as shown (the
 * real agent through `npm run agent`), connects it and the page turns it online. A CSV import is dry-run
 * row by row first. The public page of an opted-in group, opened without any login on a phone, shows only
 * that group's devices, and nothing the page receives carries a device id, a secret or a metric; a
 * citizen's report is limited per IP address and lands live in the open dashboard's feed (`feed:changed`).
 * Each test sets up what it needs (its own device, its own group) and counts from the hub's answers, so any
 * one passes alone (`-t '<name>'`).
 */
import { type ChildProcess, execFileSync, execSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StartedHub } from '@commune-hub/hub';
import type { HubClient } from '@commune-hub/protocol';
import { loadScenario } from '@commune-hub/simulators';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_WORDS } from '../../web/src/features/public-status/index.ts';
import { MANAGE_WORDS } from '../../web/src/i18n/manage.ts';
import { registerScenario } from '../support/criteria-world.ts';
import { connectDevice, type TestDevice } from '../support/device.ts';
import { hubClient, signIn, startTestHub } from '../support/hub.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// The built dashboard (`npm test` builds it first); HUB_TEST_WEB_DIR points at another build.
const webDir = process.env.HUB_TEST_WEB_DIR ?? path.join(root, 'web/dist');
const WAIT = { timeout: 20_000, interval: 50 };
const scenario = loadScenario('hoang-kim');
const wifi = scenario.devices.filter((d) => d.kind === 'wifi');
const NEW_ID = 'hk-wifi-15';
const NEW_NAME = 'Wifi chợ Hoàng Kim';
/** The public page test's own live wifi point (each test sets up what it needs; none relies on another's). */
const LIVE_ID = 'hk-wifi-16';
const LIVE_NAME = 'Wifi bến xe Hoàng Kim';
/** The group the QR and raw-code tests print and scan, created by API when first needed. */
const PRINT_SLUG = 'wifi-diem-cong-cong';
/** snake_case and camelCase tokens: what a raw code looks like on screen (as the other dashboard tests scan). */
const RAW_CODE = /\b[a-z]+_[a-z_]+\b|\b[a-z]+[A-Z][a-zA-Z]*\b/g;
const rawCodes = async (page: Page) =>
  [...(await page.locator('body').innerText()).matchAll(RAW_CODE)].map((m) => m[0]);

describe('device management and the public status page (Chromium, Hoàng Kim)', () => {
  let hub: StartedHub;
  let api: HubClient;
  let browser: Browser;
  let agent: ChildProcess | undefined;
  let secret = '';
  let camera: TestDevice | undefined;
  let liveWifi: TestDevice | undefined;
  const spool = fs.mkdtempSync(path.join(os.tmpdir(), 'commune-agent-'));

  beforeAll(async () => {
    if (!fs.existsSync(path.join(webDir, 'index.html'))) {
      execFileSync('npx', ['vite', 'build', 'web', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    }
    hub = await startTestHub({ webDir, publicReportsPerHour: 2 });
    api = hubClient(hub);
    await registerScenario(hub, scenario);
    browser = await chromium.launch({
      executablePath: execSync('which chromium').toString().trim(),
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  }, 180_000);

  afterAll(async () => {
    camera?.client.end(true);
    liveWifi?.client.end(true);
    // The agent runs in its own process group (npm → tsx → node): end all of it.
    if (agent?.pid) {
      try {
        process.kill(-agent.pid, 'SIGTERM');
      } catch {}
    }
    await browser?.close();
    await hub?.close();
    fs.rmSync(spool, { recursive: true, force: true });
  });

  const openManage = async (width: number, height: number): Promise<Page> => {
    // The official signs in (session cookie; the page sends the session's CSRF token on writes).
    const context = await browser.newContext({ viewport: { width, height }, locale: 'vi-VN' });
    await signIn(context, hub);
    const page = await context.newPage();
    await page.goto(`${hub.httpUrl}/quan-ly`);
    await page.getByTestId('admin-access').waitFor(WAIT);
    return page;
  };

  /** A published group of every wifi point, for the tests that only read a public page. */
  const ensurePrintGroup = async (): Promise<string> => {
    if (!(await api.publicGroupList()).some((g) => g.slug === PRINT_SLUG)) {
      await api.publicGroupCreate({
        body: { slug: PRINT_SLUG, name: 'Wifi điểm công cộng', selector: { kind: 'wifi' }, published: true },
      });
    }
    return PRINT_SLUG;
  };
  /** The wifi points a group of every wifi shows: the enabled ones, whichever tests added some. */
  const enabledWifi = async () => (await api.deviceList()).filter((d) => d.kind === 'wifi' && !d.disabled);

  it('adds a device; the command shown with its secret connects it, and it turns online on the page', async () => {
    const page = await openManage(1366, 768);
    const form = page.getByTestId('device-form');
    await form.locator('[name="id"]').fill(NEW_ID);
    await form.locator('[name="kind"]').selectOption('wifi');
    await form.locator('[name="name"]').fill(NEW_NAME);
    await form.locator('[name="village"]').fill('Thôn 2');
    await form.getByRole('button', { name: 'Thêm thiết bị' }).click();

    const reveal = page.getByTestId('secret-reveal');
    await reveal.waitFor(WAIT);
    secret = (await page.getByTestId('device-secret').textContent()) ?? '';
    expect(secret.length).toBeGreaterThanOrEqual(16);
    await expect.poll(() => page.getByTestId('agent-command').textContent(), WAIT).toContain('npm run agent');
    const command = (await page.getByTestId('agent-command').textContent()) ?? '';
    const mqttPort = new URL(hub.mqttUrl).port;
    expect(command).toBe(
      `HUB_AGENT_SECRET=${secret} npm run agent -- --hub mqtt://127.0.0.1:${mqttPort} --id ${NEW_ID} --kind wifi`,
    );
    // The same command as a QR code, to scan on the machine being installed.
    await expect
      .poll(() => page.getByTestId('qr').getAttribute('src'), WAIT)
      .toMatch(/^data:image\/svg\+xml/);
    await page.getByTestId('secret-done').click();

    const row = page.locator(`[data-device-id="${NEW_ID}"]`);
    await row.waitFor(WAIT);
    expect(await row.getByTestId('manage-status').getAttribute('data-status')).toBe('unknown');

    // Run the command exactly as shown (its own spool folder from the environment, not the worktree).
    agent = spawn('sh', ['-c', command], {
      cwd: root,
      env: { ...process.env, HUB_AGENT_SPOOL: spool },
      detached: true,
      stdio: 'ignore',
    });
    await expect
      .poll(() => row.getByTestId('manage-status').getAttribute('data-status'), {
        timeout: 90_000,
        interval: 100,
      })
      .toBe('online');
    expect((await api.deviceGet({ params: { id: NEW_ID } })).status).toBe('online');
    await page.close();
  }, 150_000);

  it('imports a CSV after a dry run shown row by row, in Vietnamese', async () => {
    const page = await openManage(390, 844);
    await page.getByTestId('manage-tab-nhap-csv').click();
    const bad =
      'id,kind,name,village\nhk-loa-99,loudspeaker,Cụm loa chợ,Thôn 2\nhk-x,toaster,Máy lạ,Thôn 2\nhk-wifi-01,wifi,Trùng,Thôn 1\n';
    await page.getByTestId('import-text').fill(bad);
    await page.getByTestId('import-dry-run').click();
    await page.getByTestId('import-report').waitFor(WAIT);
    const rows = page.getByTestId('import-row');
    await expect.poll(() => rows.count(), WAIT).toBe(3);
    expect(await rows.nth(0).textContent()).toContain('Đúng');
    expect(await rows.nth(1).textContent()).toContain('Loại thiết bị: không phải loại thiết bị đã biết');
    expect(await rows.nth(2).textContent()).toContain('Mã hk-wifi-01 đã có thiết bị khác dùng');
    expect(await page.getByTestId('import-commit').isDisabled()).toBe(true);
    expect(await api.deviceGet({ params: { id: 'hk-loa-99' } }).catch((e) => e.code)).toBe(
      'HUB_ERR_DEVICE_NOT_FOUND',
    );

    await page
      .getByTestId('import-text')
      .fill('id,kind,name,village\nhk-loa-99,loudspeaker,Cụm loa chợ,Thôn 2\n');
    await page.getByTestId('import-dry-run').click();
    await expect.poll(() => page.getByTestId('import-commit').isDisabled(), WAIT).toBe(false);
    await page.getByTestId('import-commit').click();
    await page.getByTestId('import-done').waitFor(WAIT);
    expect(await page.getByTestId('import-done').textContent()).toContain('hk-loa-99,');
    expect((await api.deviceGet({ params: { id: 'hk-loa-99' } })).name).toBe('Cụm loa chợ');
    await page.close();
  }, 60_000);

  it('public page: only opted-in devices, no id, secret or metric in anything it receives; reports limited and in the feed', async () => {
    // Its own wifi point, connected with its own secret so status and uptime are real.
    const creds = await api.deviceCreate({
      body: { id: LIVE_ID, kind: 'wifi', name: LIVE_NAME, village: 'Thôn 3' },
    });
    liveWifi = await connectDevice(hub.mqttUrl, creds);
    await liveWifi.beat();
    await expect
      .poll(async () => (await api.deviceGet({ params: { id: LIVE_ID } })).status, WAIT)
      .toBe('online');
    // The official publishes the wifi points (every wifi, new ones included) from the management page.
    const admin = await openManage(1366, 768);
    await admin.getByTestId('manage-tab-cong-khai').click();
    const form = admin.getByTestId('group-form');
    await form.locator('[name="groupName"]').fill('Wifi công cộng xã Hoàng Kim');
    await form.locator('[name="kind"]').selectOption('wifi');
    await form.getByRole('button', { name: 'Tạo trang' }).click();
    await expect
      .poll(
        () => admin.getByTestId('public-group').filter({ hasText: 'Wifi công cộng xã Hoàng Kim' }).count(),
        WAIT,
      )
      .toBe(1);
    await admin.close();
    // A camera group defined but not published.
    const cameras = scenario.devices.filter((d) => d.kind === 'camera');
    await api.publicGroupCreate({
      body: { slug: 'camera', name: 'Camera', deviceIds: cameras.map((c) => c.id), published: false },
    });

    // A citizen's phone: a fresh context, no token, everything it receives recorded.
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
    const page = await context.newPage();
    const received: Array<{ url: string; body: string }> = [];
    page.on('response', async (res) => {
      if (new URL(res.url()).pathname.startsWith('/api/'))
        received.push({ url: res.url(), body: await res.text().catch(() => '') });
    });
    let sockets = 0;
    page.on('websocket', () => sockets++);
    const doc = await page.goto(`${hub.httpUrl}/trang-thai/wifi-cong-cong-xa-hoang-kim`);
    expect(doc?.headers()['content-type']).toContain('charset=utf-8');
    const cards = page.getByTestId('public-device');
    // Every enabled wifi point (the scenario's, this test's, and any another test added), nothing else.
    const shown = await enabledWifi();
    expect(shown.length).toBeGreaterThan(wifi.length);
    await expect.poll(() => cards.count(), WAIT).toBe(shown.length);
    const names = await page.locator('.ps-name').allTextContents();
    expect(names.sort()).toEqual(shown.map((w) => w.name).sort());
    const text = (await page.locator('body').textContent()) ?? '';
    for (const c of cameras) expect(text).not.toContain(c.name);
    expect(text).toContain('Thời gian hoạt động tháng');
    expect(await page.locator('.ps-page').count()).toBe(1);
    expect(await page.locator('nav').count()).toBe(0); // no dashboard shell

    // Nothing beyond name, status and uptime: not in any API answer the page got, not on the page.
    expect(received.length).toBeGreaterThan(0);
    for (const r of received) expect(new URL(r.url).pathname).toMatch(/^\/api\/public\//);
    expect(sockets).toBe(0);
    const everything = received.map((r) => r.body).join('\n') + (await page.content());
    for (const d of await api.deviceList()) expect(everything).not.toContain(d.id);
    expect(everything).not.toContain(creds.secret);
    for (const key of ['"metrics"', '"seq"', '"lastSeq"', '"reason"', '"village"', '"kind"', '"id"'])
      expect(everything).not.toContain(key);
    // The device online shows as working, with this month's uptime.
    const live = cards.filter({ hasText: LIVE_NAME });
    expect(await live.getByTestId('public-status').textContent()).toBe('Đang hoạt động');
    expect(await live.getByTestId('public-uptime').textContent()).toMatch(/%$/);
    // The group not opted in does not exist for the public.
    await page.goto(`${hub.httpUrl}/trang-thai/camera`);
    await page.getByTestId('public-error').waitFor(WAIT);
    expect(await page.getByTestId('public-error').textContent()).toContain('chưa được công khai');
    // Nor does an address that cannot be a page (a mistyped link).
    await page.goto(`${hub.httpUrl}/trang-thai/Camera_An_Ninh`);
    await expect
      .poll(() => page.getByTestId('public-error').textContent(), WAIT)
      .toContain('chưa được công khai');

    // The official has the home page open, its socket live, before any citizen writes.
    const officialContext = await browser.newContext({
      viewport: { width: 1366, height: 768 },
      locale: 'vi-VN',
    });
    await signIn(officialContext, hub);
    const home = await officialContext.newPage();
    const frames: string[] = [];
    home.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))));
    await home.goto(`${hub.httpUrl}/`);
    await expect.poll(() => frames.some((f) => f.includes('"devices:snapshot"')), WAIT).toBe(true);
    await home.getByTestId('home-page').waitFor(WAIT);

    // The device page a printed QR code leads to, and its report form.
    await page.goto(`${hub.httpUrl}/trang-thai/wifi-cong-cong-xa-hoang-kim`);
    await live.locator('a').click();
    await page.waitForURL(/\/trang-thai\/wifi-cong-cong-xa-hoang-kim\/[a-z2-7]{12}$/, WAIT);
    await expect.poll(() => cards.count(), WAIT).toBe(1);
    const report = 'Wifi chợ vào được nhưng rất chậm từ sáng';
    await page.locator('textarea[name="text"]').fill(report);
    await page.getByRole('button', { name: 'Gửi phản ánh' }).click();
    await page.getByTestId('report-sent').waitFor(WAIT);
    // Two per hour per address here: the third is refused, said in Vietnamese.
    for (const attempt of ['Lần hai: vẫn chậm', 'Lần ba: vẫn chậm']) {
      await page.reload();
      await page.locator('textarea[name="text"]').fill(attempt);
      await page.getByRole('button', { name: 'Gửi phản ánh' }).click();
      await page.getByTestId(attempt.startsWith('Lần hai') ? 'report-sent' : 'report-error').waitFor(WAIT);
    }
    expect(await page.getByTestId('report-error').textContent()).toContain('Vui lòng thử lại sau');
    await context.close();

    // The official's home page, open before the citizen wrote, shows the report in its feed: the hub
    // pushes `feed:changed` over the socket and the page refetches the feed (no reload, no 30 s poll).
    await expect.poll(async () => (await home.locator('body').textContent()) ?? '', WAIT).toContain(report);
    expect(frames.some((f) => f.includes('"feed:changed"') && f.includes('"report"'))).toBe(true);
    await home.close();
  }, 120_000);

  it('edits, disables, re-enables and re-keys a device, and schedules maintenance for it, on a phone', async () => {
    const cam = scenario.devices.find((d) => d.kind === 'camera')!;
    const page = await openManage(390, 844);
    page.on('dialog', (d) => void d.accept());
    await page.getByPlaceholder('Tên, mã hoặc thôn…').fill(cam.id);
    const row = page.locator(`[data-device-id="${cam.id}"]`);
    await row.waitFor(WAIT);

    await row.getByRole('button', { name: 'Sửa' }).click();
    await row.locator('[name="name"]').fill('Camera cổng chợ (đã thay)');
    await row.getByRole('button', { name: 'Lưu' }).click();
    await expect
      .poll(() => row.locator('strong').first().textContent(), WAIT)
      .toBe('Camera cổng chợ (đã thay)');
    expect((await api.deviceGet({ params: { id: cam.id } })).name).toBe('Camera cổng chợ (đã thay)');

    await row.getByRole('button', { name: 'Ngừng sử dụng' }).click();
    await expect
      .poll(async () => (await api.deviceGet({ params: { id: cam.id } })).disabled, WAIT)
      .toBe(true);
    await row.getByRole('button', { name: 'Cho hoạt động lại' }).click();
    await expect
      .poll(async () => (await api.deviceGet({ params: { id: cam.id } })).disabled, WAIT)
      .toBe(false);

    // A new secret, shown once; a device using it connects and the row turns online.
    await row.getByRole('button', { name: 'Cấp khoá mới' }).click();
    await page.getByTestId('secret-reveal').waitFor(WAIT);
    const newSecret = (await page.getByTestId('device-secret').textContent()) ?? '';
    await expect
      .poll(() => page.getByTestId('agent-command').textContent(), WAIT)
      .toContain(`--id ${cam.id} --kind camera`);
    camera = await connectDevice(hub.mqttUrl, { id: cam.id, secret: newSecret });
    await camera.beat();
    await expect
      .poll(() => row.getByTestId('manage-status').getAttribute('data-status'), WAIT)
      .toBe('online');
    await page.getByTestId('secret-done').click();

    // Maintenance from a minute ago for an hour, typed in Vietnam time: the device shows it at once.
    await page.getByTestId('manage-tab-bao-tri').click();
    const vn = (ms: number) => new Date(ms + 7 * 3_600_000).toISOString().slice(0, 16);
    await page.locator('select[name="deviceId"]').selectOption(cam.id);
    await page.locator('input[name="from"]').fill(vn(Date.now() - 60_000));
    await page.locator('input[name="to"]').fill(vn(Date.now() + 3_600_000));
    await page.locator('input[name="note"]').fill('Thay nguồn camera');
    await page.getByRole('button', { name: 'Lên lịch bảo trì' }).click();
    await page.getByTestId('maintenance-saved').waitFor(WAIT);
    const windows = page.getByTestId('maintenance-window');
    await expect.poll(() => windows.count(), WAIT).toBe(1);
    expect(await windows.first().textContent()).toContain('Thay nguồn camera');
    await expect
      .poll(async () => (await api.deviceGet({ params: { id: cam.id } })).status, WAIT)
      .toBe('maintenance');
    // An end before the start: refused, said in Vietnamese.
    await page.locator('input[name="to"]').fill(vn(Date.now() - 3_600_000));
    await page.getByRole('button', { name: 'Lên lịch bảo trì' }).click();
    await expect
      .poll(() => page.getByTestId('manage-error').textContent(), WAIT)
      .toContain('thời điểm kết thúc phải sau thời điểm bắt đầu');
    await windows.first().getByRole('button', { name: 'Huỷ lịch' }).click();
    await expect.poll(() => windows.count(), WAIT).toBe(0);
    await page.close();
  }, 120_000);

  it('prints one QR code per device of a published group, leading to its public page', async () => {
    const slug = await ensurePrintGroup();
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
    await page.goto(`${hub.httpUrl}/trang-thai/${slug}/ma-qr`);
    const cards = page.getByTestId('qr-card');
    const members = (await api.publicStatusGroup({ params: { group: slug } })).devices;
    await expect.poll(() => cards.count(), WAIT).toBe(members.length);
    await expect.poll(() => page.getByTestId('qr').count(), WAIT).toBe(members.length);
    const first = await cards.first().textContent();
    expect(first).toMatch(new RegExp(`/trang-thai/${slug}/[a-z2-7]{12}`));
    expect(await rawCodes(page)).toEqual([]);
    await page.close();
  }, 60_000);

  it('shows no raw code name on any section of the management page or on the public pages', async () => {
    // A published group first, so the public pages section lists one and the public pages exist.
    const slug = await ensurePrintGroup();
    const page = await openManage(390, 844);
    const leaks: string[] = [];
    for (const section of ['thiet-bi', 'nhap-csv', 'bao-tri', 'cong-khai']) {
      await page.getByTestId(`manage-tab-${section}`).click();
      await page.waitForLoadState('networkidle');
      for (const raw of await rawCodes(page)) leaks.push(`${section}: ${raw}`);
    }
    const token = (await api.publicStatusGroup({ params: { group: slug } })).devices[0]!.token;
    for (const url of [`/trang-thai/${slug}`, `/trang-thai/${slug}/${token}`]) {
      await page.goto(`${hub.httpUrl}${url}`);
      await page.getByTestId('public-device').first().waitFor(WAIT);
      for (const raw of await rawCodes(page)) leaks.push(`${url}: ${raw}`);
    }
    expect(leaks).toEqual([]);
    await page.close();
  }, 60_000);

  it('in English mode, the management page and the public pages show no Vietnamese words of their own', async () => {
    const slug = await ensurePrintGroup();
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB' });
    // The language an official chose on the dashboard, remembered by the browser.
    await context.addInitScript(() => localStorage.setItem('commune-hub.lang', 'en'));
    await signIn(context, hub);
    const page = await context.newPage();
    /** The page's own Vietnamese sentences (long enough not to be a device's or a village's name). */
    const vietnamese = (words: unknown): string[] =>
      typeof words === 'string'
        ? [words]
        : words && typeof words === 'object'
          ? Object.values(words).flatMap(vietnamese)
          : [];
    const ownWords = [...vietnamese(MANAGE_WORDS.vi), ...vietnamese(PUBLIC_WORDS.vi)].filter(
      (text) => text.length >= 12,
    );
    const leaks: string[] = [];
    const scan = async (where: string) => {
      const body = await page.locator('body').innerText();
      for (const text of ownWords) if (body.includes(text)) leaks.push(`${where}: ${text}`);
    };
    await page.goto(`${hub.httpUrl}/quan-ly`);
    await page.getByTestId('admin-access').waitFor(WAIT);
    expect(await page.locator('h2').first().textContent()).toBe(MANAGE_WORDS.en.page.title);
    for (const section of ['thiet-bi', 'nhap-csv', 'bao-tri', 'cong-khai'] as const) {
      await page.getByTestId(`manage-tab-${section}`).click();
      await expect
        .poll(() => page.getByTestId(`manage-tab-${section}`).textContent(), WAIT)
        .toBe(MANAGE_WORDS.en.page.sections[section]);
      await page.waitForLoadState('networkidle');
      await scan(section);
    }
    const token = (await api.publicStatusGroup({ params: { group: slug } })).devices[0]!.token;
    for (const url of [`/trang-thai/${slug}`, `/trang-thai/${slug}/${token}`, `/trang-thai/${slug}/ma-qr`]) {
      await page.goto(`${hub.httpUrl}${url}`);
      await page.locator('.ps-main h1').first().waitFor(WAIT);
      await scan(url);
    }
    await page.goto(`${hub.httpUrl}/trang-thai/${slug}`);
    await expect
      .poll(() => page.locator('.ps-report h2').textContent(), WAIT)
      .toBe(PUBLIC_WORDS.en.report.title);
    expect(leaks).toEqual([]);
    await context.close();
  }, 90_000);

  it("changes a public page's name and devices from the management page; its address stays", async () => {
    await api.publicGroupCreate({
      body: {
        slug: 'loa',
        name: 'Cụm loa thôn 1',
        selector: { kind: 'loudspeaker', villageId: 'thon-1' },
        published: true,
      },
    });
    const before = await api.publicStatusGroup({ params: { group: 'loa' } });
    const page = await openManage(1366, 768);
    await page.getByTestId('manage-tab-cong-khai').click();
    const item = page.getByTestId('public-group').filter({ hasText: 'Cụm loa thôn 1' });
    await item.getByRole('button', { name: 'Sửa' }).click();
    const form = item.getByTestId('group-form');
    await form.locator('[name="groupName"]').fill('Cụm loa thôn 2');
    await form.locator('[name="villageId"]').selectOption('thon-2');
    await form.getByRole('button', { name: 'Lưu thay đổi' }).click();
    await expect
      .poll(async () => (await api.publicStatusGroup({ params: { group: 'loa' } })).group.name, WAIT)
      .toBe('Cụm loa thôn 2');
    const after = await api.publicStatusGroup({ params: { group: 'loa' } });
    const thon2 = (await api.deviceList()).filter(
      (d) => d.kind === 'loudspeaker' && d.villageId === 'thon-2' && !d.disabled,
    );
    expect(after.devices.map((d) => d.name).sort()).toEqual(thon2.map((d) => d.name).sort());
    expect(after.devices.map((d) => d.token)).not.toEqual(before.devices.map((d) => d.token));
    await page.close();
  }, 60_000);
});
