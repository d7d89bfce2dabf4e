import { execFileSync, execSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type StartedHub, startHub } from '@commune-hub/hub';
import {
  type DeviceCredentials,
  deviceTopic,
  EXPORT_CONTENT_TYPES,
  type Heartbeat,
  STATUS_OFFLINE,
  STATUS_ONLINE,
} from '@commune-hub/protocol';
import { loadScenario } from '@commune-hub/simulators';
import ExcelJS from 'exceljs';
import mqtt, { type MqttClient } from 'mqtt';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authHeaders, signIn, withFirstAdmin } from '../support/hub.ts';

// "Chỉ tiêu hạ tầng số" end to end: the Hoàng Kim inventory registered in a real hub, every device on its
// own MQTT connection, the built dashboard in real Chromium, live updates over socket.io.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const webDir = path.join(root, 'web/dist');
const ADMIN_TOKEN = 'criteria-dashboard-e2e-token';
const SHOTS = path.join(os.tmpdir(), 'criteria-screenshots');

/** Builds the dashboard unless the built one already has the criteria page. */
function ensureDashboardBuilt(): void {
  const assets = path.join(webDir, 'assets');
  const built =
    fs.existsSync(assets) &&
    fs
      .readdirSync(assets)
      .some(
        (f) => f.endsWith('.js') && fs.readFileSync(path.join(assets, f), 'utf8').includes('criteria-page'),
      );
  if (!built)
    execFileSync('npx', ['vite', 'build', 'web', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}

describe('criteria page in a real browser', () => {
  const scenario = loadScenario('hoang-kim');
  let hub: StartedHub;
  let dataDir: string;
  let browser: Browser;
  let page: Page;
  const clients = new Map<string, MqttClient>();

  const post = async (urlPath: string, body: unknown) => {
    const res = await fetch(`${hub.httpUrl}${urlPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`POST ${urlPath}: ${res.status} ${await res.text()}`);
    return res.json();
  };

  beforeAll(async () => {
    ensureDashboardBuilt();
    fs.mkdirSync(SHOTS, { recursive: true });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'criteria-e2e-'));
    hub = await withFirstAdmin(
      await startHub({
        dataDir,
        httpHost: '127.0.0.1',
        mqttHost: '127.0.0.1',
        httpPort: 0,
        mqttPort: 0,
        adminToken: ADMIN_TOKEN,
        logLevel: 'warn',
        webDir,
        criteriaDebounceMs: 50,
      }),
    );
    await post('/api/communes', { id: 'hoang-kim', name: 'Xã Hoàng Kim', province: 'Thanh Hóa' });
    for (const v of scenario.villages) await post('/api/villages', { ...v, communeId: 'hoang-kim' });
    for (const s of scenario.spec.sites ?? [])
      await post('/api/sites', {
        id: s.id,
        name: s.name,
        villageId: s.village,
        locationType: s.locationType,
      });
    for (const d of scenario.devices) {
      const { secret } = (await post('/api/devices', {
        id: d.id,
        kind: d.kind,
        name: d.name,
        village: d.village,
        ...(d.siteId && { site: d.siteId }),
        // Long interval: only the killed connection may go offline while the test runs.
        intervalS: 600,
      })) as DeviceCredentials;
      const client = await mqtt.connectAsync(hub.mqttUrl, {
        clientId: d.id,
        username: d.id,
        password: secret,
        reconnectPeriod: 0,
        will: {
          topic: deviceTopic(d.id, 'status'),
          payload: Buffer.from(STATUS_OFFLINE),
          qos: 1,
          retain: true,
        },
      });
      clients.set(d.id, client);
      await client.publishAsync(deviceTopic(d.id, 'status'), STATUS_ONLINE, { qos: 1, retain: true });
      const hb: Heartbeat = { v: 1, ts: Date.now(), seq: 1, up: 60, st: 'ok', m: {} };
      await client.publishAsync(deviceTopic(d.id, 'hb'), JSON.stringify(hb), { qos: 1 });
    }
    browser = await chromium.launch({
      executablePath: execSync('which chromium').toString().trim(),
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({
      viewport: { width: 1366, height: 900 },
      locale: 'vi-VN',
      timezoneId: 'Europe/Paris',
    });
    await signIn(page.context(), hub);
  });

  afterAll(async () => {
    await browser?.close();
    for (const client of clients.values()) await client.endAsync(true).catch(() => {});
    await hub?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows 4.5 and 4.6 for Hoàng Kim, in Vietnamese', async () => {
    await page.goto(`${hub.httpUrl}/chi-tieu`);
    await page.waitForSelector('[data-testid="criteria-page"]');
    expect(await page.locator('[data-testid="nav-criteria"]').getAttribute('aria-current')).toBe('page');
    await expect
      .poll(() => page.locator('[data-testid="result-4.5"]').textContent(), { timeout: 20_000 })
      .toContain('14 điểm');
    expect(await page.locator('[data-testid="result-4.6"]').textContent()).toContain('25 camera');
    expect(
      await page.locator('[data-testid="indicator-4.5"] [data-testid="assessment"]').textContent(),
    ).toContain('Đạt');
    await page.waitForSelector('[data-testid="live-4.5"][data-online="14"][data-total="14"]', {
      timeout: 20_000,
    });
    const text = (await page.locator('[data-testid="criteria-page"]').textContent()) ?? '';
    expect(text).toContain('Chỉ tiêu hạ tầng số');
    expect(text).toContain('Đang hoạt động: 14/14');
    expect(text).not.toMatch(/á»|áº|\uFFFD/);
    // The set and the period are in the URL: a reload or a shared link shows the same view.
    expect(new URL(page.url()).pathname).toBe('/chi-tieu');
  });

  it('changes the live count when a wifi point goes offline, without a reload', async () => {
    await page.evaluate(() => {
      (window as unknown as { e2eMarker: number }).e2eMarker = 7;
    });
    // The socket drops without DISCONNECT: the broker fires the last will.
    clients.get('hk-wifi-03')!.stream.destroy();
    await page.waitForSelector('[data-testid="live-4.5"][data-online="13"][data-total="14"]', {
      timeout: 20_000,
    });
    expect(await page.locator('[data-testid="live-4.5"]').textContent()).toContain('Đang hoạt động: 13/14');
    expect(await page.evaluate(() => (window as unknown as { e2eMarker?: number }).e2eMarker)).toBe(7);
    await page.screenshot({ path: path.join(SHOTS, 'criteria-1366.png'), fullPage: true });
  });

  it('opens the evidence list from the number, and keeps it in the URL', async () => {
    await page.click('[data-testid="result-4.5"]');
    const panel = page.locator('[data-testid="evidence-panel"]');
    await panel.waitFor();
    expect(new URL(page.url()).searchParams.get('evidence')).toBe('4.5');
    await page.waitForSelector('[data-testid="evidence-list"] [data-testid="evidence-hk-wifi-01"]');
    const row = (await page.locator('[data-testid="evidence-hk-wifi-01"]').textContent()) ?? '';
    expect(row).toContain('Điểm phát wifi');
    expect(row).toContain('Thôn 3');
    expect(row).toContain('Trụ sở UBND xã');
    expect(await page.locator('[data-testid="evidence-tab-counted"]').textContent()).toMatch(
      /Được tính\s*14/,
    );
    await page.screenshot({ path: path.join(SHOTS, 'criteria-evidence-1366.png') });
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    expect(new URL(page.url()).searchParams.get('evidence')).toBeNull();
  });

  it('has a 12-month trend with a table alternative and a breakdown by village and former commune', async () => {
    expect(await page.locator('[data-testid="trend-table"]').count()).toBe(0);
    await page.click('text=Xem dạng bảng');
    const rows = page.locator('[data-testid="trend-table"] tbody tr');
    await expect.poll(() => rows.count()).toBe(12);
    expect(await rows.last().textContent()).toMatch(/Tháng \d+\/\d{4}\s*1[34] điểm/);
    const breakdown = page.locator('[data-testid="breakdown-table"]');
    await expect.poll(async () => (await breakdown.textContent()) ?? '').toContain('Thôn 3');
    await page.click('[data-testid="breakdown-formerCommune"]');
    expect(new URL(page.url()).searchParams.get('by')).toBe('formerCommune');
    await expect.poll(async () => (await breakdown.textContent()) ?? '').toContain('Xã Hoàng Kim');
  });

  it('offers the annex files for the period', async () => {
    const href = await page.locator('[data-testid="download-xlsx"]').getAttribute('href');
    expect(href).toMatch(/^\/api\/criteria-sets\/thanh-hoa-1829-2023\/evaluation\.xlsx\?period=\d{4}-\d{2}$/);
    const res = await fetch(`${hub.httpUrl}${href}`, { headers: authHeaders(hub) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(EXPORT_CONTENT_TYPES.xlsx);
    const docx = await page.locator('[data-testid="download-docx"]').getAttribute('href');
    expect(
      (await fetch(`${hub.httpUrl}${docx}`, { headers: authHeaders(hub) })).headers.get('content-type'),
    ).toBe(EXPORT_CONTENT_TYPES.docx);
  });

  it('is usable on a 390 px phone, the evidence opening from the number', async () => {
    const phone = await browser.newPage({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'vi-VN',
    });
    await signIn(phone.context(), hub);
    try {
      await phone.goto(`${hub.httpUrl}/chi-tieu?kind=month`);
      await phone.waitForSelector('[data-testid="live-4.5"][data-online="13"]', { timeout: 20_000 });
      // Nothing wider than the screen: no sideways scrolling of the page.
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await phone.screenshot({ path: path.join(SHOTS, 'criteria-390.png'), fullPage: true });
      await phone.screenshot({ path: path.join(SHOTS, 'criteria-390-top.png') });
      await phone.tap('[data-testid="result-4.6"]');
      await phone.waitForSelector('[data-testid="evidence-list"] [data-testid^="evidence-hk-cam-"]');
      await phone.screenshot({ path: path.join(SHOTS, 'criteria-evidence-390.png') });
    } finally {
      await phone.close();
    }
  });

  it('lets the official enter the CBCC count, submit the period and download the frozen report', async () => {
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    await page.goto(`${hub.httpUrl}/chi-tieu`);
    await page.waitForSelector('[data-testid="manage-panel"]');
    // Writes go through the signed-in admin's session: no token to type, the controls open by role.
    expect(await page.locator('[data-testid="admin-token"]').count()).toBe(0);
    await expect.poll(() => page.locator('[data-testid="submit-report"]').isDisabled()).toBe(false);

    // "Số CBCC" for 4.3, with its evidence and who enters it.
    await page.click('[data-testid="enter-input-cbcc"]');
    const form = page.locator('[data-testid="manual-form-cbcc"]');
    await form.locator('input[name="value"]').fill('21');
    await form.locator('textarea[name="evidenceText"]').fill('Danh sách CBCC xã Hoàng Kim');
    await form.locator('input[name="docNumber"]').fill('15/QĐ-UBND');
    await form.locator('input[name="docDate"]').fill('2026-01-05');
    await form.locator('input[name="by"]').fill('Lê Thị Hoa');
    await form.locator('[data-testid="manual-save"]').click();
    await form.waitFor({ state: 'detached' });
    await expect
      .poll(() => page.locator('[data-testid="value-input-cbcc"]').textContent())
      .toContain('21 người');
    const audit = (await page.locator('[data-testid="manual-input-cbcc"]').textContent()) ?? '';
    expect(audit).toContain('Lê Thị Hoa');
    expect(audit).toContain('15/QĐ-UBND');
    await expect.poll(() => page.locator('[data-testid="result-4.3"]').textContent()).toContain('%');

    // "Nộp báo cáo", confirmed; the report is listed with its hash.
    await page.click('[data-testid="submit-report"]');
    const confirm = page.locator('[data-testid="confirm-submit"]');
    await confirm.waitFor();
    expect(await confirm.locator('input[name="by"]').inputValue()).toBe('Lê Thị Hoa');
    await page.click('[data-testid="confirm-submit-ok"]');
    await page.waitForSelector('[data-testid="report-done"]');
    await page.waitForSelector('[data-testid="already-submitted"]');
    const item = page.locator('[data-testid="report-list"] li').first();
    const hash = page.locator('[data-testid="report-list"] li [data-testid="report-hash"]').first();
    const full = (await hash.getAttribute('data-sha256')) ?? '';
    expect(full).toMatch(/^[0-9a-f]{64}$/);
    expect(await hash.getAttribute('title')).toBe(full);
    expect(await hash.textContent()).toBe(`${full.slice(0, 12)}…`);
    const itemText = (await item.textContent()) ?? '';
    expect(itemText).toContain('Phiên bản 1');
    expect(itemText).toContain('Lê Thị Hoa');
    const reportId = Number((await item.getAttribute('data-testid'))!.replace('report-', ''));
    // The hash is the SHA-256 of the report's canonical JSON.
    const canonical = Buffer.from(
      await (
        await fetch(`${hub.httpUrl}/api/criteria-reports/${reportId}/canonical.json`, {
          headers: authHeaders(hub),
        })
      ).arrayBuffer(),
    );
    expect(sha(canonical)).toBe(full);

    // Its XLSX, downloaded from the page, carries the hash; a second download is the same bytes.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click(`[data-testid="report-xlsx-${reportId}"]`),
    ]);
    const bytes = fs.readFileSync((await download.path())!);
    const href = await page.locator(`[data-testid="report-xlsx-${reportId}"]`).getAttribute('href');
    const again = Buffer.from(
      await (await fetch(`${hub.httpUrl}${href}`, { headers: authHeaders(hub) })).arrayBuffer(),
    );
    expect(sha(again)).toBe(sha(bytes));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as never);
    const texts: string[] = [];
    wb.worksheets[0]!.eachRow((row) =>
      row.eachCell((cell) => {
        texts.push(String(cell.text));
      }),
    );
    expect(texts.some((t) => t.includes(full))).toBe(true);
    expect(texts.some((t) => t.includes('21'))).toBe(true);

    // "Lập bản sửa": a new version that names the old one.
    await page.click(`[data-testid="correct-${reportId}"]`);
    await page.click(`[data-testid="confirm-correct-${reportId}-ok"]`);
    await expect
      .poll(() => page.locator('[data-testid="report-list"] li').first().textContent())
      .toContain('Phiên bản 2');
    expect(await page.locator('[data-testid="report-list"] li').first().textContent()).toContain(
      `Sửa cho báo cáo #${reportId}`,
    );
    expect(await page.locator(`[data-testid="report-${reportId}"]`).textContent()).toContain(
      'Đã được thay bằng bản sửa',
    );
    await page.screenshot({ path: path.join(SHOTS, 'criteria-reports-1366.png'), fullPage: true });
  });
});
